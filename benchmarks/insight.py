"""Benchmark of the insight engine on the NHS patient-feedback data (see ../shared/data/README.md).

Prints one JSON object: time per stage, peak memory, share of items left out of themes,
NMI / ARI of themes against the human `label` and `code`, zero-shot and supervised mapping
quality on the 9 labels. Run: .venv/bin/python benchmarks/insight.py [--data PATH]

The data is not in the repository: when the file is not there, it says so and exits 0, so
`make bench` goes on.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    accuracy_score,
    adjusted_rand_score,
    f1_score,
    normalized_mutual_info_score,
)
from sklearn.model_selection import train_test_split  # noqa: E402

from coproduce.insight.embed import semantic_available  # noqa: E402
from coproduce.insight.engine import analyse  # noqa: E402
from coproduce.insight.io import Promise  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1.csv"


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def theme_scores(result: dict, label: list[str], code: list[str]) -> dict:
    th = [it["theme"] for it in result["items"]]
    lab = np.array(label)
    cod = np.array(code)
    inside = np.array([t is not None for t in th])
    all_groups = np.array([t if t is not None else "__left_out__" for t in th])
    ins = all_groups[inside]
    return {
        "themes": len(result["themes"]),
        "outlier_share": round(1 - float(inside.mean()), 4),
        "nmi_code_in_themes": round(normalized_mutual_info_score(cod[inside], ins), 4),
        "nmi_label_in_themes": round(normalized_mutual_info_score(lab[inside], ins), 4),
        "ari_code_in_themes": round(adjusted_rand_score(cod[inside], ins), 4),
        "ari_label_in_themes": round(adjusted_rand_score(lab[inside], ins), 4),
        "nmi_code_all_items": round(normalized_mutual_info_score(cod, all_groups), 4),
        "nmi_label_all_items": round(normalized_mutual_info_score(lab, all_groups), 4),
        "ari_code_all_items": round(adjusted_rand_score(cod, all_groups), 4),
    }


def mapping_scores(items: list[dict], truth: dict[str, str], codes: list[str]) -> dict:
    ids = [it["id"] for it in items if it["id"] in truth]
    by = {it["id"]: it for it in items}
    top = []
    none = 0
    for i in ids:
        # the engine's own pick: its (best-scored) assigned promise, or when it assigned none,
        # the best-scored promise (so "none" is not counted as a miss here; see share_assigned_none)
        sc = by[i]["scores"]
        pool = by[i]["assigned"] or codes
        top.append(max(pool, key=lambda c: (sc[c], -codes.index(c))))
        none += not by[i]["assigned"]
    y = [truth[i] for i in ids]
    assigned_acc = np.mean([truth[i] in by[i]["assigned"] for i in ids])
    return {
        "n": len(ids),
        "accuracy": round(accuracy_score(y, top), 4),
        "macro_f1": round(f1_score(y, top, average="macro"), 4),
        "share_assigned_none": round(none / max(1, len(ids)), 4),
        "share_true_code_in_assigned": round(float(assigned_acc), 4),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skip-semantic", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.data):
        reason = f"needs the feedback data: {args.data} not found (pass --data PATH)"
        print(json.dumps({"benchmark": "insight", "skipped": reason}))
        return 0
    rows = list(csv.DictReader(open(args.data, encoding="utf-8")))
    rows = [r for r in rows if r["feedback"].strip()]
    ids = [f"r{r['row_index']}" for r in rows]
    texts = [r["feedback"] for r in rows]
    label = [r["label"] for r in rows]
    code = [r["code"] for r in rows]
    out: dict = {
        "data": os.path.basename(args.data),
        "items": len(rows),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    engines = ["tfidf"]
    if semantic_available() and not args.skip_semantic:
        engines.append("semantic")
    label_names = sorted(set(label))
    promises = [Promise(code=name, title=name) for name in label_names]
    # The coding frame as promise descriptions: each label's subcategory names, one phrase each
    # (the "using the 44 subcategory names" anchor). No comment text is used.
    subcats: dict[str, set[str]] = {}
    for r in rows:
        subcats.setdefault(r["label"], set()).add(r["subcategory"].strip())
    described = [
        Promise(code=name, title=name, description="; ".join(sorted(subcats[name])))
        for name in label_names
    ]
    truth = dict(zip(ids, label, strict=True))
    tr, te = train_test_split(np.arange(len(rows)), test_size=0.2, random_state=42)
    train_labels = {ids[i]: [label[i]] for i in tr}
    test_truth = {ids[i]: label[i] for i in te}

    with tempfile.TemporaryDirectory() as cache:
        os.environ["COPRODUCE_CACHE_DIR"] = cache  # cold start for the semantic engine
        for eng in engines:
            res: dict = {}
            t = time.perf_counter()
            r1 = analyse(ids, texts, engine=eng, seed=args.seed)
            res["theming_seconds"] = round(time.perf_counter() - t, 2)
            res["theming_stages"] = r1["timings"]
            if eng == "semantic":
                res["theming_seconds_cold"] = res.pop("theming_seconds")
                t = time.perf_counter()
                r2 = analyse(ids, texts, engine=eng, seed=args.seed)
                res["theming_seconds_cached"] = round(time.perf_counter() - t, 2)
                res["theming_stages_cached"] = r2["timings"]
                res["deterministic"] = [x["theme"] for x in r1["items"]] == [
                    x["theme"] for x in r2["items"]
                ]
            res["theme_quality"] = theme_scores(r1, label, code)
            res["example_themes"] = [
                {"label": th["label"], "size": th["size"], "keywords": th["keywords"][:4]}
                for th in r1["themes"][:8]
            ]
            t = time.perf_counter()
            rz = analyse(ids, texts, promises=promises, engine=eng, seed=args.seed)
            res["zero_shot_seconds"] = round(time.perf_counter() - t, 2)
            res["zero_shot_9_labels"] = mapping_scores(rz["items"], truth, label_names)
            res["zero_shot_self_trained_on"] = rz["mapping"].get("self_trained_on", 0)
            t = time.perf_counter()
            rd = analyse(ids, texts, promises=described, engine=eng, seed=args.seed)
            res["zero_shot_described_seconds"] = round(time.perf_counter() - t, 2)
            res["zero_shot_9_labels_with_subcategory_descriptions"] = mapping_scores(
                rd["items"], truth, label_names
            )
            t = time.perf_counter()
            rs = analyse(
                ids, texts, promises=promises, labels=train_labels, engine=eng, seed=args.seed
            )
            res["supervised_seconds"] = round(time.perf_counter() - t, 2)
            res["supervised_stages"] = rs["timings"]
            if "encoder" in rs["mapping"]:
                res["supervised_encoder"] = rs["mapping"]["encoder"]
            res["supervised_9_labels_80_20"] = mapping_scores(rs["items"], test_truth, label_names)
            # learning curve: the same test items, fewer coded training items
            curve = {}
            rng = np.random.default_rng(args.seed)
            order = rng.permutation(tr)
            for frac in (0.05, 0.2, 0.5):
                sub = order[: int(frac * len(order))]
                lab_sub = {ids[i]: [label[i]] for i in sub}
                rc = analyse(
                    ids, texts, promises=promises, labels=lab_sub, engine=eng, seed=args.seed
                )
                m = mapping_scores(rc["items"], test_truth, label_names)
                curve[str(len(sub))] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
            full = res["supervised_9_labels_80_20"]
            curve[str(len(tr))] = {"accuracy": full["accuracy"], "macro_f1": full["macro_f1"]}
            res["supervised_learning_curve_by_coded_items"] = curve
            res["peak_memory_mb_so_far"] = peak_mb()
            out[eng] = res
            print(f"[{eng}] done", file=sys.stderr)
    out["peak_memory_mb"] = peak_mb()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
