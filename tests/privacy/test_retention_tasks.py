"""The nightly run: one chain of tasks at 02:30 London time, and `coproduce retention`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from coproduce.cli import main as coproduce
from coproduce.core.models import AuditEntry
from coproduce.people.models import Interest
from coproduce.privacy.retention_tasks import (
    apply_retention_schedule,
    next_run_after,
    retention_schedule_start,
)

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
TASK = "coproduce.privacy.retention_tasks.apply_retention_schedule"


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Winter: 02:30 GMT is 02:30 UTC.
        (dt.datetime(2027, 1, 10, 12, 0, tzinfo=UTC), dt.datetime(2027, 1, 11, 2, 30, tzinfo=UTC)),
        (dt.datetime(2027, 1, 10, 2, 29, tzinfo=UTC), dt.datetime(2027, 1, 10, 2, 30, tzinfo=UTC)),
        # Exactly at the time: the next one is tomorrow.
        (dt.datetime(2027, 1, 10, 2, 30, tzinfo=UTC), dt.datetime(2027, 1, 11, 2, 30, tzinfo=UTC)),
        # The night the clocks go forward (28 March 2027, 01:00 GMT becomes 02:00 BST).
        (dt.datetime(2027, 3, 28, 0, 30, tzinfo=UTC), dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        # Summer: 02:30 BST is 01:30 UTC.
        (dt.datetime(2027, 7, 1, 9, 0, tzinfo=UTC), dt.datetime(2027, 7, 2, 1, 30, tzinfo=UTC)),
    ],
)
def test_the_next_run_is_at_half_past_two_london_time(now, expected):
    assert next_run_after(now) == expected
    assert next_run_after(now).astimezone(LONDON).time() == dt.time(2, 30)


def test_starting_the_chain_twice_queues_one_run(db):
    now = dt.datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    started, when = retention_schedule_start(now=now)
    assert started and when == dt.datetime(2027, 1, 11, 2, 30, tzinfo=UTC)
    started_again, when_again = retention_schedule_start(now=now)
    assert not started_again and when_again == when
    assert len(queued()) == 1
    assert queued()[0].run_after == when


def test_a_run_queues_the_next_one_and_applies_the_schedule(db):
    Interest.objects.create(name="Wanda Waiting")
    Interest.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=UTC))
    retention_schedule_start()
    # The worker marks the queued run as running, then calls it.
    DBTaskResult.objects.filter(task_path=TASK).update(status=TaskResultStatus.RUNNING)
    totals = apply_retention_schedule.call()
    assert totals["sign_ups"] == 1
    assert not Interest.objects.exists()
    [following] = queued()
    assert following.run_after.astimezone(LONDON).time() == dt.time(2, 30)
    assert AuditEntry.objects.filter(action="retention.run", actor=None).count() == 1


def test_a_run_while_another_is_queued_does_not_start_a_second_chain(db):
    retention_schedule_start()
    apply_retention_schedule.call()
    assert len(queued()) == 1


def test_a_backend_that_cannot_wait_never_chains(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert retention_schedule_start() == (False, None)
    assert not DBTaskResult.objects.exists()


# ---------------------------------------------------------------------------------------------
# The command


def test_the_command_is_listed_in_help(capsys):
    assert coproduce(["--help"]) == 0
    assert "retention" in capsys.readouterr().out


def test_a_dry_run_lists_what_would_go_and_changes_nothing(db, capsys):
    interest = Interest.objects.create(name="Wanda Waiting")
    Interest.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=UTC))
    assert coproduce(["retention", "--dry-run", "--today", "2021-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Would remove 1 × people.interest" in out
    assert f"ids {interest.pk}" in out
    assert Interest.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_the_command_removes_what_is_due(db, capsys):
    Interest.objects.create(name="Wanda Waiting")
    Interest.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=UTC))
    assert coproduce(["retention", "--today", "2021-01-01"]) == 0
    assert "Removed 1 × people.interest" in capsys.readouterr().out
    assert not Interest.objects.exists()
    assert coproduce(["retention", "--today", "2021-01-01"]) == 0
    assert "Nothing to remove." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["retention", "--today", "1 April"],
        ["retention", "--today", "2030-02-30"],
        ["retention", "--schedule", "--dry-run"],
        ["retention", "--nonsense"],
    ],
)
def test_bad_options_exit_2_with_one_line_on_stderr(db, capsys, argv):
    assert coproduce(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("coproduce retention: ")
    assert err.count("\n") == 1


def test_the_schedule_option_starts_the_chain_once(db, capsys):
    assert coproduce(["retention", "--schedule"]) == 0
    assert "queued for" in capsys.readouterr().out
    assert coproduce(["retention", "--schedule"]) == 0
    assert "already queued" in capsys.readouterr().out
    assert len(queued()) == 1
