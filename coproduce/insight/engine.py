"""One entry point: texts in, themes + promise mapping out (the ``coproduce theme`` JSON)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .embed import MODEL_NAME, embed_texts, semantic_available
from .features import dense_from_tfidf, tfidf_matrix
from .finetune import MIN_CODED, planned_steps, tuned_vectors
from .io import InputError, Promise
from .mapping import Mapping, feature_matrix, promise_texts, supervised, zero_shot
from .themes import ThemeResult, find_themes

ENGINES = ("auto", "tfidf", "semantic")
# Tuned sentence vectors carry the coding better than word counts do, so they weigh more
# beside the TF-IDF features (measured on the NHS benchmark: 2 beats 1 and 3).
TUNED_WEIGHT = 2.0


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_description(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(show: bool, total: int | None, desc: str, unit: str = "item"):
    if not show:
        return _NullBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True)


def resolve_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (choose auto, tfidf or semantic)")
    if engine == "auto":
        return "semantic" if semantic_available() else "tfidf"
    if engine == "semantic" and not semantic_available():
        raise InputError(
            "the semantic engine is not installed (pip install 'coproduce[semantic]'); "
            "use --engine tfidf"
        )
    return engine


class _Stages:
    """Times each stage, and tells ``on_stage`` (if given) when one starts."""

    def __init__(self, on_stage: Callable[[str, str], object] | None) -> None:
        self.on_stage = on_stage
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str, message: str | None = None) -> Iterator[None]:
        if self.on_stage is not None and message:
            self.on_stage(name, message)
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 3)


def _item_vectors(
    eng: str, texts: list[str], x: Any, *, seed: int, use_cache: bool, progress: bool
) -> tuple[np.ndarray, dict]:
    """Sentence embeddings (semantic engine) or latent semantic vectors of the TF-IDF matrix."""
    if eng == "semantic":
        return embed_texts(
            texts,
            use_cache=use_cache,
            progress=(lambda total: _bar(True, total, "embedding")) if progress else None,
        )
    return dense_from_tfidf(x, dims=100, seed=seed), {}


def _coded_items(ids: list[str], labels: dict[str, list[str]] | None) -> dict[int, list[str]]:
    """The people's coding by item position (item id -> codes becomes index -> codes)."""
    if not labels:
        return {}
    pos = {iid: i for i, iid in enumerate(ids)}
    coded = {pos[i]: cs for i, cs in labels.items() if i in pos}
    if not coded:
        raise InputError("none of the labelled ids has text in the input")
    return coded


def _map_promises(
    texts: list[str],
    promises: Sequence[Promise],
    coded: dict[int, list[str]],
    *,
    eng: str,
    x: Any,
    vecs: np.ndarray,
    stage: _Stages,
    seed: int,
    use_cache: bool,
    progress: bool,
    finetune: bool = True,
) -> tuple[Mapping, dict]:
    """Supervised when items are coded (fine-tuning the encoder first if enough are), else
    zero-shot. Returns the mapping and what fine-tuning did (empty if it did not run)."""
    semantic = eng == "semantic"
    codes = [p.code for p in promises]
    feat_vecs = vecs if semantic else None
    feat_weight = 1.0
    tuned_info: dict = {}
    coded_promises = {c for cs in coded.values() for c in cs}
    if finetune and semantic and len(coded) >= MIN_CODED and len(coded_promises) >= 2:
        with stage("fine-tuning", f"Learning from {len(coded)} items coded by people"):
            bar = _bar(progress, planned_steps(len(coded)), "learning from the coding", "step")
            feat_vecs, tuned_info = tuned_vectors(
                texts, coded, codes, seed=seed, use_cache=use_cache, progress=bar.update
            )
            bar.close()
        feat_weight = TUNED_WEIGHT

    def embed(strings: list[str]) -> np.ndarray:
        v, _ = embed_texts(strings, use_cache=use_cache)
        return v

    with stage("mapping", "Matching items to the promises"):
        if coded:
            feats = feature_matrix(x, feat_vecs, weight=feat_weight)
            bar = _bar(progress, None, "training", "model")
            mapping = supervised(
                feats, codes, coded, seed=seed, progress=bar.update, balance=not tuned_info
            )
            bar.close()
        else:
            mapping = zero_shot(
                texts,
                promises,
                item_vecs=vecs if semantic else None,
                embed=embed if semantic else None,
                feats=feature_matrix(x, vecs if semantic else None),
                seed=seed,
            )
    return mapping, tuned_info


