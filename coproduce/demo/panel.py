"""The residents' panel: a quarterly meeting since 2016, the same faces every time."""

from __future__ import annotations

import datetime as dt

from coproduce.demo.cast import Cast
from coproduce.demo.riverside import at, moved
from coproduce.demo.sessions import odds, session_hold
from coproduce.meetings.models import Room, SessionChannel
from coproduce.people.models import Person
from coproduce.projects.models import Decision, Project, ProjectMember, ProjectStaff, ProjectStatus

PANEL_DECISIONS = [
    (dt.date(2023, 4, 20), "Panel meetings stay at 2pm on weekdays", "", ""),
    (
        dt.date(2024, 7, 18),
        "New performance report layout",
        "Panel members asked for fewer numbers and more examples.",
        "",
    ),
    (
        dt.date(2025, 10, 16),
        "Grounds maintenance contract renewed",
        "The panel raised grass-cutting complaints.",
        "Reported back at the January panel.",
    ),
]


def residents_panel(cast: Cast, rooms: dict[str, Room]) -> dict[str, int]:
    project = _panel_create(cast)
    pool = cast.core + cast.established + cast.new[:10]
    for person in pool:
        ProjectMember.objects.create(
            project=project,
            person=person,
            joined_on=person.involved_since or moved(dt.date(2016, 1, 1)),
        )
    total = _quarterly_meetings_hold(cast, project, pool, rooms)
    _decisions_record(cast, project)
    return {"panel_attendances": total}


def _panel_create(cast: Cast) -> Project:
    project = Project.objects.create(
        title="Residents' panel",
        owner=cast.coordinator,
        status=ProjectStatus.ACTIVE,
        started_on=moved(dt.date(2016, 1, 1)),
        purpose="A quarterly meeting where tenants hear about performance and raise issues.",
        team_ladder=5,
        team_ladder_reason="Tenants raise issues and we respond to them.",
    )
    ProjectStaff.objects.create(project=project, user=cast.coordinator, role="lead")
    return project


def _quarterly_meetings_hold(
    cast: Cast, project: Project, pool: list[Person], rooms: dict[str, Room]
) -> int:
    """Every quarter since January 2016; returns how many attendances."""
    chances = {**odds(cast.established, 0.2), **odds(cast.new[:10], 0.1), **odds(cast.core, 0.9)}
    total = 0
    day = dt.date(2016, 1, 20)
    while day < dt.date(2026, 11, 1):
        on = moved(day)
        invitees = [p for p in pool if (p.involved_since or moved(dt.date(2016, 1, 1))) <= on]
        total += session_hold(
            cast,
            project,
            f"Residents' panel, {on:%B %Y}",
            SessionChannel.IN_PERSON,
            at(day, 14),
            2,
            room=rooms["Riverside Community Centre/Main hall"],
            admin=cast.admin,
            agenda="Performance report\nYour issues\nAny other business",
            invitees=invitees,
            attend_odds=chances,
            creator=cast.coordinator,
        )
        day = (day + dt.timedelta(days=92)).replace(day=20)
    return total


def _decisions_record(cast: Cast, project: Project) -> None:
    for on, summary, views, feedback in PANEL_DECISIONS:
        Decision.objects.create(
            project=project,
            decided_on=moved(on),
            summary=summary,
            decided_by="staff",
            tenant_views=views,
            feedback=feedback,
            recorded_by=cast.coordinator,
        )
