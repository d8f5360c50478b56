"""This year's health check, starting on the story's today: evaluators signed up and trained
(see `lately`), and three sessions planned in the weeks after it (the first always at least
three days after the day the demo is built for)."""

from __future__ import annotations

import datetime as dt

from coproduce.demo.cast import Cast
from coproduce.demo.riverside import at, moved, season
from coproduce.meetings.models import (
    Invitation,
    Meeting,
    Room,
    RoomBooking,
    SessionChannel,
    SessionStaff,
    SessionStatus,
)
from coproduce.people.models import Person
from coproduce.projects.models import Project, ProjectMember, ProjectStaff, ProjectStatus

PLANNED_SESSIONS = [  # Tuesdays 9, 23 and 37 days after the reference date (a Sunday)
    ("Health check: getting started", dt.date(2026, 11, 10), SessionChannel.HYBRID),
    ("Health check: what the survey says", dt.date(2026, 11, 24), SessionChannel.ONLINE),
    ("Health check: theming the evidence", dt.date(2026, 12, 8), SessionChannel.ONLINE),
]


def health_check_project(cast: Cast, rooms: dict[str, Room]) -> dict[str, int]:
    signed_up = moved(dt.date(2026, 10, 1))  # a month of sign-ups and training first
    project = Project.objects.create(
        title=f"Annual health check {season(moved(dt.date(2026, 11, 1)))}",
        owner=cast.coordinator,
        status=ProjectStatus.ACTIVE,
        started_on=signed_up,
        purpose="Tenant evaluators check how well we keep our customer promises, the second "
        "year after the baseline. Evaluators are paid for their time.",
    )
    ProjectStaff.objects.create(project=project, user=cast.coordinator, role="lead")
    evaluators = _evaluators(cast)
    for person in evaluators:
        ProjectMember.objects.create(
            project=project, person=person, joined_on=signed_up, role="evaluator"
        )
    for title, day, channel in PLANNED_SESSIONS:
        _session_plan(cast, project, title, day, channel, evaluators, rooms)
    return {"health_check_sessions": len(PLANNED_SESSIONS)}


def _evaluators(cast: Cast) -> list[Person]:
    """Three of the old hands, five newer voices, and every tenant with a demo login."""
    tenant_people = list(Person.objects.filter(user__email__in=list(cast.logins.values())))
    return list({p.pk: p for p in cast.core[:3] + cast.new[:5] + tenant_people}.values())


def _session_plan(
    cast: Cast,
    project: Project,
    title: str,
    day: dt.date,
    channel: str,
    invitees: list[Person],
    rooms: dict[str, Room],
) -> None:
    start = at(day, 18) if channel == SessionChannel.ONLINE else at(day, 10)
    meeting = Meeting.objects.create(
        project=project,
        title=title,
        channel=channel,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        joining_link="https://meet.example.org/riverside-health-check",
        agenda="Welcome\nHow the health check works\nWho we want to talk to",
        status=SessionStatus.PLANNED,
        created_by=cast.coordinator,
        reminder_at=start - dt.timedelta(days=2),
    )
    if channel == SessionChannel.HYBRID:
        RoomBooking.objects.create(
            meeting=meeting,
            room=rooms["Riverside Community Centre/Garden room"],
            starts_at=start,
            ends_at=meeting.ends_at,
            booked_by=cast.coordinator,
        )
    SessionStaff.objects.create(
        meeting=meeting,
        user=cast.facilitator,
        role="facilitator",
        starts_at=start,
        ends_at=meeting.ends_at,
    )
    Invitation.objects.bulk_create([Invitation(meeting=meeting, person=p) for p in invitees])
