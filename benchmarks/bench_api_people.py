"""Benchmark: 100,000 people upserted through the API in batches of 1,000 (target < 120 s).

Each database runs in a child process (so DATABASE_URL is read before Django starts): a fresh
SQLite file, and PostgreSQL when DATABASE_URL is a PostgreSQL URL (people whose reference
starts with API- are deleted there first: use a scratch database). The child migrates, makes a
people:write token and sends every batch as a real HTTP request through Django's test Client
(the whole stack: middleware, token check and audit, rate limit, JSON parsing, validation,
the importer's checks and batched writer). Three passes: all created; the same batches again
(all unchanged); then every other person changed (half updated, half unchanged).

    .venv/bin/python benchmarks/bench_api_people.py [--people 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coproduce_bench_api .venv/bin/python ...
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120
BATCH = 1000

FIRST = "Amira Ben Chloe Dev Ella Femi Grace Hassan Isla Jack Kai Leah Mo Nia Olu Priya".split()
LAST = "Smith Jones Patel Khan Brown Taylor Wilson Evans Okafor Nowak Murphy Ali Chen".split()
AREAS = ["Northfield", "Southgate", "Riverside", "Hillcrest", "Old Town", "Meadowbank"]
TENURES = ["general_needs"] * 6 + ["sheltered", "supported", "shared_ownership", "leasehold"]
CHANNELS = ["in_person", "online", "phone", "paper", "text"]
TIMES = ["weekday_daytime", "weekday_evening", "weekend"]


def person(n: int, rng: random.Random) -> dict[str, object]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "external_ref": f"API-{n:07d}",
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower()}.{last.lower()}{n}@example.org" if n % 4 else "",
        "phone": f"07700 9{n % 100000:05d}",
        "address": f"{n % 300 + 1} {rng.choice(LAST)} Road",
        "postcode": f"NF{n % 20} {n % 9}AB",
        "area": rng.choice(AREAS),
        "scheme": f"Scheme {n % 400}",
        "tenure": rng.choice(TENURES),
        "date_of_birth": f"{rng.randint(1930, 2006)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}",
        "preferred_channels": rng.sample(CHANNELS, rng.randint(0, 3)),
        "availability": rng.sample(TIMES, rng.randint(0, 2)),
        "accessibility_needs": "Step-free access" if n % 17 == 0 else "",
        "language_needs": "Polish" if n % 23 == 0 else "",
        "contact_consent": rng.choice([True, False]),
    }


def child(count: int, fresh: bool) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from coproduce.accounts.models import User
    from coproduce.api.tokens import token_create
    from coproduce.people.models import Person

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    if not fresh:
        Person.objects.filter(external_ref__startswith="API-").delete()
    owner = User.objects.filter(email="bench-api@example.org").first()
    if owner is None:
        owner = User.objects.create_user("bench-api@example.org", None, full_name="Bench")
    secret = token_create(
        name="Benchmark",
        kind="service",
        owner=owner,
        scopes=["people:write"],
        days=1,
        created_by=owner,
    ).secret
    rng = random.Random(7)
    everyone = [person(n, rng) for n in range(count)]
    bodies = [json.dumps({"people": everyone[i : i + BATCH]}) for i in range(0, count, BATCH)]
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    def send_all(batches: list[str]) -> dict[str, object]:
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        start, cpu = time.perf_counter(), time.process_time()
        for body in batches:
            response = client.post(
                "/api/v1/people/bulk", data=body, content_type="application/json", secure=True
            )
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code}: {response.content[:2000]!r}")
            got = response.json()
            for key in totals:
                totals[key] += got[key]
        return {
            "seconds": round(time.perf_counter() - start, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "counts": totals,
        }

    first = send_all(bodies)
    again = send_all(bodies)
    for n, one in enumerate(everyone):
        if n % 2 == 0:
            one["scheme"] = f"Estate {n % 400}"
    changed = [json.dumps({"people": everyone[i : i + BATCH]}) for i in range(0, count, BATCH)]
    half = send_all(changed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "database": connection.vendor,
        "migrate_seconds": round(migrate_seconds, 2),
        "created": first,
        "again_unchanged": again,
        "half_updated": half,
        "peak_rss_mb": round(peak, 1),
        "meets_target": all(
            step["seconds"] < TARGET_SECONDS  # type: ignore[operator]
            for step in (first, again, half)
        ),
    }


def run(url: str, count: int, fresh: bool) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false"}
    env.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--people", str(count)]
        + (["--fresh"] if fresh else []),
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:] + out.stdout[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.people, args.fresh)))
        return 0
    report: dict[str, object] = {
        "benchmark": "bench_api_people",
        "people": args.people,
        "batch": BATCH,
        "target_seconds": TARGET_SECONDS,
        "runs": [],
    }
    runs: list[dict[str, object]] = report["runs"]  # type: ignore[assignment]
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory(prefix="coproduce-bench-api-") as tmp:
            runs.append(run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.people, True))
    url = os.environ.get("DATABASE_URL", "")
    if args.only != "sqlite" and url.startswith(("postgres://", "postgresql://")):
        runs.append(run(url, args.people, False))
    print(json.dumps(report, indent=2))
    return 0 if all(r["meets_target"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
