"""The customer promises project: a year of tenants co-designing the promises, in workshops on
every channel. The team rates it co-production, and it is."""

from __future__ import annotations

import datetime as dt

from coproduce.demo.cast import Cast
from coproduce.demo.riverside import PROMISES_TITLE, at, moved
from coproduce.demo.sessions import odds, session_hold
from coproduce.meetings.models import Room, SessionChannel
from coproduce.people.models import Person
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    ProjectStaff,
    ProjectStatus,
    Stage,
)

# kind, name, target start, target end, status
STAGES = [
    ("co_design", "Listening and drafting", dt.date(2024, 11, 5), dt.date(2025, 6, 30), "done"),
    (
        "co_production",
        "Ranking and final wording",
        dt.date(2025, 6, 1),
        dt.date(2025, 8, 31),
        "done",
    ),
    (
        "co_delivery",
        "Presenting to the board",
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 31),
        "done",
    ),
    (
        "co_evaluation",
        "First health check",
        dt.date(2026, 11, 1),
        dt.date(2027, 3, 31),
        "not_started",
    ),
]

PROMISE_DECISIONS = [
    (
        dt.date(2024, 11, 19),
        "Start from a blank page: no staff draft",
        "tenants",
        "Tenants said a staff draft would steer them.",
        "Agreed at the first workshop.",
    ),
    (
        dt.date(2025, 1, 21),
        "Hold every workshop in person, online and by post",
        "together",
        "People said evenings online and paper packs would let them join.",
        "Written up in the February newsletter.",
    ),
    (
        dt.date(2025, 3, 18),
        "Write the promises in plain words, 'we will' not 'we aim to'",
        "tenants",
        "Tenants wanted promises they can hold us to.",
        "Shown in the second draft.",
    ),
    (
        dt.date(2025, 5, 20),
        "Six promises, not ten",
        "tenants",
        "The group voted for fewer, stronger promises.",
        "Explained at the May session.",
    ),
    (
        dt.date(2025, 6, 17),
        "'Listen and act' comes first",
        "tenants",
        "Ranked first by the group (Borda count).",
        "Order shared with everyone by post.",
    ),
    (
        dt.date(2025, 7, 15),
        "Tenants present the promises to the board",
        "together",
        "Tenants asked to present them themselves.",
        "Board date agreed and shared.",
    ),
    (
        dt.date(2025, 9, 24),
        "Board asks to change 'always' to 'aim to'",
        "board",
        "Tenants stood by their wording: 'a year's work, these are our words'.",
        "The board accepted the tenants' wording; letter sent to every member.",
    ),
    (
        dt.date(2025, 10, 14),
        "Tenants lead the first annual health check",
        "tenants",
        "Tenants said promises on a wall are worthless without action.",
        "Announced at the celebration event.",
    ),
]

WORKSHOP_CHANNELS = [
    SessionChannel.IN_PERSON,
    SessionChannel.ONLINE,
    SessionChannel.PAPER,
    SessionChannel.HYBRID,
    SessionChannel.PHONE,
]


def promises_project(cast: Cast, rooms: dict[str, Room]) -> dict[str, int]:
    project = _project_create(cast)
    _stages_plan(project)
    for user, role in (
        (cast.coordinator, "lead"),
        (cast.facilitator, "facilitator"),
        (cast.admin, "admin_support"),
    ):
        ProjectStaff.objects.create(project=project, user=user, role=role)
    members = cast.core[:6] + cast.established[:8] + cast.new[:18]
    for person in members:
        ProjectMember.objects.create(
            project=project, person=person, joined_on=moved(dt.date(2024, 11, 5)), role="member"
        )
    _decisions_record(cast, project)
    return {"promise_attendances": _workshops_hold(cast, project, members, rooms)}


def _project_create(cast: Cast) -> Project:
    return Project.objects.create(
        title=PROMISES_TITLE,
        owner=cast.coordinator,
        status=ProjectStatus.FINISHED,
        started_on=moved(dt.date(2024, 11, 5)),
        purpose="A diverse group of tenants and customers writes our customer promises from "
        "scratch: the words, their order and how many. Tenants present them to the "
        "board.",
        team_ladder=7,
        team_ladder_reason="Tenants decided everything, including the words.",
        scie_equality=3,
        scie_diversity=2,
        scie_accessibility=3,
        scie_reciprocity=3,
        scie_notes="More young people and carers joined than ever before, but we still reached "
        "few people from supported housing.",
    )


def _stages_plan(project: Project) -> None:
    for kind, name, start, end, status in STAGES:
        Stage.objects.create(
            project=project,
            kind=kind,
            name=name,
            target_start=moved(start),
            target_end=moved(end),
            status=status,
            position=Stage.objects.filter(project=project).count(),
        )


def _decisions_record(cast: Cast, project: Project) -> None:
    for on, summary, by, views, feedback in PROMISE_DECISIONS:
        Decision.objects.create(
            project=project,
            decided_on=moved(on),
            summary=summary,
            decided_by=by,
            tenant_views=views,
            feedback=feedback,
            feedback_on=moved(on + dt.timedelta(days=14)),
            recorded_by=cast.coordinator,
        )


def _workshops_hold(
    cast: Cast, project: Project, members: list[Person], rooms: dict[str, Room]
) -> int:
    """Twelve workshops, four weeks apart, each on the next channel; returns attendances."""
    chances = {
        **odds(cast.core[:6], 0.85),
        **odds(cast.established[:8], 0.7),
        **odds(cast.new[:18], 0.65),
    }
    total = 0
    day = dt.date(2024, 11, 19)
    for number in range(12):
        channel = WORKSHOP_CHANNELS[number % len(WORKSHOP_CHANNELS)]
        total += session_hold(
            cast,
            project,
            f"Promises workshop {number + 1}",
            channel,
            at(day, 18, 30) if channel == SessionChannel.ONLINE else at(day, 10, 30),
            2,
            room=_workshop_room(channel, number, rooms),
            admin=cast.admin,
            agenda="What matters to you\nDrafting the words together\nNext steps",
            invitees=members,
            attend_odds=chances,
            creator=cast.coordinator,
        )
        day = day + dt.timedelta(days=28)
    return total


def _workshop_room(channel: str, number: int, rooms: dict[str, Room]) -> Room | None:
    if channel not in (SessionChannel.IN_PERSON, SessionChannel.HYBRID):
        return None
    if number % 2:
        return rooms["Riverside Community Centre/Garden room"]
    return rooms["Millbrook Library/Meeting room"]
