"""Writing people through the API: upsert by external_ref with the importer's rules and words,
PATCH with If-Match, restricted and erased records, scopes and audit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.people.importing.columns import BY_NAME, RowError
from coproduce.people.models import Area, Person
from coproduce.people.services import ref_fingerprint

URL = "/api/v1/people/by-ref/"


def if_match(tag: str) -> dict[str, str]:
    return {"If-Match": tag}


def importer_message(column: str, text: str) -> str:
    with pytest.raises(RowError) as refused:
        BY_NAME[column].parse(text)
    return str(refused.value)


def test_upsert_creates_then_updates_then_leaves_alone(api_client):
    client = api_client("people:write")
    body = {"first_name": "Sam", "last_name": "Jones", "postcode": "nf1  2ab", "area": "Mill"}
    created = client.put(URL + "HA-1", body)
    assert created.status_code == 201, created.content
    person = Person.objects.get(external_ref="HA-1")
    assert created.json()["id"] == person.pk
    assert person.postcode == "NF1 2AB"  # tidied as the importer does
    assert person.area == Area.objects.get(name="Mill")
    assert created["ETag"].startswith(f'"{person.pk}.')

    updated = client.put(URL + "HA-1", {"phone": "07700 900123"})
    assert updated.status_code == 200
    person.refresh_from_db()
    assert (person.phone, person.last_name) == ("07700 900123", "Jones")  # left-out fields stay

    again = client.put(URL + "HA-1", {"phone": "07700 900123"})
    assert again.status_code == 200
    assert again["ETag"] == updated["ETag"]  # unchanged: not even updated_at moves
    assert Person.objects.filter(external_ref="HA-1").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("email", "not-an-email", "not-an-email"),
        ("tenure", "castle", "castle"),
        ("date_of_birth", "31/02/1980", "31/02/1980"),
        ("preferred_channels", ["in_person", "pigeon"], "in_person;pigeon"),
        ("contact_consent", "perhaps", "perhaps"),
        ("first_name", "Sam\nJones", "Sam\nJones"),
        ("last_name", "x" * 100_000, "x" * 100_000),
        ("accessibility_needs", "x" * 100_000, "x" * 100_000),
    ],
)
def test_the_importer_refuses_it_so_the_api_refuses_it_with_the_same_words(
    api_client, field, value, text
):
    body = {"first_name": "Sam", field: value}
    response = api_client("people:write").put(URL + "HA-2", body)
    assert response.status_code == 422
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["errors"] == [{"loc": ["body", field], "msg": importer_message(field, text)}]
    assert not Person.objects.filter(external_ref="HA-2").exists()


def test_a_new_person_needs_a_first_name_and_the_ref_must_fit(api_client):
    client = api_client("people:write")
    response = client.put(URL + "HA-3", {"last_name": "Jones"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "first_name"], "msg": "first_name is empty but is required"}
    ]
    long_ref = "R" * 65
    response = client.put(URL + long_ref, {"first_name": "Sam"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "external_ref"]
    assert Person.objects.filter(last_name="Jones").count() == 0


def test_unknown_fields_and_a_different_ref_in_the_body_are_refused(api_client):
    client = api_client("people:write")
    assert client.put(URL + "HA-4", {"first_name": "S", "shoe_size": "9"}).status_code == 422
    response = client.put(URL + "HA-4", {"first_name": "S", "external_ref": "HA-5"})
    assert response.status_code == 422
    assert not Person.objects.filter(first_name="S").exists()


def test_nul_is_refused(api_client):
    response = api_client("people:write").put(URL + "HA-6", {"first_name": "S\u0000"})
    assert response.status_code == 400
    assert not Person.objects.filter(external_ref="HA-6").exists()


def test_if_match_is_honoured_on_upsert_when_sent(api_client, users):
    client = api_client("people:write", "people:read")
    alice = users["alice"].person
    tag = client.get(f"/api/v1/people/{alice.pk}")["ETag"]
    stale = '"1.1"'
    refused = client.put(URL + "T-ALICE", {"phone": "01234 567890"}, **if_match(stale))
    assert refused.status_code == 412
    assert (
        client.put(URL + "T-ALICE", {"phone": "01234 567890"}, **if_match(tag)).status_code == 200
    )
    # If-Match on someone who does not exist yet cannot match anything.
    assert client.put(URL + "HA-NEW", {"first_name": "N"}, **if_match(tag)).status_code == 412
    assert not Person.objects.filter(external_ref="HA-NEW").exists()


def test_patch_needs_if_match_and_refuses_a_stale_one(api_client, users):
    client = api_client("people:write", "people:read")
    alice = users["alice"].person
    url = f"/api/v1/people/{alice.pk}"
    assert client.patch(url, {"phone": "01234 567890"}).status_code == 428
    tag = client.get(url)["ETag"]
    changed = client.patch(url, {"phone": "01234 567890", "area": "Hilltop"}, **if_match(tag))
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != tag
    alice.refresh_from_db()
    assert alice.phone == "01234 567890"
    assert alice.area is not None and alice.area.name == "Hilltop"
    stale = client.patch(url, {"phone": "0"}, **if_match(tag))
    assert stale.status_code == 412
    bad = client.patch(url, {"email": "nope"}, **if_match(changed["ETag"]))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["msg"] == importer_message("email", "nope")
    alice.refresh_from_db()
    assert alice.phone == "01234 567890"


def test_restricted_people_cannot_be_changed(api_client, users):
    alice = users["alice"].person
    Person.objects.filter(pk=alice.pk).update(processing_restricted=True)
    client = api_client("people:write", "people:read")
    response = client.put(URL + "T-ALICE", {"phone": "01234 567890"})
    assert response.status_code == 409
    assert "restricted" in response.json()["detail"]
    tag = client.get(f"/api/v1/people/{alice.pk}")["ETag"]
    patched = client.patch(f"/api/v1/people/{alice.pk}", {"phone": "1"}, **if_match(tag))
    assert patched.status_code == 409
    alice.refresh_from_db()
    assert alice.phone != "01234 567890"


def test_an_erased_persons_reference_does_not_bring_them_back(api_client, users):
    alice = users["alice"].person
    # What erasure leaves: no reference, only its fingerprint.
    Person.objects.filter(pk=alice.pk).update(
        external_ref=None, erased_at=timezone.now(), erased_ref=ref_fingerprint("T-ALICE")
    )
    response = api_client("people:write").put(URL + "T-ALICE", {"first_name": "Alice"})
    assert response.status_code == 409
    assert "erased" in response.json()["detail"]
    assert not Person.objects.filter(external_ref="T-ALICE").exists()


def test_people_read_cannot_write(api_client, users):
    client = api_client("people:read")
    assert client.put(URL + "HA-7", {"first_name": "S"}).status_code == 403
    assert client.post("/api/v1/people/bulk", {"people": []}).status_code == 403
    alice = users["alice"].person
    assert client.patch(f"/api/v1/people/{alice.pk}", {"phone": "1"}).status_code == 403
    ended = client.post(URL + "T-ALICE/tenancy-ended", {"ended_on": "2026-01-01"})
    assert ended.status_code == 403
    assert not Person.objects.filter(external_ref="HA-7").exists()


def test_writes_are_audited_with_field_names_and_the_tokens_owner(api_client, users):
    client = api_client("people:write")
    client.put(URL + "HA-8", {"first_name": "Sam"})
    client.put(URL + "HA-8", {"phone": "07700 900123"})
    person = Person.objects.get(external_ref="HA-8")
    entries = AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk))
    assert list(entries.order_by("pk").values_list("action", flat=True)) == [
        "person.created",
        "person.updated",
    ]
    changed = entries.get(action="person.updated")
    assert changed.actor == users["sam"]
    assert "phone" in changed.summary and "07700" not in changed.summary
