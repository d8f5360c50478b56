"""Benchmark: a health check with 10 promises and 2,000 evidence items.

Times, on a fresh SQLite database (or DATABASE_URL): importing 2,000 survey comments through
the real import (parsing + masking), theming them from the web's path (queued task run by the
real `db_worker`, engine auto = semantic when installed), and writing the PDF report.
Targets (docs/contracts.md, scale targets): PDF < 10 s; theming within the insight engine's targets.

    .venv/bin/python benchmarks/healthcheck.py [--items 2000] [--engine auto]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--engine", default="auto", choices=["auto", "tfidf", "semantic"])
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="coproduce-bench-hc-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from coproduce.accounts.models import User
    from coproduce.demo.evidence import survey_csv
    from coproduce.evaluation import report, services
    from coproduce.evaluation.models import ThemeRun
    from coproduce.people.models import Person
    from coproduce.projects.models import Project, ProjectMember
    from coproduce.promises.models import Promise, PromiseSet

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench@example.org", "x", full_name="Bench", role="coordinator")
    project = Project.objects.create(title="Promises", purpose="x", owner=user)
    promise_set = PromiseSet.objects.create(project=project, title="Promises", status="published")
    titles = [
        "Listen and act",
        "Keep you informed",
        "Treat you with respect",
        "Put things right",
        "Safe, warm homes",
        "Stronger communities",
        "Repairs on time",
        "Clean and safe estates",
        "Value for money",
        "Support when you need it",
    ]
    promises = [
        Promise.objects.create(
            promise_set=promise_set, title=t, position=i, wording=f"We will {t.lower()}."
        )
        for i, t in enumerate(titles)
    ]
    evaluator = Person.objects.create(first_name="Eva", last_name="Luator")
    ProjectMember.objects.create(project=project, person=evaluator, joined_on=dt.date(2025, 1, 1))
    check = services.check_create(
        promise_set=promise_set, year=2026, title="Bench check", scale="rag", actor=user
    )
    figures: dict[str, float] = {}
    rng = random.Random(3)
    data = survey_csv(args.items, rng, 2026)
    t = time.perf_counter()
    services.evidence_import(
        check=check,
        kind="survey",
        data=data,
        filename="survey.csv",
        title="Survey",
        gathered_on=dt.date(2026, 6, 1),
        person=evaluator,
        actor=user,
    )
    figures["import_seconds"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    run = services.theme_run_start(check=check, actor=user, engine=args.engine)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    figures["theming_seconds_via_task"] = round(time.perf_counter() - t, 2)
    run = ThemeRun.objects.get(pk=run.pk)
    figures["engine_seconds"] = run.seconds
    for promise in promises:
        quotes = list(check.evidence.filter(codings__promise=promise).distinct()[:3])
        services.judgement_save(
            check=check,
            promise=promise,
            person=evaluator,
            expected_version=None,
            actor=None,
            data={
                "rating": rng.choice(["red", "amber", "green"]),
                "narrative": "What we found. " * 20,
                "quotes": quotes,
            },
        )
    t = time.perf_counter()
    pdf = report.render_pdf(check)
    figures["pdf_seconds"] = round(time.perf_counter() - t, 2)
    result = {
        "items": check.evidence.count(),
        "promises": len(promises),
        "engine": run.engine,
        "run_status": run.status,
        "themes": check.themes.count(),
        "outlier_share": run.outlier_share,
        "pdf_bytes": len(pdf),
        **figures,
        "pdf_target_seconds": 10,
        "meets_pdf_target": figures["pdf_seconds"] < 10,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
