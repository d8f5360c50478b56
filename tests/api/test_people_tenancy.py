"""Tenancy ended: recorded idempotently through the API, and it starts the retention clock."""

from __future__ import annotations

import datetime as dt

from coproduce.core.models import AuditEntry
from coproduce.people.models import Person
from coproduce.people.services import ref_fingerprint
from coproduce.privacy.retention import retention_apply, retention_plan

URL = "/api/v1/people/by-ref/{}/tenancy-ended"


def test_the_same_date_twice_is_one_outcome_and_a_new_date_replaces_it(api_client, users):
    client = api_client("people:write")
    alice = users["alice"].person
    first = client.post(URL.format("T-ALICE"), {"ended_on": "2026-03-31"})
    assert first.status_code == 200, first.content
    assert first.json()["tenancy_ended_on"] == "2026-03-31"
    again = client.post(URL.format("T-ALICE"), {"ended_on": "2026-03-31"})
    assert again["ETag"] == first["ETag"]
    entries = AuditEntry.objects.filter(action="person.tenancy_ended", object_id=str(alice.pk))
    assert entries.count() == 1
    client.post(URL.format("T-ALICE"), {"ended_on": "2026-04-30"})
    alice.refresh_from_db()
    assert alice.tenancy_ended_on == dt.date(2026, 4, 30)
    assert entries.count() == 2
    assert "was 31 March 2026" in entries.latest("pk").summary


def test_unknown_people_future_dates_and_bad_dates_are_refused(api_client, users):
    client = api_client("people:write")
    assert client.post(URL.format("NOBODY"), {"ended_on": "2026-03-31"}).status_code == 404
    future = client.post(URL.format("T-ALICE"), {"ended_on": "2999-01-01"})
    assert future.status_code == 422
    assert future.json()["errors"][0]["loc"] == ["body", "ended_on"]
    assert client.post(URL.format("T-ALICE"), {"ended_on": "31/02/2026"}).status_code == 422
    assert Person.objects.get(external_ref="T-ALICE").tenancy_ended_on is None


def test_a_former_tenant_is_erased_after_the_period_and_not_before(api_client, db, settings):
    settings.RETENTION = {**settings.RETENTION, "former_tenants": 730}
    client = api_client("people:write")
    made = client.put("/api/v1/people/by-ref/HA-GONE", {"first_name": "Gone", "phone": "0770"})
    person = Person.objects.get(pk=made.json()["id"])
    # Their record was made long ago and they have not been involved since.
    Person.objects.filter(pk=person.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    client.post(URL.format("HA-GONE"), {"ended_on": "2024-01-10"})

    last_day_kept = dt.date(2024, 1, 10) + dt.timedelta(days=730)
    assert not any(r.kind == "former_tenants" for r in retention_plan(today=last_day_kept))
    retention_apply(today=last_day_kept)
    person.refresh_from_db()
    assert person.erased_at is None and person.phone == "0770"

    retention_apply(today=last_day_kept + dt.timedelta(days=1))
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.external_ref is None and person.phone == "" and person.tenancy_ended_on is None
    assert person.erased_ref == ref_fingerprint("HA-GONE")
    assert AuditEntry.objects.filter(
        action="retention.remove", object_type="people.person", object_id=str(person.pk)
    ).exists()
    # The nightly sync sending them again does not bring them back.
    again = client.put("/api/v1/people/by-ref/HA-GONE", {"first_name": "Gone"})
    assert again.status_code == 409


def test_later_involvement_moves_the_clock(api_client, db, settings):
    settings.RETENTION = {**settings.RETENTION, "former_tenants": 730}
    client = api_client("people:write")
    client.put("/api/v1/people/by-ref/HA-STAY", {"first_name": "Stay"})
    Person.objects.filter(external_ref="HA-STAY").update(
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), involved_since=dt.date(2025, 6, 1)
    )
    client.post(URL.format("HA-STAY"), {"ended_on": "2024-01-10"})
    retention_apply(today=dt.date(2026, 6, 1))  # 730 days after the tenancy, not the involvement
    assert Person.objects.get(external_ref="HA-STAY").erased_at is None
    retention_apply(today=dt.date(2027, 6, 2))
    assert Person.objects.filter(external_ref="HA-STAY").count() == 0


def test_people_whose_tenancy_ended_get_no_new_invitations(api_client, users):
    from django.utils import timezone

    from coproduce.meetings import services as meetings
    from coproduce.meetings.models import Invitation
    from coproduce.projects.models import Project

    project = Project.objects.create(title="Promises", purpose="Write", owner=users["carol"])
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = meetings.meeting_create(
        data={
            "project": project,
            "title": "Workshop",
            "channel": "in_person",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=1),
        },
        actor=users["carol"],
    )
    api_client("people:write").post(URL.format("T-ALICE"), {"ended_on": "2026-01-31"})
    alice, bob = users["alice"].person, users["bob"].person
    meetings.invitations_create(meeting=meeting, people=[alice, bob], actor=users["carol"])
    assert list(Invitation.objects.filter(meeting=meeting).values_list("person", flat=True)) == [
        bob.pk
    ]
