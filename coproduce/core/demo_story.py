"""The demo's involvement story: projects, sessions on every channel, who came, what was
decided, and equality answers given with consent.

It follows PRODUCT.md: a year of tenants co-designing the customer promises (measured as
co-production), a repairs project where staff had decided before asking (measured as
consultation), a long-running residents' panel where the same old people come every time,
and the first annual health check coming up. Deterministic for a seed; runs once.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from coproduce.accounts.models import User
from coproduce.diversity.models import CONSENT_WORDING, EqualityConsent, EqualityRecord
from coproduce.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    RecordedVia,
    Room,
    RoomBooking,
    Rsvp,
    SessionChannel,
    SessionStaff,
    SessionStatus,
    Venue,
)
from coproduce.people.models import Person
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    ProjectStaff,
    ProjectStatus,
    Stage,
    SupportRequest,
)

LONDON = ZoneInfo("Europe/London")
HARDER: dict[int, float] = {}
PROMISES_TITLE = "Our customer promises"

ETHNICITY_BY_HERITAGE: dict[str, list[tuple[str, float]]] = {
    "british": [
        ("white_british", 0.97),
        ("mixed_white_black_caribbean", 0.02),
        ("white_irish", 0.01),
    ],
    "eastern_european": [("white_other", 0.85), ("white_roma", 0.15)],
    "south_asian": [
        ("asian_pakistani", 0.4),
        ("asian_indian", 0.3),
        ("asian_bangladeshi", 0.25),
        ("asian_other", 0.05),
    ],
    "black_african": [("black_african", 0.95), ("black_other", 0.05)],
    "black_caribbean": [("black_caribbean", 0.9), ("mixed_white_black_caribbean", 0.1)],
    "other_white": [("white_other", 0.7), ("white_irish", 0.2), ("white_gypsy", 0.1)],
    "middle_eastern": [("other_arab", 0.7), ("other_any", 0.3)],
    "east_asian": [("asian_chinese", 0.8), ("asian_other", 0.2)],
    "mixed": [("mixed_white_black_african", 0.3), ("mixed_white_asian", 0.3), ("mixed_other", 0.4)],
}


def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    roll, upto = rng.random() * sum(w for _, w in options), 0.0
    for value, weight in options:
        upto += weight
        if roll <= upto:
            return value
    return options[-1][0]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def story_exists() -> bool:
    return Project.objects.filter(title=PROMISES_TITLE).exists()


def build_story(*, plan: Any, seed: int, logins: dict[str, str]) -> dict[str, int]:
    """Add the involvement story. `plan` is the demo plan; `logins` maps login key -> email."""
    if story_exists():
        return {}
    rng = random.Random(seed * 7919 + 1)
    staff = {
        key: User.objects.get(email=email)
        for key, email in logins.items()
        if User.objects.filter(email=email).exists()
    }
    coordinator = staff["coordinator"]
    facilitator = staff["facilitator"]
    admin = staff["admin_support"]
    homes = {f"RH-{home.index:06d}": home for home in plan.homes}
    people = {
        p.external_ref: p
        for p in Person.objects.filter(external_ref__startswith="RH-").only(
            "id",
            "external_ref",
            "involvement",
            "involved_since",
            "user_id",
            "caring_responsibilities",
            "date_of_birth",
        )
    }
    # Carers, young people and people from minority ethnic groups find the usual meetings
    # hardest: many of them never come at all, whatever they are invited to.
    HARDER.clear()
    for ref, person in sorted(people.items()):
        factor = 1.0
        if person.caring_responsibilities == "yes":
            factor *= 0.3
        if person.date_of_birth and person.date_of_birth > dt.date(1991, 1, 1):
            factor *= 0.45
        home = homes.get(ref)
        if home is not None and home.heritage != "british":
            factor *= 0.5
        if factor < 1 and rng.random() > factor:
            HARDER[person.pk] = 0.0
    by_segment: dict[str, list[Person]] = {}
    for ref, person in sorted(people.items()):
        home = homes.get(ref)
        if home is not None and home.segment:
            by_segment.setdefault(home.segment, []).append(person)
    core = by_segment.get("core", [])
    established = by_segment.get("established", [])
    new = by_segment.get("new", [])

    counts = {"equality_records": _equality(plan, people, rng)}
    rooms = _venues()
    counts.update(
        _residents_panel(core, established, new, rooms, coordinator, facilitator, admin, rng)
    )
    counts.update(_promises(core, established, new, rooms, coordinator, facilitator, admin, rng))
    counts.update(_repairs(core, established, new, rooms, staff, rng))
    counts.update(_health_check(core, new, rooms, coordinator, facilitator, people, logins))
    counts["support_requests"] = _support_requests(staff.get("colleague", coordinator), rng)
    counts.update(build_promises_story(seed=seed))
    from coproduce.core.demo_healthcheck import build_health_check_demo

    counts.update(build_health_check_demo(seed=seed))
    return counts


def _equality(plan: Any, people: dict[str, Person], rng: random.Random) -> int:
    """Equality answers with consent: most of the involvement pool, about half of everyone."""
    consents, records = [], []
    given = dt.datetime(2025, 6, 1, 10, 0, tzinfo=LONDON)
    for home in plan.homes:
        ref = f"RH-{home.index:06d}"
        person = people.get(ref)
        if person is None:
            continue
        odds = 0.85 if home.segment else 0.5
        if rng.random() > odds:
            continue
        outreach = rng.random() < 0.7
        consents.append(
            EqualityConsent(
                person_id=person.pk,
                statistics=True,
                outreach=outreach,
                wording=CONSENT_WORDING,
                given_at=given + dt.timedelta(days=rng.randint(0, 500)),
                recorded_via=rng.choice(
                    [RecordedVia.IN_PERSON, RecordedVia.PHONE, RecordedVia.PAPER, "self"]
                ),
            )
        )
        ltc = "yes" if rng.random() < 0.15 + home.age / 250 else "no"
        impact = rng.choice(["a_lot", "a_little", "a_little", "not_at_all"]) if ltc == "yes" else ""
        prefer_not = rng.random() < 0.04
        records.append(
            EqualityRecord(
                person_id=person.pk,
                ethnicity="prefer_not"
                if prefer_not
                else _pick(rng, ETHNICITY_BY_HERITAGE.get(home.heritage, [("other_any", 1.0)])),
                long_term_condition=ltc,
                condition_impact=impact,
                sex="female" if home.woman else "male",
                gender_same_as_birth="yes" if rng.random() < 0.99 else "no",
                sexual_orientation=_pick(
                    rng,
                    [
                        ("straight", 0.89),
                        ("gay_lesbian", 0.03),
                        ("bisexual", 0.02),
                        ("prefer_not", 0.06),
                    ],
                ),
                religion=_pick(
                    rng,
                    [
                        ("christian", 0.42),
                        ("none", 0.38),
                        ("muslim", 0.08),
                        ("hindu", 0.02),
                        ("sikh", 0.01),
                        ("jewish", 0.01),
                        ("buddhist", 0.01),
                        ("other", 0.01),
                        ("prefer_not", 0.06),
                    ],
                )
                if home.heritage != "south_asian"
                else _pick(
                    rng, [("muslim", 0.6), ("hindu", 0.25), ("sikh", 0.1), ("prefer_not", 0.05)]
                ),
                first_language_english="yes"
                if home.heritage in ("british", "black_caribbean", "mixed")
                else _pick(rng, [("no", 0.6), ("yes", 0.4)]),
            )
        )
    EqualityConsent.objects.bulk_create(consents, batch_size=5000)
    EqualityRecord.objects.bulk_create(records, batch_size=5000)
    return len(records)


def _venues() -> dict[str, Room]:
    specs = [
        (
            "Riverside Community Centre",
            "1 Quay Street, Northfield",
            "RV1 2AB",
            dict(
                step_free=True,
                hearing_loop=True,
                accessible_toilets=True,
                parking=True,
                public_transport=True,
            ),
            [("Main hall", 60, "35.00"), ("Garden room", 16, "12.50")],
        ),
        (
            "Millbrook Library",
            "Library Lane, Millbrook",
            "RV3 4CD",
            dict(
                step_free=True,
                hearing_loop=False,
                accessible_toilets=True,
                parking=False,
                public_transport=True,
            ),
            [("Meeting room", 12, "0.00")],
        ),
        (
            "Wharfside Hub",
            "Unit 4, Canal Walk, Wharfside",
            "RV5 6EF",
            dict(
                step_free=False,
                hearing_loop=False,
                accessible_toilets=False,
                parking=True,
                public_transport=False,
            ),
            [("Upstairs room", 20, "8.00")],
        ),
    ]
    rooms: dict[str, Room] = {}
    for name, address, postcode, access, room_specs in specs:
        venue, _ = Venue.objects.get_or_create(
            name=name, defaults=dict(address=address, postcode=postcode, **access)
        )
        for room_name, capacity, cost in room_specs:
            room, _ = Room.objects.get_or_create(
                venue=venue,
                name=room_name,
                defaults=dict(capacity=capacity, cost_per_hour=Decimal(cost)),
            )
            rooms[f"{name}/{room_name}"] = room
    return rooms


def _session(
    project: Project,
    title: str,
    channel: str,
    start: dt.datetime,
    hours: float,
    *,
    room: Room | None,
    facilitator: User,
    admin: User | None,
    agenda: str,
    invitees: list[Person],
    attend_odds: dict[int, float],
    rng: random.Random,
    creator: User,
    held: bool = True,
) -> tuple[int, int]:
    end = start + dt.timedelta(minutes=int(hours * 60))
    meeting = Meeting.objects.create(
        project=project,
        title=title,
        channel=channel,
        starts_at=start,
        ends_at=end,
        capacity=room.capacity if room else None,
        joining_link="https://meet.example.org/riverside-" + _slug(title)
        if channel in (SessionChannel.ONLINE, SessionChannel.HYBRID)
        else "",
        phone_details="Dial 0300 000 0000, code 4321" if channel == SessionChannel.PHONE else "",
        location_notes="Packs posted with a freepost envelope"
        if channel == SessionChannel.PAPER
        else "",
        agenda=agenda,
        materials=f"{title}\n\n{agenda}\n\nIf anything is unclear, phone Grace on 0300 000 0001.",
        status=SessionStatus.HELD if held else SessionStatus.PLANNED,
        created_by=creator,
    )
    if room is not None:
        RoomBooking.objects.create(
            meeting=meeting, room=room, starts_at=start, ends_at=end, booked_by=creator
        )
    SessionStaff.objects.create(
        meeting=meeting, user=facilitator, role="facilitator", starts_at=start, ends_at=end
    )
    if admin is not None:
        SessionStaff.objects.create(
            meeting=meeting,
            user=admin,
            role="admin_support",
            starts_at=start - dt.timedelta(minutes=30),
            ends_at=end,
        )
    invitations, attendances = [], []
    for person in invitees:
        comes = rng.random() < attend_odds.get(person.pk, 0.5) * HARDER.get(person.pk, 1.0)
        reply = Rsvp.YES if comes else rng.choice([Rsvp.NO, Rsvp.NO_REPLY, Rsvp.MAYBE])
        invitations.append(
            Invitation(
                meeting=meeting,
                person=person,
                rsvp=reply,
                rsvp_via=rng.choice([RecordedVia.WEB, RecordedVia.PHONE]) if reply else "",
                responded_at=start - dt.timedelta(days=3) if reply else None,
            )
        )
        if held and comes:
            offline = channel in (SessionChannel.PHONE, SessionChannel.PAPER)
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    took_part_via=channel
                    if channel != SessionChannel.HYBRID
                    else rng.choice([SessionChannel.IN_PERSON, SessionChannel.ONLINE]),
                    minutes=int(hours * 60) if channel != SessionChannel.PAPER else 45,
                    recorded_via=RecordedVia.PHONE
                    if channel == SessionChannel.PHONE
                    else RecordedVia.PAPER
                    if channel == SessionChannel.PAPER
                    else RecordedVia.IN_PERSON,
                    on_behalf=offline,
                    recorded_by=facilitator,
                )
            )
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendances)
    return len(invitations), len(attendances)


def _slug(text: str) -> str:
    return "-".join("".join(c for c in word if c.isalnum()) for word in text.lower().split())


def _odds(people: list[Person], value: float) -> dict[int, float]:
    return {p.pk: value for p in people}


def _residents_panel(
    core: list[Person],
    established: list[Person],
    new: list[Person],
    rooms: dict[str, Room],
    coordinator: User,
    facilitator: User,
    admin: User,
    rng: random.Random,
) -> dict[str, int]:
    """Quarterly panel since 2016: the same faces every time."""
    project = Project.objects.create(
        title="Residents' panel",
        owner=coordinator,
        status=ProjectStatus.ACTIVE,
        started_on=dt.date(2016, 1, 1),
        purpose="A quarterly meeting where tenants hear about performance and raise issues.",
        team_ladder=5,
        team_ladder_reason="Tenants raise issues and we respond to them.",
    )
    ProjectStaff.objects.create(project=project, user=coordinator, role="lead")
    pool = core + established + new[:10]
    for person in pool:
        ProjectMember.objects.create(
            project=project, person=person, joined_on=person.involved_since or dt.date(2016, 1, 1)
        )
    odds = {**_odds(established, 0.2), **_odds(new[:10], 0.1), **_odds(core, 0.9)}
    total = 0
    day = dt.date(2016, 1, 20)
    while day < dt.date(2026, 11, 1):
        room = rooms["Riverside Community Centre/Main hall"]
        invitees = [p for p in pool if (p.involved_since or dt.date(2016, 1, 1)) <= day]
        _, n = _session(
            project,
            f"Residents' panel, {day:%B %Y}",
            SessionChannel.IN_PERSON,
            _at(day, 14),
            2,
            room=room,
            facilitator=facilitator,
            admin=admin,
            agenda="Performance report\nYour issues\nAny other business",
            invitees=invitees,
            attend_odds=odds,
            rng=rng,
            creator=coordinator,
        )
        total += n
        day = (day + dt.timedelta(days=92)).replace(day=20)
    for on, summary, views, feedback in [
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
    ]:
        Decision.objects.create(
            project=project,
            decided_on=on,
            summary=summary,
            decided_by="staff",
            tenant_views=views,
            feedback=feedback,
            recorded_by=coordinator,
        )
    return {"panel_attendances": total}


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


def _promises(
    core: list[Person],
    established: list[Person],
    new: list[Person],
    rooms: dict[str, Room],
    coordinator: User,
    facilitator: User,
    admin: User,
    rng: random.Random,
) -> dict[str, int]:
    project = Project.objects.create(
        title=PROMISES_TITLE,
        owner=coordinator,
        status=ProjectStatus.FINISHED,
        started_on=dt.date(2024, 11, 5),
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
    for kind, name, start, end, status in [
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
    ]:
        Stage.objects.create(
            project=project,
            kind=kind,
            name=name,
            target_start=start,
            target_end=end,
            status=status,
            position=Stage.objects.filter(project=project).count(),
        )
    for user, role in (
        (coordinator, "lead"),
        (facilitator, "facilitator"),
        (admin, "admin_support"),
    ):
        ProjectStaff.objects.create(project=project, user=user, role=role)
    members = core[:6] + established[:8] + new[:18]
    for person in members:
        ProjectMember.objects.create(
            project=project, person=person, joined_on=dt.date(2024, 11, 5), role="member"
        )
    for on, summary, by, views, feedback in PROMISE_DECISIONS:
        Decision.objects.create(
            project=project,
            decided_on=on,
            summary=summary,
            decided_by=by,
            tenant_views=views,
            feedback=feedback,
            feedback_on=on + dt.timedelta(days=14),
            recorded_by=coordinator,
        )
    odds = {**_odds(core[:6], 0.85), **_odds(established[:8], 0.7), **_odds(new[:18], 0.65)}
    channels = [
        SessionChannel.IN_PERSON,
        SessionChannel.ONLINE,
        SessionChannel.PAPER,
        SessionChannel.HYBRID,
        SessionChannel.PHONE,
    ]
    total = 0
    day = dt.date(2024, 11, 19)
    for number in range(12):
        channel = channels[number % len(channels)]
        room = None
        if channel in (SessionChannel.IN_PERSON, SessionChannel.HYBRID):
            room = (
                rooms["Riverside Community Centre/Garden room"]
                if number % 2
                else rooms["Millbrook Library/Meeting room"]
            )
        start = _at(day, 18, 30) if channel == SessionChannel.ONLINE else _at(day, 10, 30)
        _, n = _session(
            project,
            f"Promises workshop {number + 1}",
            channel,
            start,
            2,
            room=room,
            facilitator=facilitator,
            admin=admin,
            agenda="What matters to you\nDrafting the words together\nNext steps",
            invitees=members,
            attend_odds=odds,
            rng=rng,
            creator=coordinator,
        )
        total += n
        day = day + dt.timedelta(days=28)
    return {"promise_attendances": total}


def _repairs(
    core: list[Person],
    established: list[Person],
    new: list[Person],
    rooms: dict[str, Room],
    staff: dict[str, User],
    rng: random.Random,
) -> dict[str, int]:
    """Staff decided first, then asked: the measure says consultation."""
    colleague = staff.get("colleague", staff["coordinator"])
    project = Project.objects.create(
        title="Changes to the repairs service",
        owner=staff["coordinator"],
        status=ProjectStatus.ACTIVE,
        started_on=dt.date(2025, 9, 1),
        purpose="The repairs team asked for tenants' views on a new appointments system.",
        team_ladder=6,
        team_ladder_reason="We involved tenants in the design.",
    )
    ProjectStaff.objects.create(project=project, user=staff["coordinator"], role="lead")
    members = established[8:20] + core[6:10]
    for person in members:
        ProjectMember.objects.create(project=project, person=person, joined_on=dt.date(2026, 2, 1))
    for on, summary, by, views, feedback in [
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
    ]:
        Decision.objects.create(
            project=project,
            decided_on=on,
            summary=summary,
            decided_by=by,
            tenant_views=views,
            feedback=feedback,
            recorded_by=colleague,
        )
    odds = _odds(members, 0.6)
    total = 0
    for number, day in enumerate([dt.date(2026, 3, 3), dt.date(2026, 5, 5)]):
        _, n = _session(
            project,
            f"Repairs: tell us what you think ({number + 1})",
            SessionChannel.IN_PERSON,
            _at(day, 13),
            1.5,
            room=rooms["Wharfside Hub/Upstairs room"],
            facilitator=staff["facilitator"],
            admin=None,
            agenda="The new appointments system\nYour questions",
            invitees=members,
            attend_odds=odds,
            rng=rng,
            creator=colleague,
        )
        total += n
    return {"repairs_attendances": total}


def _health_check(
    core: list[Person],
    new: list[Person],
    rooms: dict[str, Room],
    coordinator: User,
    facilitator: User,
    people: dict[str, Person],
    logins: dict[str, str],
) -> dict[str, int]:
    project = Project.objects.create(
        title="Annual health check 2026-27",
        owner=coordinator,
        status=ProjectStatus.PLANNED,
        started_on=dt.date(2026, 11, 1),
        purpose="Tenant evaluators check how well we keep our customer promises: the first, "
        "baseline year.",
    )
    ProjectStaff.objects.create(project=project, user=coordinator, role="lead")
    evaluators = core[:3] + new[:5]
    tenant_people = list(Person.objects.filter(user__email__in=list(logins.values())))
    for person in {p.pk: p for p in evaluators + tenant_people}.values():
        ProjectMember.objects.create(
            project=project, person=person, joined_on=dt.date(2026, 11, 1), role="evaluator"
        )
    invitees = list({p.pk: p for p in evaluators + tenant_people}.values())
    made = 0
    for title, day, channel in [
        ("Health check: getting started", dt.date(2027, 1, 12), SessionChannel.HYBRID),
        ("Health check: theming the evidence", dt.date(2027, 2, 9), SessionChannel.ONLINE),
    ]:
        start = _at(day, 18) if channel == SessionChannel.ONLINE else _at(day, 10)
        meeting = Meeting.objects.create(
            project=project,
            title=title,
            channel=channel,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            joining_link="https://meet.example.org/riverside-health-check",
            agenda="Welcome\nHow the health check works\nWho we want to talk to",
            status=SessionStatus.PLANNED,
            created_by=coordinator,
            reminder_at=start - dt.timedelta(days=2),
        )
        if channel == SessionChannel.HYBRID:
            RoomBooking.objects.create(
                meeting=meeting,
                room=rooms["Riverside Community Centre/Garden room"],
                starts_at=start,
                ends_at=meeting.ends_at,
                booked_by=coordinator,
            )
        SessionStaff.objects.create(
            meeting=meeting,
            user=facilitator,
            role="facilitator",
            starts_at=start,
            ends_at=meeting.ends_at,
        )
        Invitation.objects.bulk_create([Invitation(meeting=meeting, person=p) for p in invitees])
        made += 1
    return {"health_check_sessions": made}


def _support_requests(colleague: User, rng: random.Random) -> int:
    teams = [
        "Repairs",
        "Income",
        "Neighbourhoods",
        "Lettings",
        "Customer services",
        "Supported housing",
        "Asset management",
        "Complaints",
    ]
    asks = [
        "A new letter for rent arrears",
        "The tenancy sustainment offer",
        "Our estate inspection checklist",
        "The complaints policy review",
        "Damp and mould communications",
        "Welcome pack for new tenants",
        "Sheltered scheme activities",
        "The anti-social behaviour leaflet",
    ]
    made = 0
    month = dt.date(2025, 12, 1)
    for index in range(12):
        for _ in range(1 + index // 3):
            made += 1
            created = _at(month + dt.timedelta(days=rng.randint(0, 25)), 10)
            request = SupportRequest.objects.create(
                requested_by=colleague,
                team=rng.choice(teams),
                what=rng.choice(asks),
                why="We want tenants to shape it, not just comment at the end.",
                when="Within three months",
                who_affected="Tenants who use this service",
                status="new" if index >= 10 else rng.choice(["accepted", "declined"]),
                triage_note="" if index >= 10 else "Discussed with the team.",
            )
            SupportRequest.objects.filter(pk=request.pk).update(created_at=created)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return made


PROMISES = [
    (
        "Listen and act",
        "We aim to listen to tenants' views where possible.",
        "We will always listen to you, and we will act on what you tell us.",
        "You will see what changed because of what you said, in our 'you said, we did' updates.",
    ),
    (
        "Keep you informed",
        "We will communicate with customers.",
        "We will tell you what is happening, in plain words, and in the way you prefer.",
        "Letters, texts, phone calls or online: you choose.",
    ),
    (
        "Treat you with respect",
        "Customers will be treated fairly.",
        "We will treat you fairly and with respect, whoever you are.",
        "",
    ),
    (
        "Put things right",
        "We will deal with complaints in line with policy.",
        "When we get it wrong, we will say sorry, put it right quickly and learn from it.",
        "",
    ),
    (
        "Safe, warm homes",
        "We will maintain properties to the required standard.",
        "We will keep your home safe and warm, and fix repairs right first time.",
        "",
    ),
    (
        "Stronger communities",
        "We will support communities.",
        "We will work with you to make your neighbourhood a place you are proud of.",
        "",
    ),
]


def build_promises_story(*, seed: int) -> dict[str, int]:
    """The promises set from PRODUCT.md: a year of drafting, a ranking, the board's wrangle
    over one word, and the published set."""
    from coproduce.promises.models import (
        Ballot,
        BoardMeeting,
        BoardPromiseDecision,
        CoDesigner,
        Comment,
        Promise,
        PromiseSet,
        PromiseVersion,
        Proposal,
        Vote,
    )

    project = Project.objects.filter(title=PROMISES_TITLE).first()
    if project is None or PromiseSet.objects.filter(project=project).exists():
        return {}
    rng = random.Random(seed * 31 + 7)
    members = [m.person for m in project.members.select_related("person").order_by("id")]
    coordinator = project.owner
    promise_set = PromiseSet.objects.create(
        project=project,
        title="Our customer promises",
        status="published",
        decision_rule="majority",
        min_votes=3,
        agreed_count=6,
        adopted_on=dt.date(2025, 9, 24),
        published_on=dt.date(2025, 10, 14),
    )
    PromiseSet.objects.filter(pk=promise_set.pk).update(created_at=_at(dt.date(2024, 11, 19), 12))
    day = dt.date(2025, 1, 21)
    proposals = votes = 0
    for position, (title, draft, final, in_practice) in enumerate(PROMISES, start=1):
        proposer = members[position % len(members)]
        promise = Promise.objects.create(
            promise_set=promise_set,
            title=title,
            wording=final,
            in_practice=in_practice,
            position=position,
            version=2,
        )
        first = Proposal.objects.create(
            promise_set=promise_set,
            kind="new",
            title=title,
            wording=draft,
            proposed_by=proposer,
            status="accepted",
            decided_by=proposer,
            decided_at=_at(day, 20),
            reason="A starting point from the first workshop.",
        )
        PromiseVersion.objects.create(
            promise=promise,
            version=1,
            title=title,
            wording=draft,
            note=f"Proposal #{first.pk} accepted by the group",
            proposal=first,
            changed_by_person=proposer,
        )
        rewording = Proposal.objects.create(
            promise_set=promise_set,
            kind="reword",
            promise=promise,
            base_version=1,
            title=title,
            wording=final,
            in_practice=in_practice,
            proposed_by=members[(position * 3) % len(members)],
            via="paper" if position == 3 else "web",
            recorded_by=coordinator if position == 3 else None,
            reason="Plain words that we can hold them to: 'we will', not 'we aim to'.",
            status="accepted",
            decided_at=_at(day + dt.timedelta(days=56), 20),
        )
        PromiseVersion.objects.create(
            promise=promise,
            version=2,
            title=title,
            wording=final,
            in_practice=in_practice,
            note=f"Proposal #{rewording.pk} accepted by the group",
            proposal=rewording,
            changed_by_person=rewording.proposed_by,
        )
        voters = rng.sample(members, min(len(members), 14))
        Vote.objects.bulk_create(
            [
                Vote(
                    proposal=rewording,
                    person=p,
                    choice="for" if rng.random() < 0.8 else rng.choice(["against", "abstain"]),
                )
                for p in voters
            ]
        )
        Comment.objects.create(
            proposal=rewording,
            person=voters[0],
            text="Much better. My mum would understand this one.",
        )
        proposals += 2
        votes += len(voters)
        day += dt.timedelta(days=14)
    # An idea the group turned down.
    turned_down = Proposal.objects.create(
        promise_set=promise_set,
        kind="new",
        title="Value for money",
        wording="We will make sure your rent is good value for money.",
        proposed_by=members[-1],
        status="rejected",
        decided_at=_at(dt.date(2025, 5, 20), 20),
        reason="Rent matters to everyone.",
    )
    Vote.objects.bulk_create(
        [
            Vote(proposal=turned_down, person=p, choice="against" if i % 3 else "for")
            for i, p in enumerate(members[:12])
        ]
    )
    Comment.objects.create(
        proposal=turned_down,
        person=members[2],
        text="Good point, but rents are set by the government: we can't "
        "promise what we don't control.",
    )
    # The ranking: "Listen and act" first for most people.
    promises = list(promise_set.promises.order_by("position"))
    ballots = []
    for person in members:
        order = promises[:]
        rng.shuffle(order)
        order.sort(key=lambda p: p.position + rng.random() * 3.5)
        ballots.append(
            Ballot(
                promise_set=promise_set,
                person=person,
                ranking=[p.pk for p in order],
                count=rng.choice([5, 6, 6, 6, 7, 8]),
            )
        )
    Ballot.objects.bulk_create(ballots)
    # The board and the one disputed word.
    meeting = BoardMeeting.objects.create(
        promise_set=promise_set,
        held_on=dt.date(2025, 9, 24),
        outcome="adopted",
        recorded_by=coordinator,
        notes="Three tenants presented the promises. The board asked about one word.",
    )
    meeting.presenters.set(members[:3])
    for promise in promises:
        disputed = promise.title == "Listen and act"
        BoardPromiseDecision.objects.create(
            meeting=meeting,
            promise=promise,
            decision="change" if disputed else "accept",
            requested_change="Change 'always' to 'aim to'" if disputed else "",
            reason="We cannot guarantee we will always act on every view." if disputed else "",
            tenant_response="stand_by" if disputed else "",
            tenant_reason="We've done a year's worth of co-production; these are the words we "
            "want. 'Always listen' is the point."
            if disputed
            else "",
            final="Adopted with the tenants' wording." if disputed else "Adopted as written.",
        )
    CoDesigner.objects.bulk_create(
        [
            CoDesigner(
                promise_set=promise_set,
                person=p,
                consent_to_be_named=rng.random() < 0.7,
                name_as=f"{p.first_name} {p.last_name[:1]}.",
            )
            for p in members
        ]
    )
    return {
        "promise_proposals": proposals + 1,
        "promise_votes": votes,
        "promise_ballots": len(ballots),
    }
