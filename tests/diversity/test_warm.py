import datetime as dt

from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from coproduce.diversity import selectors
from coproduce.diversity.tasks import FLAG, warm_dashboard
from coproduce.people.models import Person


def _queued():
    return DBTaskResult.objects.filter(task_path__endswith="warm_dashboard").count()


def test_a_burst_of_changes_queues_one_refresh(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            Person.objects.create(first_name=f"P{n}", date_of_birth=dt.date(1990, 1, 1))
    assert _queued() == 1


def test_the_refresh_fills_the_cache_with_current_figures(world):
    cache.set(FLAG, 1)
    warm_dashboard.call()
    assert cache.get(FLAG) is None
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        board = selectors.dashboard(raw=False)
    # Only the cheap change stamps run: both sets of figures come from the cache.
    assert not any(
        "GROUP BY" in q["sql"] and "people_person" in q["sql"] for q in queries.captured_queries
    )
    assert board.participants == 42
