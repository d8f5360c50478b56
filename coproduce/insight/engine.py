"""One entry point: texts in, themes + promise mapping out (the ``coproduce theme`` JSON)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import numpy as np

from .embed import MODEL_NAME, embed_texts, semantic_available
from .features import dense_from_tfidf, tfidf_matrix
from .finetune import MIN_CODED, planned_steps, tuned_vectors
from .io import InputError, Promise
from .mapping import feature_matrix, promise_texts, supervised, zero_shot
from .themes import find_themes

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
) -> dict:
    """Theme the texts and map them to promises. Returns the contract's JSON-ready dict.

    on_stage: called as ``on_stage(key, message)`` when a stage starts (keys: vectors, themes,
    fine-tuning, mapping; messages in plain words), so a background job can show its progress.
    """
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    eng = resolve_engine(engine)
    texts = list(texts)
    ids = list(ids)
    n = len(texts)
    if n == 0:
        raise InputError("there are no items to theme")

    @contextmanager
    def stage(name: str, message: str | None = None):
        if on_stage is not None and message:
            on_stage(name, message)
        s = time.perf_counter()
        yield
        timings[name] = round(time.perf_counter() - s, 3)

    x = None
    if eng == "tfidf" or promises:
        with stage("tfidf"):
            x, _, _ = tfidf_matrix(texts)
    embed_stats: dict = {}
    vecs: np.ndarray
    with stage("vectors", f"Reading {n} items"):
        if eng == "semantic":
            vecs, embed_stats = embed_texts(
                texts,
                use_cache=use_cache,
                progress=(lambda total: _bar(True, total, "embedding")) if progress else None,
            )
        else:
            vecs = dense_from_tfidf(x, dims=100, seed=seed)
    with stage("themes", "Finding themes"):
        # (the tfidf engine's vectors are latent semantic vectors of the TF-IDF matrix)
        tr = find_themes(vecs, texts, n_themes=n_themes, seed=seed)

    def _embed(strings: list[str]) -> np.ndarray:
        v, _ = embed_texts(strings, use_cache=use_cache)
        return v

    mapping = None
    tuned_info: dict = {}
    if promises:
        codes = [p.code for p in promises]
        lab_idx: dict[int, list[str]] = {}
        if labels:
            pos = {iid: i for i, iid in enumerate(ids)}
            lab_idx = {pos[i]: cs for i, cs in labels.items() if i in pos}
            if not lab_idx:
                raise InputError("none of the labelled ids has text in the input")
        feat_vecs = vecs if eng == "semantic" else None
        feat_weight = 1.0
        coded_promises = {c for cs in lab_idx.values() for c in cs}
        if eng == "semantic" and len(lab_idx) >= MIN_CODED and len(coded_promises) >= 2:
            with stage("fine-tuning", f"Learning from {len(lab_idx)} items coded by people"):
                bar = _bar(
                    progress, planned_steps(len(lab_idx)), "learning from the coding", "step"
                )
                feat_vecs, tuned_info = tuned_vectors(
                    texts, lab_idx, codes, seed=seed, use_cache=use_cache, progress=bar.update
                )
                bar.close()
            feat_weight = TUNED_WEIGHT
        with stage("mapping", "Matching items to the promises"):
            if lab_idx:
                feats = feature_matrix(x, feat_vecs, weight=feat_weight)
                bar = _bar(progress, None, "training", "model")
                mapping = supervised(
                    feats, codes, lab_idx, seed=seed, progress=bar.update, balance=not tuned_info
                )
                bar.close()
            else:
                mapping = zero_shot(
                    texts,
                    promises,
                    item_vecs=vecs if eng == "semantic" else None,
                    embed=_embed if eng == "semantic" else None,
                    feats=feature_matrix(x, vecs if eng == "semantic" else None),
                    seed=seed,
                )

    themes_json = []
    for th in tr.themes:
        themes_json.append(
            {
                "id": th.id,
                "label": th.label,
                "keywords": th.keywords,
                "size": len(th.members),
                "quotes": [ids[i] for i in th.quotes],
            }
        )
    items_json = []
    for i in range(n):
        a = tr.assignment[i]
        if mapping is not None:
            sc = {c: round(float(mapping.scores[i, j]), 4) for j, c in enumerate(mapping.codes)}
            asg = list(mapping.assigned[i])
        else:
            sc, asg = {}, []
        items_json.append(
            {
                "id": ids[i],
                "theme": tr.themes[a].id if a is not None else None,
                "scores": sc,
                "assigned": asg,
            }
        )
    left = sum(1 for a in tr.assignment if a is None)
    out = {
        "engine": eng,
        "seconds": round(time.perf_counter() - t0, 3),
        "themes": themes_json,
        "items": items_json,
        "outlier_share": round(left / n, 4),
        "model": MODEL_NAME if eng == "semantic" else "tfidf word 1-2 + char 2-5 grams",
        "seed": seed,
        "timings": timings,
    }
    if embed_stats:
        out["embeddings"] = embed_stats
    if mapping is not None:
        out["mapping"] = {"method": mapping.method, **mapping.info}
        if tuned_info:
            out["mapping"]["method"] += "; sentence encoder fine-tuned on the coded items"
            out["mapping"]["encoder"] = tuned_info
    return out


__all__ = ["analyse", "resolve_engine", "ENGINES", "promise_texts"]
