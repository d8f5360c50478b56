"""Benchmark: `coproduce import-people` on a 125,000-row CSV (target < 60 s, < 1 GB).

Generates a realistic CSV in a temporary directory, migrates a fresh SQLite database and
runs the real command in a child process: first import (all created), then the same file
again (all unchanged), then a copy with every row changed (all updated). With DATABASE_URL
set to a PostgreSQL URL it also runs against PostgreSQL (people whose reference starts with
HA- are deleted there first: use a scratch database).

Wall time and the child's peak RSS (getrusage RUSAGE_CHILDREN, measured in a fresh
intermediate process per step so each step is measured on its own) are printed as JSON.

    .venv/bin/python benchmarks/import_people.py [--rows 125000] [--keep]
"""

from __future__ import annotations

import argparse
import csv
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
COPRODUCE = str(Path(sys.executable).with_name("coproduce"))
TARGET_SECONDS = 60
TARGET_MB = 1024

FIRST = "Amira Ben Chloe Dev Ella Femi Grace Hassan Isla Jack Kai Leah Mo Nia Olu Priya".split()
LAST = "Smith Jones Patel Khan Brown Taylor Wilson Evans Okafor Nowak Murphy Ali Chen".split()
AREAS = ["Northfield", "Southgate", "Riverside", "Hillcrest", "Old Town", "Meadowbank"]
TENURES = ["general_needs"] * 6 + ["sheltered", "supported", "shared_ownership", "leasehold"]
CHANNELS = ["in_person", "online", "phone", "paper", "text"]
TIMES = ["weekday_daytime", "weekday_evening", "weekend"]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    sys.path.insert(0, str(ROOT))
    rng = random.Random(seed)
    header = (
        "external_ref,first_name,last_name,email,phone,address,postcode,area,scheme,tenure,"
        "date_of_birth,preferred_channels,availability,accessibility_needs,language_needs,"
        "caring_responsibilities,digital_access,reward_preference,contact_consent"
    ).split(",")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            born = f"{rng.randint(1930, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if n % 3 == 0:  # some exports use UK dates
                born = f"{born[8:10]}/{born[5:7]}/{born[0:4]}"
            writer.writerow(
                [
                    f"HA-{n:07d}",
                    first,
                    last,
                    f"{first.lower()}.{last.lower()}{n}@example.org" if n % 4 else "",
                    f"07700 9{n % 100000:05d}",
                    f"{n % 300 + 1} {rng.choice(LAST)} Road",
                    f"NF{n % 20} {n % 9}AB",
                    rng.choice(AREAS),
                    f"Scheme {n % 400}",
                    rng.choice(TENURES),
                    born,
                    ";".join(rng.sample(CHANNELS, rng.randint(0, 3))),
                    ";".join(rng.sample(TIMES, rng.randint(0, 2))),
                    "Step-free access" if n % 17 == 0 else "",
                    "Polish" if n % 23 == 0 else "",
                    rng.choice(["yes", "no", ""]),
                    rng.choice(["none", "needs_support", "online"]),
                    rng.choice(["cash", "voucher", "none", ""]),
                    rng.choice(["yes", "no"]),
                ]
            )


def measure(command: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run one command in a fresh intermediate process so RUSAGE_CHILDREN is its own."""
    helper = (
        "import json, resource, subprocess, sys, time\n"
        "cmd = json.loads(sys.argv[1])\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(cmd, capture_output=True, text=True)\n"
        "seconds = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "rss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps({'seconds': seconds, 'peak_rss_kb': rss, 'rc': done.returncode,"
        " 'cpu': cpu,"
        " 'stdout': done.stdout, 'stderr': done.stderr[-2000:]}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", helper, json.dumps(command)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result['rc']}): {result['stderr']}")
    counts = {}
    for line in result["stdout"].splitlines():
        key, _, value = line.partition(": ")
        if key in ("created", "updated", "unchanged", "rejected"):
            counts[key] = int(value)
    # Linux reports ru_maxrss in kilobytes.
    return {
        "seconds": round(result["seconds"], 2),
        # CPU time of the command itself (not the database server): steadier than wall
        # time on a shared machine.
        "cpu_seconds": round(result["cpu"], 2),
        "peak_rss_mb": round(result["peak_rss_kb"] / 1024, 1),
        "counts": counts,
    }


def run_database(name: str, url: str, csv_path: Path, *, fresh_sqlite: bool) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url}
    migrate = measure([COPRODUCE, "manage", "migrate", "--verbosity", "0"], env)
    if not fresh_sqlite:
        clear = (
            "from coproduce.people.models import Person; "
            "Person.objects.filter(external_ref__startswith='HA-').delete()"
        )
        measure([COPRODUCE, "manage", "shell", "-c", clear], env)
    first = measure([COPRODUCE, "import-people", str(csv_path)], env)
    again = measure([COPRODUCE, "import-people", str(csv_path)], env)
    # Every row changed (the scheme column), to time the update path too.
    changed_path = csv_path.with_name("people-changed.csv")
    changed_path.write_text(csv_path.read_text(encoding="utf-8").replace(",Scheme ", ",Estate "))
    changed = measure([COPRODUCE, "import-people", str(changed_path)], env)
    return {
        "database": name,
        "migrate_seconds": migrate["seconds"],
        "import": first,
        "reimport_unchanged": again,
        "reimport_all_changed": changed,
        "meets_target": all(
            step["seconds"] < TARGET_SECONDS and step["peak_rss_mb"] < TARGET_MB  # type: ignore[operator]
            for step in (first, again, changed)
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=125_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coproduce-bench-"))
    csv_path = tmp / "people.csv"
    started = time.perf_counter()
    write_csv(csv_path, args.rows)
    report: dict[str, object] = {
        "benchmark": "import_people",
        "rows": args.rows,
        "file_mb": round(csv_path.stat().st_size / 1024 / 1024, 1),
        "generate_seconds": round(time.perf_counter() - started, 2),
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_MB},
        "runs": [
            run_database(
                "sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", csv_path, fresh_sqlite=True
            )
        ],
    }
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        report["runs"].append(  # type: ignore[attr-defined]
            run_database("postgresql", url, csv_path, fresh_sqlite=False)
        )
    if args.keep:
        report["tmp"] = str(tmp)
    else:
        for path in sorted(tmp.iterdir()):
            path.unlink()
        tmp.rmdir()
    print(json.dumps(report, indent=2))
    return 0 if all(run["meets_target"] for run in report["runs"]) else 1  # type: ignore[attr-defined]


if __name__ == "__main__":
    resource.getrusage(resource.RUSAGE_SELF)  # fail early where resource is unavailable
    sys.exit(main())
