"""Code these next: the engine chooses passages after each retraining; evaluators confirm or
correct them in one click, which records a hand coding and queues the retraining."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from coproduce.evaluation import services
from coproduce.evaluation.models import Coding, EvidenceItem, HealthCheck, SuggestionBatch
from tests.evaluation.conftest import SURVEY
from tests.support.jobs import run_jobs


def _worker() -> None:
    run_jobs()  # the real db_worker, safe inside a test's transaction on PostgreSQL


@pytest.fixture
def themed(users, group, check):
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
    services.theme_run_start(check=check, actor=users["alice"], engine="tfidf")
    _worker()
    return check


def _url(check, item=None):
    if item is None:
        return reverse("evaluation:code_next", args=[check.pk])
    return reverse("evaluation:code_next_answer", args=[check.pk, item])


def test_the_engine_chooses_confirm_records_a_hand_coding_and_queues_retraining(
    client, users, group, themed, django_capture_on_commit_callbacks
):
    check = themed
    alice = group["members"][0]
    client.force_login(users["alice"])
    page = client.get(_url(check)).content.decode()
    assert "The computer has not chosen any passages yet." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(check))  # choose passages for me
    _worker()
    batch = SuggestionBatch.objects.get(health_check=check)
    assert len(batch.items) == 10  # every passage of this small check (fewer than 20)
    assert batch.moved is None
    page = client.get(_url(check)).content.decode()
    assert "This is the first batch the computer has chosen." in page
    first = batch.items[0]
    assert f'id="suggestion-{first["item"]}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(check, first["item"]), {"promise": first["guesses"][0], "answer": "confirm"}
        )
    assert response.status_code == 302
    coding = Coding.objects.get(item_id=first["item"], by_engine=False)
    assert coding.coder == alice and str(coding.promise_id) == first["guesses"][0]
    assert coding.created_at is not None
    assert HealthCheck.objects.get(pk=check.pk).remap_requested_at is not None
    assert DBTaskResult.objects.filter(
        task_path__endswith="remap_promises", status="READY"
    ).exists()
    page = client.get(_url(check)).content.decode()
    assert f'id="suggestion-{first["item"]}"' not in page  # answered: gone from the list
    assert "learning from your latest codings" in page
    # the retraining chooses again, never a passage coded by a person, and says what moved
    second = batch.items[1]
    other = [p.pk for p in check.promise_set.promises.all() if str(p.pk) != second["guesses"][0]][0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(check, second["item"]), {"promise": other, "answer": "correct"})
    _worker()
    new = SuggestionBatch.objects.filter(health_check=check).first()
    assert new.pk != batch.pk and new.trained_on == 2 and new.moved is not None
    assert not {s["item"] for s in new.items} & {first["item"], second["item"]}
    page = client.get(_url(check)).content.decode()
    assert "since your last batch" in page
    assert "Too few codings to judge" in page and "at least 10 needed" in page


def test_the_next_retraining_waits_for_the_pause_after_the_last(
    users, group, themed, settings, django_capture_on_commit_callbacks
):
    """Evaluators coding together do not retrain back to back: the task is queued to run no
    sooner than REMAP_PAUSE_SECONDS after the last retraining finished, and once only."""
    settings.REMAP_PAUSE_SECONDS = 20
    check = themed
    alice = group["members"][0]
    items = list(EvidenceItem.objects.filter(health_check=check).order_by("pk")[:3])
    promise = check.promise_set.promises.first()

    def code(item):
        with django_capture_on_commit_callbacks(execute=True):
            services.suggestion_answer(
                item=item, promise=promise, coder=alice, actor=users["alice"]
            )

    def remaps():
        return DBTaskResult.objects.filter(task_path__endswith="remap_promises")

    code(items[0])  # no retraining has run yet: it runs at once
    _worker()
    finished = SuggestionBatch.objects.get(health_check=check).created_at
    code(items[1])
    code(items[2])  # the retraining already waiting will include this coding
    waiting = remaps().filter(status="READY").get()
    assert waiting.run_after == finished + dt.timedelta(seconds=20)
    _worker()  # not due yet: it stays queued
    assert remaps().filter(status="READY").get().pk == waiting.pk
    assert SuggestionBatch.objects.filter(health_check=check).count() == 1
    # once due, it runs, on both codings
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=finished)
    _worker()
    assert SuggestionBatch.objects.filter(health_check=check).first().trained_on == 3


def test_quality_is_said_in_words_per_promise(client, users, group, themed):
    check = themed
    alice = group["members"][0]
    promises = list(check.promise_set.promises.all())
    items = list(EvidenceItem.objects.filter(health_check=check).order_by("id"))
    repairs = {0, 3, 5, 8}  # R1, R4, R6, R9 speak of repairs
    for n, item in enumerate(items):
        services.coding_add(
            item=item,
            coder=alice,
            actor=users["alice"],
            theme=None,
            promise=promises[0] if n in repairs else promises[1],
        )
    services.remap_execute(check.pk)
    batch = SuggestionBatch.objects.get(health_check=check)
    assert batch.items == []  # nothing left that a person has not coded
    first = {a["promise"]: a for a in batch.agreement}[str(promises[0].pk)]
    assert first["coded"] == 4 and first["tested"] == 4 and not first["enough"]
    client.force_login(users["alice"])
    page = client.get(_url(check)).content.decode()
    assert f"of {first['tested']} passages it had not seen" in page
    assert "You have answered every passage in this batch." in page


def test_refusals_change_nothing(client, users, group, check, themed):
    item = EvidenceItem.objects.filter(health_check=check).first()
    before = Coding.objects.filter(by_engine=False).count()
    # staff may read the page but cannot code; a tenant who is not an evaluator cannot either
    client.force_login(users["carol"])
    assert client.get(_url(check)).status_code == 200
    assert client.post(_url(check, item.pk), {"promise": "1"}).status_code == 403
    assert client.post(_url(check)).status_code == 403
    client.force_login(users["alice"])
    for bad in ["", "abc", "1\n2", "9" * 40, "x" * 100_000, "99999"]:
        response = client.post(_url(check, item.pk), {"promise": bad}, follow=True)
        assert response.status_code == 200
        assert "Choose one of this health check" in response.content.decode()
    many = {f"f{n}": "x" for n in range(1500)}
    response = client.post(_url(check, item.pk), {"promise": "1", **many})
    assert response.status_code == 400
    assert Coding.objects.filter(by_engine=False).count() == before


def test_the_same_answer_twice_is_recorded_once(users, group, themed):
    check = themed
    alice = group["members"][0]
    item = EvidenceItem.objects.filter(health_check=check).first()
    promise = check.promise_set.promises.first()
    services.suggestion_answer(item=item, promise=promise, coder=alice, actor=users["alice"])
    services.suggestion_answer(item=item, promise=promise, coder=alice, actor=users["alice"])
    assert Coding.objects.filter(item=item, by_engine=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_are_recorded_once(users, group, check):
    if connection.vendor == "sqlite":
        pytest.skip("two connections at once need PostgreSQL")
    alice = group["members"][0]
    item = services.evidence_add(
        check=check,
        kind="interview",
        source="Interview",
        text="Repairs are slow.",
        gathered_on=dt.date(2026, 6, 1),
        person=alice,
        actor=users["alice"],
    )
    promise = check.promise_set.promises.first()
    barrier = threading.Barrier(2)

    def answer():
        barrier.wait()
        services.suggestion_answer(item=item, promise=promise, coder=alice, actor=users["alice"])
        connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Coding.objects.filter(item=item, by_engine=False).count() == 1
