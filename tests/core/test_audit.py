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
