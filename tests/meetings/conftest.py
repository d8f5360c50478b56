"""Fixtures for sessions: a project, sessions at fixed UK times, a venue with rooms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from coproduce.meetings.models import Meeting, Room, SessionChannel, Venue
from coproduce.projects.models import Project, ProjectMember

LONDON = ZoneInfo("Europe/London")


def uk(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def soon(days: int = 7, hour: int = 18) -> dt.datetime:
    base = timezone.localtime() + dt.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def project(users) -> Project:
    return Project.objects.create(
        title="Customer promises", purpose="Write them together", owner=users["carol"]
    )


@pytest.fixture
def make_meeting(project, users):
    def _make(**kwargs) -> Meeting:
        starts = kwargs.pop("starts_at", soon())
        values = {
            "project": project,
            "title": "Promises workshop",
            "channel": SessionChannel.IN_PERSON,
            "starts_at": starts,
            "ends_at": kwargs.pop("ends_at", starts + dt.timedelta(hours=2)),
            "created_by": users["fiona"],
        }
        values.update(kwargs)
        return Meeting.objects.create(**values)

    return _make


@pytest.fixture
def meeting(make_meeting) -> Meeting:
    return make_meeting()


@pytest.fixture
def venue(db) -> Venue:
    return Venue.objects.create(
        name="Riverside Community Centre", step_free=True, hearing_loop=True, postcode="NF1 2AB"
    )


@pytest.fixture
def room(venue) -> Room:
    return Room.objects.create(
        venue=venue, name="Main hall", capacity=30, cost_per_hour=Decimal("25.00")
    )


@pytest.fixture
def members(project, users):
    from coproduce.people.models import Person

    people = [Person.objects.get(user=users[n]) for n in ("alice", "bob")]
    for person in people:
        ProjectMember.objects.create(project=project, person=person, joined_on=dt.date(2026, 1, 1))
    return people
