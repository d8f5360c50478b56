"""Rewards fixtures: a project with an offer, a session alice and bob attended."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.meetings.models import Attendance, Meeting, SessionStatus, TimeGiven
from coproduce.projects.models import Project, ProjectMember
from coproduce.rewards import services
from coproduce.rewards.models import RewardChoice, RewardForm, RewardOffer

LONDON = timezone.get_default_timezone()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Receipts uploaded in tests must not land in the real MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(users):
    project = Project.objects.create(
        title="Our customer promises",
        purpose="Write promises",
        owner=users["carol"],
        started_on=dt.date(2025, 1, 1),
    )
    for name in ("alice", "bob"):
        ProjectMember.objects.create(
            project=project, person=users[name].person, joined_on=dt.date(2025, 1, 1)
        )
    return project


@pytest.fixture
def offer(project, users) -> RewardOffer:
    return services.offer_save(
        project=project,
        data={
            "activities": "Sessions and reading",
            "rewards_sessions": True,
            "rewards_time_given": True,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": dt.date(2025, 1, 1),
            "covers_travel": True,
            "covers_care": True,
            "covers_childcare": False,
            "covers_phone_data": False,
            "covers_meals": False,
            "expenses_notes": "",
        },
        actor=users["carol"],
    )


def make_session(project, day: dt.date, minutes: int = 150, title: str = "Workshop") -> Meeting:
    start = at(day)
    return Meeting.objects.create(
        project=project,
        title=title,
        channel="in_person",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        status=SessionStatus.HELD,
    )


def attend(meeting: Meeting, person, minutes: int | None = None) -> Attendance:
    return Attendance.objects.create(
        meeting=meeting,
        person=person,
        took_part_via="in_person",
        minutes=minutes or meeting.duration_minutes,
    )


def choose(person, form=RewardForm.BANK_TRANSFER, **extra) -> RewardChoice:
    return RewardChoice.objects.create(person=person, form=form, **extra)


@pytest.fixture
def session(project, users):
    meeting = make_session(project, dt.date(2025, 3, 4))
    attend(meeting, users["alice"].person)
    attend(meeting, users["bob"].person, minutes=60)
    return meeting


@pytest.fixture
def time_given(project, users):
    return TimeGiven.objects.create(
        person=users["alice"].person,
        project=project,
        on=dt.date(2025, 3, 10),
        minutes=30,
        what="Read the papers",
    )


def review_all(users) -> list[int]:
    from coproduce.rewards.models import LineStatus, RewardLine

    ids = list(RewardLine.objects.filter(status=LineStatus.TO_REVIEW).values_list("pk", flat=True))
    services.lines_review(line_ids=ids, actor=users["carol"])
    return ids
