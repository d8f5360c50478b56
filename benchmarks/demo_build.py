"""Benchmark: `coproduce demo --homes 125000` on a fresh database.

Migrates a fresh SQLite database in a temporary directory, then runs the real command in a
child process and reports its wall time, CPU time and peak RSS (from os.wait4, so only that
child is measured) as JSON. With DATABASE_URL set to a PostgreSQL URL it also runs on a
scratch database `coproduce_bench_demo` created next to it and dropped afterwards.

    .venv/bin/python benchmarks/demo_build.py [--homes 125000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
COPRODUCE = str(Path(sys.executable).with_name("coproduce"))
TARGET_SECONDS = 120  # "well under a couple of minutes"
SCRATCH_DB = "coproduce_bench_demo"


def run_measured(command: list[str], env: dict[str, str], log_dir: Path) -> dict[str, object]:
    """Run one command; wall time, CPU time and peak RSS of that child alone."""
    stdout_path, stderr_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    with stdout_path.open("w") as out, stderr_path.open("w") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = stderr_path.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {tail}")
    return {
        "seconds": round(seconds, 2),
        # CPU time of the command itself (not the database server): steadier than wall time
        # on a shared machine.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "summary": stdout_path.read_text().splitlines()[:2],
    }


def bench(name: str, url: str, homes: int, seed: int, log_dir: Path) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    subprocess.run(
        [COPRODUCE, "manage", "migrate", "--noinput", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    build = run_measured(
        [COPRODUCE, "demo", "--homes", str(homes), "--seed", str(seed)], env, log_dir
    )
    return {"database": name, **build, "meets_target": build["seconds"] < TARGET_SECONDS}  # type: ignore[operator]


def _postgres_scratch(url: str, action: str) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
        if action == "create":
            conn.execute(f"CREATE DATABASE {SCRATCH_DB}")
    return urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=125_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="coproduce-bench-demo-") as tmp:
        log_dir = Path(tmp)
        sqlite_url = f"sqlite:///{log_dir / 'demo.sqlite3'}"
        results.append(bench("sqlite", sqlite_url, args.homes, args.seed, log_dir))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            scratch = _postgres_scratch(url, "create")
            try:
                results.append(bench("postgresql", scratch, args.homes, args.seed, log_dir))
            finally:
                _postgres_scratch(url, "drop")

    report = {
        "benchmark": "demo_build",
        "command": f"coproduce demo --homes {args.homes} --seed {args.seed}",
        "target_seconds": TARGET_SECONDS,
        "results": results,
    }
    print(json.dumps(report, indent=2))
    out_dir = ROOT / "benchmarks" / "out"
    if out_dir.is_dir():
        (out_dir / "demo_build.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if all(r["meets_target"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
