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
    SessionStatus,
)
from coproduce.people.models import Person
from coproduce.projects.models import Project, ProjectMember
from coproduce.promises.models import PromiseSet, Proposal, ProposalKind
from coproduce.rewards import services as rewards

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
