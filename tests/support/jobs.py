"""Run the queued background tasks inside a test, with the real `db_worker` command.

The worker closes "old" database connections between tasks, as a long-running process should;
inside a test that would close the test's own transaction on PostgreSQL, so that one piece of
connection housekeeping is switched off while the worker runs.
"""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_jobs() -> None:
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
