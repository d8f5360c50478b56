"""Benchmark: a 50,000-response TSM survey (CSV) read and all perception measures calculated
with raking weights (area x age band x sex, per tenure group), plus the weights summary.

Pure Python, no database. Generating the file is not timed; reading, weighting and calculating
are. Peak memory is the process's peak RSS (getrusage), which includes the generated file.
Target (issue #17): < 30 s on a 2-core machine.

    .venv/bin/python benchmarks/bench_tsm.py [--responses 50000] [--seed 17]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30
AREAS = ("North", "South", "East", "West", "Central")
AGES = ("16-34", "35-54", "55-74", "75+")
SEXES = ("Female", "Male")
ANSWERS = ("1", "2", "3", "4", "5", "5", "4", "4", "Don't know", "")


def survey(count: int, rng: random.Random) -> bytes:
    from coproduce.tsm.survey import QUESTIONS

    out = io.StringIO()
    writer = csv.writer(out)
    header = ["respondent_id", "tenure_type", "date", "area", "age_band", "sex"]
    writer.writerow([*header, *QUESTIONS, "repair_12m", "complaint_12m", "communal_areas"])
    for number in range(count):
        writer.writerow(
            [
                f"R{number:06d}",
                "LCHO" if rng.random() < 0.15 else "LCRA",
                f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choices(AREAS, (30, 25, 20, 15, 10))[0],
                rng.choices(AGES, (20, 35, 30, 15))[0],
                rng.choice(SEXES),
                *[rng.choice(ANSWERS) for _ in QUESTIONS],
                *[rng.choice(("yes", "no", "yes", "")) for _ in range(3)],
            ]
        )
    return out.getvalue().encode()


def weights_file() -> bytes:
    rows = ["variable,category,population_share"]
    rows += [f"area,{a},{s}" for a, s in zip(AREAS, (20, 20, 20, 20, 20), strict=True)]
    rows += [f"age_band,{a},{s}" for a, s in zip(AGES, (25, 30, 30, 15), strict=True)]
    rows += ["sex,Female,52", "sex,Male,48"]
    return ("\n".join(rows) + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if not 0 < args.responses <= 1_000_000:
        print("--responses must be between 1 and 1000000", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from coproduce.tsm.calc import (
        perception_measures,
        read_weights,
        respondent_weights,
        weight_summary,
    )
    from coproduce.tsm.survey import read_tsm_survey

    data = survey(args.responses, random.Random(args.seed))
    start = time.perf_counter()
    responses = read_tsm_survey(data, "bench.csv").responses
    read_seconds = time.perf_counter() - start
    weighting = read_weights(weights_file(), "weights.csv")
    weights = respondent_weights(responses, weighting)
    weight_seconds = time.perf_counter() - start - read_seconds
    measures = perception_measures(responses, weights=weighting)
    summary = weight_summary(responses, weighting, weights)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    tp01 = measures["TP01"]["LCRA"]
    report = {
        "responses": len(responses),
        "file_mb": round(len(data) / 1_000_000, 1),
        "read_seconds": round(read_seconds, 2),
        "weights_seconds": round(weight_seconds, 2),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "weight_rows": len(summary),
        "tp01_lcra_percent": None if tp01 is None else float(tp01.percent or 0),
        "target_seconds": TARGET_SECONDS,
        "met": seconds < TARGET_SECONDS,
    }
    print(json.dumps(report, indent=2))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
