"""Changes to the repairs service: staff decided first, then asked. The team rates it
involvement in the design; the measure says consultation."""

from __future__ import annotations

import datetime as dt

from coproduce.demo.cast import Cast
from coproduce.demo.riverside import at, moved
from coproduce.demo.sessions import odds, session_hold
from coproduce.meetings.models import Room, SessionChannel
from coproduce.projects.models import Decision, Project, ProjectMember, ProjectStaff, ProjectStatus

# decided on, summary, decided by, tenants' views, feedback given
REPAIRS_DECISIONS = [
    (dt.date(2025, 10, 1), "Move to online-only repair appointments", "staff", "", ""),
    (dt.date(2025, 12, 3), "Choose the new contractor", "board", "", ""),
    (
        dt.date(2026, 3, 10),
        "Keep a phone line for people not online",
        "staff",
        "Tenants at the March session said many cannot book online.",
        "",
    ),
    (
        dt.date(2026, 5, 12),
        "Text reminders the day before",
        "staff",
        "Tenants asked for reminders.",
        "Mentioned in the newsletter.",
    ),
]


def repairs_project(cast: Cast, rooms: dict[str, Room]) -> dict[str, int]:
    project = Project.objects.create(
        title="Changes to the repairs service",
        owner=cast.coordinator,
        status=ProjectStatus.ACTIVE,
        started_on=moved(dt.date(2025, 9, 1)),
        purpose="The repairs team asked for tenants' views on a new appointments system.",
        team_ladder=6,
        team_ladder_reason="We involved tenants in the design.",
    )
    ProjectStaff.objects.create(project=project, user=cast.coordinator, role="lead")
    members = cast.established[8:20] + cast.core[6:10]
    for person in members:
        ProjectMember.objects.create(
            project=project, person=person, joined_on=moved(dt.date(2026, 2, 1))
        )
    for on, summary, by, views, feedback in REPAIRS_DECISIONS:
        Decision.objects.create(
            project=project,
            decided_on=moved(on),
            summary=summary,
            decided_by=by,
            tenant_views=views,
            feedback=feedback,
            recorded_by=cast.colleague,
        )
    total = 0
    for number, day in enumerate([dt.date(2026, 3, 3), dt.date(2026, 5, 5)]):
        total += session_hold(
            cast,
            project,
            f"Repairs: tell us what you think ({number + 1})",
            SessionChannel.IN_PERSON,
            at(day, 13),
            1.5,
            room=rooms["Wharfside Hub/Upstairs room"],
            admin=None,
            agenda="The new appointments system\nYour questions",
            invitees=members,
            attend_odds=odds(members, 0.6),
            creator=cast.colleague,
        )
    return {"repairs_attendances": total}
