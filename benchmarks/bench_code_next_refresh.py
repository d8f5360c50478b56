"""Benchmark: how long "Code these next" takes to refresh the mapping for a 2,000-passage health
check (issue 19: within a minute, while the evaluator waits).

A fresh SQLite database in a temporary folder. A health check gets 2,000 passages of the NHS dev
data (../shared/data/nhs-feedback-phase1.csv) and one promise per major label (9), and 200 of
the passages are coded by hand with their label. Then the real background job
(evaluation.services.remap_execute) runs four times, as it does after each batch an evaluator
answers:

1. first: embeddings computed, and the encoder fine-tuned (200 codings, FINETUNE_EVERY = 100);
2. 20 more codings: the light model only, on the cached embeddings;
3. 20 more again (the figure an evaluator waits for after each batch);
4. 100 more: the encoder fine-tuned again.

Each run's seconds are the job's own (SuggestionBatch.seconds). Prints one JSON object.

    .venv/bin/python benchmarks/bench_code_next_refresh.py [--items 2000]

The data is not in the repository: when the file is not there, it says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1.csv"
TARGET_SECONDS = 60


def load(limit: int) -> list[tuple[str, str]]:
    rows = []
    with DATA.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text, label = (row.get("feedback") or "").strip(), (row.get("label") or "").strip()
            if text and label:
                rows.append((text, label))
            if len(rows) >= limit:
                break
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=2000)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}; skipping the refresh benchmark")
        return 0
    folder = tempfile.mkdtemp(prefix="bench-refresh-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from coproduce.accounts.models import User
    from coproduce.evaluation.models import Coding, EvidenceItem, HealthCheck
    from coproduce.evaluation.services import remap_execute
    from coproduce.projects.models import Project
    from coproduce.promises.models import Promise, PromiseSet

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.org", None, full_name="Bench")
    project = Project.objects.create(title="Promises", purpose="Bench", owner=owner)
    promise_set = PromiseSet.objects.create(project=project, title="Promises")
    rows = load(args.items)
    labels = sorted({label for _, label in rows})
    promises = {
        label: Promise.objects.create(
            promise_set=promise_set, title=label[:120], wording=label, position=n
        )
        for n, label in enumerate(labels)
    }
    check = HealthCheck.objects.create(promise_set=promise_set, year=2026, title="Bench")
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            health_check=check,
            kind="survey",
            source="NHS dev data",
            gathered_on=dt.date(2026, 5, 1),
            text=text,
        )
        for text, _ in rows
    )
    if any(item.pk is None for item in items):
        items = list(check.evidence.order_by("pk"))
    order = list(range(len(items)))
    coded = 0

    def code(count: int) -> None:
        nonlocal coded
        Coding.objects.bulk_create(
            Coding(item=items[i], promise=promises[rows[i][1]])
            for i in order[coded : coded + count]
        )
        coded += count

    runs = []
    for label, more in (
        ("first (embed + fine-tune)", 200),
        ("after a batch of 20", 20),
        ("after another batch of 20", 20),
        ("after 100 more (fine-tune again)", 100),
    ):
        code(more)
        started = time.perf_counter()
        remap_execute(check.pk)
        wall = time.perf_counter() - started
        batch = check.suggestion_batches.first()
        assert batch is not None
        runs.append(
            {
                "run": label,
                "coded": coded,
                "seconds": round(wall, 1),
                "fine_tuned": batch.fine_tuned,
                "suggested": len(batch.items),
                "moved": batch.moved,
            }
        )
    light = [r["seconds"] for r in runs if not r["fine_tuned"]]
    print(
        json.dumps(
            {
                "items": len(items),
                "promises": len(promises),
                "runs": runs,
                "target_seconds": TARGET_SECONDS,
                "light_runs_within_target": bool(light) and max(light) <= TARGET_SECONDS,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
