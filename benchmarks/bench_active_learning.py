"""Active-learning benchmark: a simulated evaluator codes the NHS dev data (see
../shared/data/README.md) in batches of 20, chosen by the engine ("Code these next") or at random.

Fixed 20 % test split (random_state=42). From zero codings, each round the evaluator codes 20
passages of the training 80 % (the data's human `code` stands in for the person), the light
model (coproduce.insight.active.light_scores: one linear model on TF-IDF + cached sentence
vectors) is retrained, and at 100, 200, 400 and 800 codings micro- and macro-F1 on the test split
are measured. Median over 3 seeds. Prints one JSON object.

Goal (issue 19): engine-chosen 200 >= random 400, and engine-chosen 400 >= random 800 (micro-F1).

Run: .venv/bin/python benchmarks/bench_active_learning.py [--data PATH] [--engine auto|tfidf]
The data is not in the repository: when the file is not there, it says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from coproduce.insight.active import (  # noqa: E402
    UNCERTAINTY_WEIGHT,
    features,
    light_scores,
    suggest,
)
from coproduce.insight.embed import embed_texts, semantic_available  # noqa: E402
from coproduce.insight.features import dense_from_tfidf, tfidf_matrix  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1.csv"
CHECKPOINTS = (100, 200, 400, 800)
BATCH = 20
SEEDS = (1, 2, 3)


def load(path: Path) -> tuple[list[str], list[str]]:
    texts, codes = [], []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            t = (row.get("feedback") or "").strip()
            c = (row.get("code") or "").strip()
            if t and c:
                texts.append(t)
                codes.append(c)
    return texts, codes


def play(
    strategy: str,
    seed: int,
    x,
    vecs: np.ndarray,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    codes: list[str],
    weight: float,
    coverage_max: int | None,
) -> dict:
    """One simulated evaluator. Returns micro/macro-F1 at each checkpoint and seconds per round."""
    rng = np.random.default_rng(seed)
    xtr = x[train]
    vtr = vecs[train]
    labels: dict[int, list[str]] = {}
    order = rng.permutation(len(train))  # the random evaluator's order
    scores = np.zeros((len(train), len(codes)))
    out: dict = {"rounds_s": []}
    pos = 0
    while len(labels) < max(CHECKPOINTS):
        t0 = time.perf_counter()
        if strategy == "random":
            batch = [int(i) for i in order[pos : pos + BATCH]]
            pos += BATCH
        else:
            batch = [
                s.index
                for s in suggest(
                    scores,
                    codes,
                    labels,
                    vtr,
                    n=BATCH,
                    seed=seed,
                    uncertainty_weight=weight,
                    coverage_max=coverage_max,
                )
            ]
        for i in batch:
            labels[i] = [codes[y[train[i]]]]
        scores = light_scores(xtr, codes, labels, seed=seed)
        out["rounds_s"].append(time.perf_counter() - t0)
        if len(labels) in CHECKPOINTS:
            # test: the same light model, trained on the codings, scoring the held-out split
            rows = np.array(sorted(labels))
            full = np.concatenate([train[rows], test])
            lab = {r: labels[int(rows[r])] for r in range(len(rows))}
            s = light_scores(x[full], codes, lab, seed=seed)[len(rows) :]
            pred = s.argmax(axis=1)
            out[len(labels)] = {
                "micro_f1": float(f1_score(y[test], pred, average="micro")),
                "macro_f1": float(
                    f1_score(y[test], pred, average="macro", labels=np.unique(y[test]))
                ),
            }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--engine", choices=["auto", "tfidf"], default="auto")
    ap.add_argument("--uncertainty-weight", type=float, default=UNCERTAINTY_WEIGHT)
    ap.add_argument("--coverage-max", type=int, default=None)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}; skipping the active-learning benchmark")
        return 0
    texts, raw = load(args.data)
    codes = sorted(set(raw))
    cidx = {c: j for j, c in enumerate(codes)}
    y = np.array([cidx[c] for c in raw])
    idx = np.arange(len(texts))
    train, test = train_test_split(idx, test_size=0.2, random_state=42)
    t0 = time.perf_counter()
    x, _, _ = tfidf_matrix(texts)
    if args.engine == "auto" and semantic_available():
        vecs, _ = embed_texts(texts)
        engine = "semantic"
    else:
        vecs = dense_from_tfidf(x, dims=100, seed=42)
        engine = "tfidf"
    feats = features(x, vecs)
    prep = time.perf_counter() - t0
    runs: dict[str, list[dict]] = {"engine": [], "random": []}
    for seed in SEEDS:
        for strategy in runs:
            runs[strategy].append(
                play(
                    strategy,
                    seed,
                    feats,
                    vecs,
                    y,
                    train,
                    test,
                    codes,
                    args.uncertainty_weight,
                    args.coverage_max,
                )
            )
    result: dict = {
        "engine": engine,
        "items": len(texts),
        "codes": len(codes),
        "test_items": len(test),
        "prepare_s": round(prep, 1),
        "uncertainty_weight": args.uncertainty_weight,
        "coverage_max": args.coverage_max,
        "python": platform.python_version(),
        "curve": {},
    }
    for strategy, rs in runs.items():
        curve = {}
        for cp in CHECKPOINTS:
            curve[cp] = {
                m: round(float(np.median([r[cp][m] for r in rs])), 4)
                for m in ("micro_f1", "macro_f1")
            }
        all_rounds = [s for r in rs for s in r["rounds_s"]]
        curve["round_s_median"] = round(float(np.median(all_rounds)), 3)
        curve["round_s_max"] = round(float(np.max(all_rounds)), 3)
        result["curve"][strategy] = curve
    e, r = result["curve"]["engine"], result["curve"]["random"]
    result["goal"] = {
        "engine_200_vs_random_400": [e[200]["micro_f1"], r[400]["micro_f1"]],
        "engine_400_vs_random_800": [e[400]["micro_f1"], r[800]["micro_f1"]],
        "met": bool(
            e[200]["micro_f1"] >= r[400]["micro_f1"] and e[400]["micro_f1"] >= r[800]["micro_f1"]
        ),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