def _themes_json(tr: ThemeResult, ids: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": th.id,
            "label": th.label,
            "keywords": th.keywords,
            "size": len(th.members),
            "quotes": [ids[i] for i in th.quotes],
        }
        for th in tr.themes
    ]


def _items_json(tr: ThemeResult, ids: list[str], mapping: Mapping | None) -> list[dict[str, Any]]:
    items = []
    for i, iid in enumerate(ids):
        a = tr.assignment[i]
        if mapping is not None:
            sc = {c: round(float(mapping.scores[i, j]), 4) for j, c in enumerate(mapping.codes)}
            asg = list(mapping.assigned[i])
        else:
            sc, asg = {}, []
        items.append(
            {
                "id": iid,
                "theme": tr.themes[a].id if a is not None else None,
                "scores": sc,
                "assigned": asg,
            }
        )
    return items


def _mapping_json(mapping: Mapping, tuned_info: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"method": mapping.method, **mapping.info}
    if tuned_info:
        out["method"] += "; sentence encoder fine-tuned on the coded items"
        out["encoder"] = tuned_info
    return out


def analyse(
    ids: Sequence[str],
    texts: Sequence[str],
    *,
    promises: Sequence[Promise] | None = None,
    labels: dict[str, list[str]] | None = None,
    engine: str = "auto",
    n_themes: int | None = None,
    seed: int = 42,
    progress: bool = False,
    use_cache: bool = True,
    on_stage: Callable[[str, str], object] | None = None,
    finetune: bool = True,
) -> dict:
    """Theme the texts and map them to promises. Returns the contract's JSON-ready dict.

    on_stage: called as ``on_stage(key, message)`` when a stage starts (keys: vectors, themes,
    fine-tuning, mapping; messages in plain words), so a background job can show its progress.
    finetune: False skips fine-tuning the encoder (the light model only: quick, for retraining
    after each small batch of codings).
    """
    t0 = time.perf_counter()
    stage = _Stages(on_stage)
    eng = resolve_engine(engine)
    texts = list(texts)
    ids = list(ids)
    n = len(texts)
    if n == 0:
        raise InputError("there are no items to theme")

    x = None
    if eng == "tfidf" or promises:
        with stage("tfidf"):
            x, _, _ = tfidf_matrix(texts)
    with stage("vectors", f"Reading {n} items"):
        vecs, embed_stats = _item_vectors(
            eng, texts, x, seed=seed, use_cache=use_cache, progress=progress
        )
    with stage("themes", "Finding themes"):
        tr = find_themes(vecs, texts, n_themes=n_themes, seed=seed)

    mapping: Mapping | None = None
    tuned_info: dict = {}
    if promises:
        mapping, tuned_info = _map_promises(
            texts,
            promises,
            _coded_items(ids, labels),
            eng=eng,
            x=x,
            vecs=vecs,
            stage=stage,
            seed=seed,
            use_cache=use_cache,
            progress=progress,
            finetune=finetune,
        )

    left = sum(1 for a in tr.assignment if a is None)
    out: dict[str, Any] = {
        "engine": eng,
        "seconds": round(time.perf_counter() - t0, 3),
        "themes": _themes_json(tr, ids),
        "items": _items_json(tr, ids, mapping),
        "outlier_share": round(left / n, 4),
        "model": MODEL_NAME if eng == "semantic" else "tfidf word 1-2 + char 2-5 grams",
        "seed": seed,
        "timings": stage.timings,
    }
    if embed_stats:
        out["embeddings"] = embed_stats
    if mapping is not None:
        out["mapping"] = _mapping_json(mapping, tuned_info)
    return out


__all__ = ["analyse", "resolve_engine", "ENGINES", "promise_texts"]
