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


def test_a_people_import_queues_a_refresh(db, tmp_path, django_capture_on_commit_callbacks):
    # The import writes with raw SQL (no post_save): people sends `people_imported` instead.
    from coproduce.people.importing import import_file

    cache.delete(FLAG)
    path = tmp_path / "people.csv"
    path.write_text("external_ref,first_name,area\nHA-1,Nia,Northfield\nHA-2,Sam,Mill Court\n")
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file(path)
    assert result.saved and result.created == 2
    assert _queued() == 1


def test_a_refused_import_queues_nothing(db, tmp_path, django_capture_on_commit_callbacks):
    from coproduce.people.importing import import_file

    cache.delete(FLAG)
    path = tmp_path / "people.csv"
    path.write_text("external_ref,first_name\nHA-1,Nia\nHA-2,\n")  # first_name is required
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file(path)
    assert not result.saved
    assert _queued() == 0
