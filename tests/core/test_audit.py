import pytest
from django.urls import reverse

from coproduce.core.audit import audit_record
from coproduce.core.models import AuditEntry
from coproduce.people.models import Person


def test_entries_cannot_be_changed_or_deleted(db):
    entry = audit_record(action="test.action", summary="hello")
    entry.summary = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "hello"


def test_staff_viewing_a_record_is_audited(login, users):
    bob = Person.objects.get(user=users["bob"])
    login("carol").get(reverse("people:detail", args=[bob.pk]), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="person.viewed")
    assert entry.actor == users["carol"]
    assert entry.object_id == str(bob.pk)
    assert entry.ip_address == "10.1.2.3"


def test_data_protection_lead_can_search_the_log(login, users):
    audit_record(
        action="person.viewed", actor=users["carol"], object_id="42", summary="zebra-summary"
    )
    audit_record(
        action="person.updated", actor=users["fiona"], object_id="43", summary="walrus-summary"
    )
    client = login("dora")
    response = client.get(reverse("core:audit_log"), {"actor": "carol"})
    assert response.status_code == 200
    assert b"zebra-summary" in response.content
    assert b"walrus-summary" not in response.content
    response = client.get(reverse("core:audit_log"), {"object_id": "43"})
    assert b"walrus-summary" in response.content and b"zebra-summary" not in response.content


def test_a_bad_date_in_the_search_shows_an_error_not_a_crash(login):
    response = login("dora").get(reverse("core:audit_log"), {"date_from": "31/31/2020"})
    assert response.status_code == 200
    assert b"Enter a valid date" in response.content
