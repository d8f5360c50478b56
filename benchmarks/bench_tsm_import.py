"""Benchmark: a 50,000-response TSM survey through the database, as the coordinator and the
public would use it: the survey imported into a year by `services.survey_import` (all or
nothing, bulk insert), age-band weighting targets for each tenure group imported by
`services.weights_import` (which checks the survey can be weighted to them),
`selectors.year_results` (reads the 50,000 rows back and calculates everything), the public
page of the published year fetched through Django's test client, and the PDF.

The survey is bench_tsm.py's generator (area, age band, sex, the twelve questions and the
three screening questions). Generating it, migrating, and preparing the year for publication
(homes, statement, management figures) are not timed. Peak memory is the process's peak RSS.
Target (issue #17): < 30 s for the whole lot on a 2-core machine.

    .venv/bin/python benchmarks/bench_tsm_import.py [--responses 50000] [--seed 17]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coproduce_bench_tsm ... (an empty database)
    BENCH_PROFILE=1 ... prints a profile of each timed step on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30
# Age bands of bench_tsm.py's survey; the population each tenure group is weighted to.
TARGETS = {
    "LCRA": {"16-34": 22, "35-54": 33, "55-74": 30, "75+": 15},
    "LCHO": {"16-34": 40, "35-54": 40, "55-74": 15, "75+": 5},
}


def weights_file() -> bytes:
    rows = ["variable,category,population_share,tenure_type"]
    rows += [
        f"age_band,{band},{share},{tenure}"
        for tenure, shares in TARGETS.items()
        for band, share in shares.items()
    ]
    return ("\n".join(rows) + "\n").encode()


def timed(
    name: str, call: Callable[[], Any], seconds: dict[str, float], cpu: dict[str, float]
) -> Any:
    """Run `call`, recording its wall time in `seconds` and this process's CPU time in `cpu`
    (the machine may be shared: CPU time is the steadier figure)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(call)
        print(f"\n===== {name}", file=sys.stderr)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        result = call()
    seconds[name] = round(time.perf_counter() - started, 2)
    cpu[name] = round(time.process_time() - cpu_started, 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if not 0 < args.responses <= 200_000:
        print("--responses must be between 1 and 200000", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="coproduce-bench-tsm-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench_tsm import survey  # benchmarks/bench_tsm.py: the same generated file
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from coproduce.accounts.models import User
    from coproduce.accounts.roles import Role
    from coproduce.tsm import management, publication, selectors, services
    from coproduce.tsm.models import SurveyResponse, TsmYear

    call_command("migrate", verbosity=0)
    if TsmYear.objects.exists():
        print("The benchmark needs an empty database (unset DATABASE_URL).", file=sys.stderr)
        return 2
    data = survey(args.responses, random.Random(args.seed))
    coordinator = User.objects.create_user(
        "bench.coordinator@example.org", None, full_name="Bench Coordinator", role=Role.COORDINATOR
    )
    year = services.year_create(label="2025/26", actor=coordinator)
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}

    upload = timed(
        "survey_import",
        lambda: services.survey_import(
            year=year, data=data, filename="survey.csv", actor=coordinator
        ),
        seconds,
        cpu,
    )
    targets = timed(
        "weights_import",
        lambda: services.weights_import(
            year=year, data=weights_file(), filename="weights.csv", actor=coordinator
        ),
        seconds,
        cpu,
    )
    results = timed("year_results", lambda: selectors.year_results(year), seconds, cpu)

    # Ready to publish (not timed): homes, the statement and every management figure.
    services.figures_save(
        year=year,
        figures={
            (spec.code, spec.part): (
                (Decimal(9), Decimal(10))
                if spec.kind == "percent"
                else (Decimal(25), Decimal(1000))
            )
            for spec in management.MANAGEMENT
        },
        actor=coordinator,
    )
    year.refresh_from_db()
    year = services.year_update(
        year=year,
        data={
            "lcra_homes": 200_000,
            "lcho_homes": 30_000,
            "survey_timing": "October 2025",
            "collection_methods": "Telephone",
            "sample_method": "Everyone",
            "contractor_role": "We ran it ourselves.",
            "exclusions": "None",
            "incentives": "None",
            "changes": "None",
        },
        version=year.version,
        actor=coordinator,
    )
    year = services.year_publish(year=year, actor=coordinator)

    client = Client()
    page = timed(
        "public_page",
        lambda: client.get(reverse("tsm:publication", kwargs={"slug": year.slug}), secure=True),
        seconds,
        cpu,
    )
    pdf = timed("render_pdf", lambda: publication.render_pdf(year), seconds, cpu)
    total = round(sum(seconds.values()), 2)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    tp01 = results.perception["TP01"]["LCRA"]
    report = {
        "benchmark": "TSM survey through the database",
        "database": connection.vendor,
        "responses": args.responses,
        "stored": SurveyResponse.objects.filter(year=year).count(),
        "file_mb": round(len(data) / 1_000_000, 1),
        "seconds": seconds,
        "total_seconds": total,
        "cpu_seconds": cpu,
        "total_cpu_seconds": round(sum(cpu.values()), 2),
        "peak_rss_mb": round(peak_mb, 1),
        "weight_targets": len(targets),
        "weighted": results.weighting is not None and not results.error,
        "tp01_lcra_percent": None if tp01 is None else float(tp01.percent or 0),
        "page_status": page.status_code,
        "page_kb": round(len(page.content) / 1024, 1),
        "pdf_kb": round(len(pdf) / 1024, 1),
        "target_seconds": TARGET_SECONDS,
        "met": total < TARGET_SECONDS
        and upload.responses == args.responses
        and page.status_code == 200
        and pdf.startswith(b"%PDF"),
    }
    print(json.dumps(report, indent=2))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
