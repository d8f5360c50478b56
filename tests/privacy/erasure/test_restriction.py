"""Restriction of processing: the record is kept but used for nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.diversity import selectors as diversity
from coproduce.diversity.services import outreach_list_create
from coproduce.meetings.models import Attendance, Invitation, SessionStatus
from coproduce.meetings.selectors import people_search
from coproduce.meetings.services import invitations_create, meeting_send_reminders
from coproduce.messaging.services import deliver_due
from coproduce.people.models import Involvement
from coproduce.privacy.models import RequestKind, RequestStatus
from coproduce.privacy.restriction import person_restrict, person_unrestrict
from coproduce.rewards import services as rewards
from coproduce.rewards.models import RewardChoice, RewardLine

from .conftest import make_session, open_request


@pytest.fixture
def pool(users, alice):
    bob = users["bob"].person
    for person in (alice, bob):
        person.contact_consent = True
        person.involvement = Involvement.ACTIVE
        person.save()
    return alice, bob


def test_restricted_people_are_left_out_of_outreach_and_quick_question_samples(pool, users):
    alice, bob = pool
    outreach = outreach_list_create(
        name="Everyone", criteria={}, people=[alice, bob], actor=users["carol"]
    )
    person_restrict(person=alice, actor=users["dora"])
    assert list(diversity.outreach_candidates(involvement="")) == [bob]
    assert [pid for pid, _, _ in diversity.quick_question_pool(strata=[])] == [bob.pk]
    assert list(diversity.outreach_list_people(outreach)) == [bob]
    assert not outreach.people.filter(pk=alice.pk).exists()


def test_the_outreach_csv_leaves_out_someone_restricted_after_the_list_was_made(pool, users, login):
    alice, bob = pool
    outreach = outreach_list_create(
        name="Everyone", criteria={}, people=[alice, bob], actor=users["carol"]
    )
    # Even if someone is put back on the list by hand, the CSV asks again.
    person_restrict(person=alice, actor=users["dora"])
    outreach.people.add(alice)
    csv = login("carol").get(reverse("diversity:outreach_export", args=[outreach.pk]))
    body = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "bob@example.org" in body and "alice@example.org" not in body


def test_restricted_people_are_not_invited_reminded_or_offered(pool, users, project):
    alice, bob = pool
    meeting = make_session(project, days_from_now=3)
    invitations_create(meeting=meeting, people=[alice, bob], actor=users["carol"])
    person_restrict(person=alice, actor=users["dora"])
    # Her unanswered invitation to a session still to come is withdrawn.
    assert list(Invitation.objects.values_list("person", flat=True)) == [bob.pk]
    later = make_session(project, days_from_now=5)
    assert invitations_create(meeting=later, people=[alice, bob], actor=users["carol"]) == 1
    assert people_search("Alice") == []
    # A reply she gave before stays, but no reminder goes to her.
    Invitation.objects.create(meeting=later, person=alice, rsvp="yes")
    later.reminder_at = timezone.now() - dt.timedelta(minutes=1)
    later.save()
    assert meeting_send_reminders(meeting_id=later.pk) == 1
    deliver_due()  # reminders go through messaging (issue #16): the worker sends them
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_reward_accrual_is_paused_while_restricted(alice, users, project):
    from decimal import Decimal

    rewards.offer_save(
        project=project,
        data={
            "activities": "Sessions",
            "rewards_sessions": True,
            "rewards_time_given": False,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": dt.date(2020, 1, 1),
            "covers_travel": True,
            "covers_care": False,
            "covers_childcare": False,
            "covers_phone_data": False,
            "covers_meals": False,
            "expenses_notes": "",
        },
        actor=users["carol"],
    )
    RewardChoice.objects.create(person=alice, form="bank_transfer")
    held = make_session(project, days_from_now=-2, status=SessionStatus.HELD)
    Attendance.objects.create(meeting=held, person=alice, took_part_via="in_person", minutes=60)
    person_restrict(person=alice, actor=users["dora"])
    rewards.rewards_accrue(actor=users["carol"])
    assert not RewardLine.objects.filter(person=alice).exists()
    person_unrestrict(person=alice, actor=users["dora"])
    rewards.rewards_accrue(actor=users["carol"])
    assert RewardLine.objects.filter(person=alice).count() == 1


def test_restriction_is_audited_and_completes_a_restriction_request(alice, users):
    request = open_request(alice, kind=RequestKind.RESTRICTION)
    person_restrict(person=alice, actor=users["dora"], data_request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and "used for nothing" in request.outcome
    entry = AuditEntry.objects.get(action="privacy.person_restricted")
    assert entry.actor == users["dora"] and "Alice" not in entry.summary
    with pytest.raises(ValidationError, match="already restricted"):
        person_restrict(person=alice, actor=users["dora"])
    person_unrestrict(person=alice, actor=users["dora"])
    assert AuditEntry.objects.filter(action="privacy.person_unrestricted").count() == 1
    with pytest.raises(ValidationError, match="not restricted"):
        person_unrestrict(person=alice, actor=users["dora"])


@pytest.mark.parametrize("name", ["carol", "adam", "fiona"])
def test_staff_searching_people_see_restricted_do_not_use(alice, users, login, name):
    person_restrict(person=alice, actor=users["dora"])
    page = login(name).get(reverse("people:list"), {"q": "Alice"}).content.decode()
    assert "Restricted: do not use" in page
    detail = login(name).get(reverse("people:detail", args=[alice.pk])).content.decode()
    assert "Restricted: do not use" in detail


@pytest.mark.parametrize(
    "name", ["alice", "bob", "carol", "fiona", "adam", "frank", "brenda", "colin", "sam"]
)
def test_only_the_data_protection_lead_can_restrict(alice, login, name):
    url = reverse("privacy:restriction", args=[alice.pk])
    assert login(name).get(url).status_code == 403
    assert login(name).post(url, {"action": "restrict"}).status_code == 403
    alice.refresh_from_db()
    assert not alice.processing_restricted


def test_the_lead_restricts_and_lifts_from_the_page(alice, login):
    url = reverse("privacy:restriction", args=[alice.pk])
    client = login("dora")
    assert "Restrict use of this record" in client.get(url).content.decode()
    page = client.post(url, {"action": "restrict"}, follow=True).content.decode()
    assert "now restricted" in page and "Lift the restriction" in page
    page = client.post(url, {"action": "restrict"}, follow=True).content.decode()
    assert "already restricted" in page
    page = client.post(url, {"action": "lift"}, follow=True).content.decode()
    assert "has been lifted" in page
    alice.refresh_from_db()
    assert not alice.processing_restricted
