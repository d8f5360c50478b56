"""Two "theme the evidence" clicks at once start one run; the other gets a clear message."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from coproduce.evaluation import services
from coproduce.evaluation.models import ThemeRun
from tests.evaluation.conftest import SURVEY


@pytest.mark.django_db(transaction=True)
def test_two_theming_starts_at_once_make_one_run(users, group, check):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one write at a time, so there is no race.")
    services.evidence_import(
        check=check,
        kind="survey",
        data=SURVEY.encode(),
        filename="tsm.csv",
        title="TSM",
        gathered_on=dt.date(2026, 6, 1),
        person=group["members"][0],
        actor=users["alice"],
    )
    barrier = threading.Barrier(2)
    results: list[str] = []

    def start() -> None:
        try:
            barrier.wait(timeout=10)
            services.theme_run_start(check=check, actor=users["alice"], engine="tfidf")
            results.append("started")
        except ValidationError as exc:
            results.append(exc.messages[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["Theming is already running for this health check.", "started"]
    assert ThemeRun.objects.filter(health_check=check).count() == 1
