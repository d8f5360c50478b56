"""Where and how sessions happen: the venues and their rooms, and a held session with its
staff, its invitations and who came."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coproduce.accounts.models import User
from coproduce.demo.cast import Cast
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
from coproduce.projects.models import Project

# name, address, postcode, access, rooms (name, capacity, cost per hour)
VENUES = [
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


def venues_ensure() -> dict[str, Room]:
    """The rooms by "venue/room" name."""
    rooms: dict[str, Room] = {}
    for name, address, postcode, access, room_specs in VENUES:
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


def odds(people: list[Person], value: float) -> dict[int, float]:
    """The same chance of coming for each of these people."""
    return {p.pk: value for p in people}


def session_hold(
    cast: Cast,
    project: Project,
    title: str,
    channel: str,
    start: dt.datetime,
    hours: float,
    *,
    room: Room | None,
    admin: User | None,
    agenda: str,
    invitees: list[Person],
    attend_odds: dict[int, float],
    creator: User,
) -> int:
    """A session that took place: booked, staffed, people invited; returns how many came."""
    meeting = _meeting_create(project, title, channel, start, hours, room, agenda, creator)
    _room_and_staff_book(meeting, room, cast.facilitator, admin, creator)
    return _invite(cast, meeting, hours, invitees, attend_odds)


def _meeting_create(
    project: Project,
    title: str,
    channel: str,
    start: dt.datetime,
    hours: float,
    room: Room | None,
    agenda: str,
    creator: User,
) -> Meeting:
    return Meeting.objects.create(
        project=project,
        title=title,
        channel=channel,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=int(hours * 60)),
        capacity=room.capacity if room else None,
        joining_link="https://meet.example.org/riverside-" + _link_slug(title)
        if channel in (SessionChannel.ONLINE, SessionChannel.HYBRID)
        else "",
        phone_details="Dial 0300 000 0000, code 4321" if channel == SessionChannel.PHONE else "",
        location_notes="Packs posted with a freepost envelope"
        if channel == SessionChannel.PAPER
        else "",
        agenda=agenda,
        materials=f"{title}\n\n{agenda}\n\nIf anything is unclear, phone Grace on 0300 000 0001.",
        status=SessionStatus.HELD,
        created_by=creator,
    )


def _link_slug(text: str) -> str:
    return "-".join("".join(c for c in word if c.isalnum()) for word in text.lower().split())


def _room_and_staff_book(
    meeting: Meeting, room: Room | None, facilitator: User, admin: User | None, creator: User
) -> None:
    start, end = meeting.starts_at, meeting.ends_at
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


def _invite(
    cast: Cast,
    meeting: Meeting,
    hours: float,
    invitees: list[Person],
    attend_odds: dict[int, float],
) -> int:
    """Invitations with their replies, and the attendance of those who came."""
    rng = cast.rng
    invitations, attendances = [], []
    for person in invitees:
        comes = rng.random() < attend_odds.get(person.pk, 0.5) * cast.harder.get(person.pk, 1.0)
        reply = Rsvp.YES if comes else rng.choice([Rsvp.NO, Rsvp.NO_REPLY, Rsvp.MAYBE])
        invitations.append(
            Invitation(
                meeting=meeting,
                person=person,
                rsvp=reply,
                rsvp_via=rng.choice([RecordedVia.WEB, RecordedVia.PHONE]) if reply else "",
                responded_at=meeting.starts_at - dt.timedelta(days=3) if reply else None,
            )
        )
        if comes:
            attendances.append(_attendance(cast, meeting, person, hours))
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendances)
    return len(attendances)


def _attendance(cast: Cast, meeting: Meeting, person: Person, hours: float) -> Attendance:
    channel = meeting.channel
    offline = channel in (SessionChannel.PHONE, SessionChannel.PAPER)
    return Attendance(
        meeting=meeting,
        person=person,
        took_part_via=channel
        if channel != SessionChannel.HYBRID
        else cast.rng.choice([SessionChannel.IN_PERSON, SessionChannel.ONLINE]),
        minutes=int(hours * 60) if channel != SessionChannel.PAPER else 45,
        recorded_via=RecordedVia.PHONE
        if channel == SessionChannel.PHONE
        else RecordedVia.PAPER
        if channel == SessionChannel.PAPER
        else RecordedVia.IN_PERSON,
        on_behalf=offline,
        recorded_by=cast.facilitator,
    )
