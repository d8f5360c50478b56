"""A tenant with something of every kind to do, and the staff queues the home pages count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.diversity.models import QuickQuestion, QuickQuestionRecipient
from coproduce.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    SessionChannel,
    SessionStaff,
    SessionStatus,
    SupportRole,
)
from coproduce.messaging.models import InboundText
from coproduce.people.models import Interest, Person
from coproduce.privacy.models import DataRequest, RequestKind
from coproduce.projects.models import Project, ProjectMember
from coproduce.promises.models import PromiseSet, Proposal, ProposalKind
from coproduce.rewards import services as rewards
from coproduce.rewards.models import LineStatus, RewardChoice, RewardForm, RewardLine

OFFER = {
    "activities": "Sessions",
    "rewards_sessions": True,
    "rewards_time_given": True,
    "rate_basis": "hour",
    "rate": Decimal("15.00"),
    "applies_from": dt.date(2015, 1, 1),
    "covers_travel": True,
    "covers_care": False,
    "covers_childcare": False,
    "covers_phone_data": False,
    "covers_meals": False,
    "expenses_notes": "",
}


def in_days(days: int, hour: int = 18) -> dt.datetime:
    base = timezone.localtime() + dt.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def session(project: Project, title: str, days: int, **extra) -> Meeting:
    starts = in_days(days)
    values = {
        "project": project,
        "title": title,
        "channel": SessionChannel.ONLINE,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=1),
        "status": SessionStatus.HELD if days < 0 else SessionStatus.PLANNED,
    }
    values.update(extra)
    return Meeting.objects.create(**values)


@pytest.fixture
def project(users) -> Project:
    project = Project.objects.create(
        title="Repairs panel", purpose="Better repairs", owner=users["carol"]
    )
    ProjectMember.objects.create(
        project=project,
        person=Person.objects.get(user=users["alice"]),
        joined_on=dt.date(2024, 1, 1),
    )
    return project


@pytest.fixture
def busy_alice(users, project) -> dict:
    """Alice: one session to reply to, a quick question, an open vote, a reward form to choose."""
    alice = Person.objects.get(user=users["alice"])
    coming = session(project, "Repairs workshop", 5)
    invitation = Invitation.objects.create(meeting=coming, person=alice)
    held = session(project, "Kick-off meeting", -20)
    Attendance.objects.create(meeting=held, person=alice, took_part_via="online", minutes=60)
    rewards.offer_save(project=project, data=OFFER, actor=users["carol"])
    question = QuickQuestion.objects.create(
        project=project, title="Evening or daytime?", question_1="When suits you?", sample_size=1
    )
    recipient = QuickQuestionRecipient.objects.create(
        question=question, person=alice, channel="email"
    )
    promise_set = PromiseSet.objects.create(project=project, title="Our repair promises")
    proposal = Proposal.objects.create(
        promise_set=promise_set, kind=ProposalKind.NEW, title="Call back within a day"
    )
    return {
        "person": alice,
        "invitation": invitation,
        "recipient": recipient,
        "proposal": proposal,
    }


@pytest.fixture
def queues(users, project):
    """Two sign-ups; an upcoming session in person with no room, run by fiona, with one person
    who replies by post and alice (who replies online) not yet answered; a second session for
    nobody in particular; two rewards to check and one to approve; one data request due."""
    Interest.objects.create(name="New One")
    Interest.objects.create(name="New Two")
    Interest.objects.create(name="Done Already", status="confirmed")
    # Texts that came in: two wait for a person, one was dealt with.
    for n, status in enumerate(["waiting", "waiting", "resolved"]):
        InboundText.objects.create(
            provider_id=f"text-{n}",
            from_number="+447700900999",
            body="Who is this?",
            received_at=timezone.now(),
            status=status,
        )

    offline = Person.objects.create(first_name="Pat", last_name="Post")
    alice = Person.objects.get(user=users["alice"])
    runs = session(project, "Estate walk", 3, channel=SessionChannel.IN_PERSON)
    SessionStaff.objects.create(
        meeting=runs,
        user=users["fiona"],
        role=SupportRole.FACILITATOR,
        starts_at=runs.starts_at,
        ends_at=runs.ends_at,
    )
    Invitation.objects.create(meeting=runs, person=offline)
    Invitation.objects.create(meeting=runs, person=alice)
    other = session(project, "Tenants' forum", 4, channel=SessionChannel.HYBRID)
    Invitation.objects.create(meeting=other, person=offline)
    session(
        project, "Somewhere known", 4, channel=SessionChannel.IN_PERSON, location_notes="Flat 2"
    )

    rewards.offer_save(project=project, data=OFFER, actor=users["carol"])
    RewardChoice.objects.create(person=alice, form=RewardForm.BANK_TRANSFER)
    RewardChoice.objects.create(person=offline, form=RewardForm.BANK_TRANSFER)
    ProjectMember.objects.create(project=project, person=offline, joined_on=dt.date(2024, 1, 1))
    for title, days in (("First", -10), ("Second", -9), ("Third", -8)):
        held = session(project, title, days)
        held.attendances.create(person=offline, took_part_via="online", minutes=60)
    rewards.rewards_accrue(actor=users["carol"])
    first = RewardLine.objects.order_by("on").first()
    rewards.lines_review(line_ids=[first.pk], actor=users["carol"])

    today = timezone.localdate()
    DataRequest.objects.create(
        kind=RequestKind.ACCESS, person=offline, received_on=today, due_on=today + dt.timedelta(3)
    )
    DataRequest.objects.create(
        kind=RequestKind.ERASURE, person=alice, received_on=today, due_on=today + dt.timedelta(30)
    )
    assert RewardLine.objects.filter(status=LineStatus.TO_REVIEW).count() == 2

    # Messages: two not delivered lately (and one long ago, not counted); one person to phone.
    from coproduce.messaging.models import Channel, Message, Status

    for n, (status, days) in enumerate(
        ((Status.BOUNCED, 1), (Status.NOT_SENT, 2), (Status.FAILED, 40), (Status.TO_PHONE, 0))
    ):
        made = Message.objects.create(
            key=f"home:{n}",
            kind="invitation",
            person=offline,
            channel=Channel.PHONE,
            status=status,
            body="Hello",
        )
        Message.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days)
        )
