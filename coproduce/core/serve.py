"""`coproduce serve` (and `make serve`): the app in production on one server.

Migrates, collects the static files, then runs gunicorn (WEB_CONCURRENCY workers, default 3)
and a task worker side by side. When either stops, or a SIGTERM or Ctrl+C comes, both stop.
Several servers may start at once: migrations wait for each other (a PostgreSQL advisory lock),
so only the first applies them. See docs/production.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from django.core.management import call_command
from django.db import connection

# gunicorn's settings (gthread workers, keep-alive): read whatever folder serve is run from.
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
# Any fixed number will do, as long as nothing else in the database uses it.
MIGRATION_LOCK = 20_200_001


@contextmanager
def _one_migration_at_a_time() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coproduce serve",
        description="Migrate, collect static files, then run gunicorn and a task worker.",
    )
    parser.add_argument(
        "--bind",
        default=os.environ.get("BIND", "127.0.0.1:8000"),
        help="address for gunicorn, behind your TLS proxy (env BIND, default 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "3")),
        help="gunicorn worker processes (env WEB_CONCURRENCY, default 3)",
    )
    parser.add_argument(
        "--no-tasks",
        action="store_true",
        help="run no task worker here (when workers run on other machines)",
    )
    parser.add_argument(
        "--no-migrate", action="store_true", help="skip migrations (run them elsewhere)"
    )
    return parser


def commands(*, bind: str, workers: int, tasks: bool) -> dict[str, list[str]]:
    """The processes `serve` runs, by name."""
    found = {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "coproduce.wsgi",
            "--config",
            str(GUNICORN_CONF),
            "--workers",
            str(workers),
            "--bind",
            bind,
        ]
    }
    if tasks:
        # under nice: background work (retraining after codings, dashboard refreshes) must
        # never slow the pages (benchmarks/load.py)
        found["tasks"] = [
            "nice",
            "-n",
            "10",
            sys.executable,
            "-m",
            "coproduce",
            "manage",
            "db_worker",
        ]
    return found


def cli_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if not args.no_migrate:
        with _one_migration_at_a_time():
            call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()

    running = {
        name: subprocess.Popen(command)  # noqa: S603 - our own fixed commands
        for name, command in commands(
            bind=args.bind, workers=args.workers, tasks=not args.no_tasks
        ).items()
    }
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    first = None
    try:
        while not stopping and first is None:
            time.sleep(0.5)
            first = next((name for name, p in running.items() if p.poll() is not None), None)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.terminate()
        for process in running.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    if first is None:
        return 0
    sys.stderr.write(f"coproduce serve: the {first} process stopped, so the rest were stopped.\n")
    return running[first].returncode or 1
