"""The nightly retention run: a django-tasks task that applies the schedule and queues itself.

There is one chain: each run first queues the next one (at RETENTION_RUN_AT, 02:30 London
time by default), then applies the schedule, so a run that fails still leaves tomorrow's run
queued. `retention_schedule_start()` starts the chain, and does nothing when a run is already
queued, so calling it at every start of the app (as `make run` does) never makes a second
chain. Where no worker runs, `coproduce retention` from cron does the same work.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from coproduce.privacy import retention

log = logging.getLogger(__name__)

# Any fixed number: the PostgreSQL advisory lock that stops two starts racing.
_LOCK_KEY = 1_301_303


def run_at() -> dt.time:
    hours, _, minutes = settings.RETENTION_RUN_AT.partition(":")
    return dt.time(int(hours), int(minutes or 0))


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next RETENTION_RUN_AT (local time) strictly after `now`."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    at = dt.datetime.combine(local.date(), run_at(), tzinfo=zone)
    if at <= local:
        at = dt.datetime.combine(local.date() + dt.timedelta(days=1), run_at(), tzinfo=zone)
    return at


@task()
def apply_retention_schedule() -> dict[str, int]:
    """Queue tomorrow's run, then apply today's schedule; returns the counts per kind."""
    _enqueue_next(now=timezone.now())
    removed = retention.retention_apply(today=timezone.localdate())
    totals = retention.totals_by_kind(removed)
    log.info("Retention schedule applied: %s", totals)
    return totals


def _task_path() -> str:
    return apply_retention_schedule.module_path


def queued_run() -> dt.datetime | None:
    """When the next run is queued for, or None when no run is waiting."""
    from django_tasks_db.models import DBTaskResult, TaskResultStatus

    waiting = (
        DBTaskResult.objects.filter(task_path=_task_path(), status=TaskResultStatus.READY)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return waiting


def _enqueue_next(*, now: dt.datetime) -> dt.datetime | None:
    backend = apply_retention_schedule.get_backend()
    if not backend.supports_defer:
        # A backend that runs tasks at once would run the chain for ever; use cron instead.
        log.warning("The task backend cannot wait; use `coproduce retention` from cron.")
        return None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        if queued_run() is not None:
            return None
        when = next_run_after(now)
        apply_retention_schedule.using(run_after=when).enqueue()
        return when


def retention_schedule_start(*, now: dt.datetime | None = None) -> tuple[bool, dt.datetime | None]:
    """Start the nightly chain unless a run is already queued.

    Returns (started, when): started is False when a run was already waiting, and `when` is
    the time of the queued run either way (None if the backend cannot queue for later).
    """
    started = _enqueue_next(now=now or timezone.now())
    return (started is not None, started or queued_run())
