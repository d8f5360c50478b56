"""Bulk upsert: up to 1,000 people, all or nothing, every refused row listed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from coproduce.core.models import AuditEntry
from coproduce.people.models import Person

URL = "/api/v1/people/bulk"


def people(n: int, start: int = 0, **extra: object) -> list[dict[str, object]]:
    return [
        {"external_ref": f"B-{i}", "first_name": f"P{i}", "last_name": "Bulk", **extra}
        for i in range(start, start + n)
    ]


def test_bulk_creates_updates_and_counts_unchanged(api_client):
    client = api_client("people:write")
    first = client.post(URL, {"people": people(3)})
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (3, 0, 0)
    assert body["ids"] == {
        ref: pk
        for ref, pk in Person.objects.filter(last_name="Bulk").values_list("external_ref", "pk")
    }
    batch = people(3)
    batch[1]["phone"] = "07700 900123"
    batch.append({"external_ref": "B-9", "first_name": "New", "contact_consent": True})
    second = client.post(URL, {"people": batch}).json()
    assert (second["created"], second["updated"], second["unchanged"]) == (1, 1, 2)
    assert Person.objects.get(external_ref="B-1").phone == "07700 900123"
    new = Person.objects.get(external_ref="B-9")
    assert new.contact_consent and new.contact_consent_at is not None
    entry = AuditEntry.objects.filter(action="people.imported").latest("pk")
    assert "created: 1, updated: 1, unchanged: 2" in entry.summary


def test_one_bad_row_and_nothing_is_written_every_bad_row_listed(api_client):
    batch = people(5)
    batch[1]["email"] = "not-an-email"
    batch[3]["tenure"] = "castle"
    batch[3]["first_name"] = "Two\nLines"
    response = api_client("people:write").post(URL, {"people": batch})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [
        ["body", "people", 1, "email"],
        ["body", "people", 3, "first_name"],
        ["body", "people", 3, "tenure"],
    ]
    assert errors[0]["msg"] == "email 'not-an-email' is not an email address"
    assert not Person.objects.filter(last_name="Bulk").exists()


def test_the_same_reference_twice_in_one_batch_is_refused(api_client):
    batch = [*people(2), {"external_ref": "B-0", "first_name": "Again"}]
    response = api_client("people:write").post(URL, {"people": batch})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body", "people", 2, "external_ref"],
            "msg": "external_ref 'B-0' is also in record 0",
        }
    ]
    assert not Person.objects.filter(last_name="Bulk").exists()


def test_more_than_a_thousand_is_refused_clearly(api_client):
    response = api_client("people:write").post(URL, {"people": people(1001)})
    assert response.status_code == 413
    assert "at most 1,000" in response.json()["detail"]
    assert not Person.objects.filter(last_name="Bulk").exists()


def test_a_restricted_person_in_a_batch_stops_the_batch(api_client, users):
    Person.objects.filter(external_ref="T-ALICE").update(processing_restricted=True)
    batch = [*people(2), {"external_ref": "T-ALICE", "phone": "1"}]
    response = api_client("people:write").post(URL, {"people": batch})
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "people", 2, "external_ref"]
    assert not Person.objects.filter(last_name="Bulk").exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_batch_twice_at_once_gives_one_clean_outcome(api_client, users):
    client = api_client("people:write")
    batch = {"people": people(300)}
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    bodies: list[dict[str, int]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = client.post(URL, batch)
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    assert sorted(b["created"] for b in bodies) == [0, 300]
    assert sorted(b["unchanged"] for b in bodies) == [0, 300]
    assert Person.objects.filter(last_name="Bulk").count() == 300
    assert bodies[0]["ids"] == bodies[1]["ids"]
