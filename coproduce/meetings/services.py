"""Every write about sessions, rooms, invitations and attendance. Audit entries happen inside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.changes import apply_changes
from coproduce.meetings import messages
from coproduce.meetings.models import (
    Attendance,
    CalendarFeed,
    Invitation,
    Meeting,
    RecordedVia,
    Room,
    RoomBooking,
    Rsvp,
    SessionChannel,
    SessionStaff,
    SessionStatus,
    TimeGiven,
    Venue,
)
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message, Status
from coproduce.people.models import Person
from coproduce.people.selectors import usable
from coproduce.projects.models import Project
from coproduce.webhooks.services import emit, person_path

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

MEETING_FIELDS = [
    "project",
    "title",
    "channel",
    "starts_at",
    "ends_at",
    "capacity",
    "joining_link",
    "phone_details",
    "location_notes",
    "agenda",
    "materials",
    "status",
    "reminder_at",
]
# Taking part this way, or telling us this way, means staff wrote it down for them.
OFFLINE = {SessionChannel.PHONE, SessionChannel.PAPER}
OFFLINE_VIA = {RecordedVia.PHONE, RecordedVia.PAPER}


def _local(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}, {messages.clock(local)}"


def _span(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    return f"{_local(starts_at)} to {messages.clock(ends_at)}"


def _check_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = "The end must be after the start."
    if meeting.channel in (SessionChannel.ONLINE, SessionChannel.HYBRID) and not (
        meeting.joining_link
    ):
        errors["joining_link"] = "Enter the joining link for an online or hybrid session."
    if meeting.channel == SessionChannel.PHONE and not meeting.phone_details:
        errors["phone_details"] = "Enter the phone number and any code people need to join."
    if meeting.reminder_at and meeting.starts_at and meeting.reminder_at >= meeting.starts_at:
        errors["reminder_at"] = "Reminders must go before the session starts."
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


def _enqueue_reminders(meeting: Meeting) -> None:
    if meeting.reminder_at is None or meeting.reminder_sent_at is not None:
        return
    from coproduce.meetings.tasks import send_session_reminders

    meeting_id, run_after = meeting.pk, meeting.reminder_at

    def enqueue() -> None:
        task = send_session_reminders
        # The task checks the time itself, so a backend that cannot wait just runs it early
        # (and it does nothing until due); `send_reminders` from cron picks it up later.
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(meeting_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def meeting_create(
    *, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Meeting:
    meeting = Meeting(**{k: v for k, v in data.items() if k in MEETING_FIELDS})
    meeting.created_by = actor
    _check_meeting(meeting)
    meeting.save()
    audit_record(
        action="session.created",
        actor=actor,
        obj=meeting,
        request=request,
        summary=f"Session '{meeting.title}' on {_local(meeting.starts_at)}",
    )
    _enqueue_reminders(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Meeting:
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = [
        name for name in MEETING_FIELDS if name in data and getattr(current, name) != data[name]
    ]
    if not changed:
        return current
    was = _as_people_read_it(current)
    for name in changed:
        setattr(current, name, data[name])
    if "reminder_at" in changed:
        current.reminder_sent_at = None
    _check_meeting(current)
    current.save(update_fields=[*changed, "reminder_sent_at", "updated_at"])
    if {"starts_at", "ends_at", "status"} & set(changed):
        _move_resources(current, actor=actor)
    audit_record(
        action="session.changed",
        actor=actor,
        obj=current,
        request=request,
        summary="Changed " + ", ".join(sorted(changed)),
    )
    if "reminder_at" in changed:
        _enqueue_reminders(current)
    _tell_invitees(current, was=was, actor=actor)
    return current


def _move_resources(meeting: Meeting, *, actor: User) -> None:
    """Keep the room booking and staff times in step with the session, or refuse the change."""
    booking = RoomBooking.objects.filter(meeting=meeting).first()
    if booking is not None:
        if meeting.status == SessionStatus.CANCELLED:
            booking.delete()
        else:
            Room.objects.select_for_update().get(pk=booking.room_id)
            _refuse_room_clash(booking.room_id, meeting)
            booking.starts_at, booking.ends_at = meeting.starts_at, meeting.ends_at
            booking.save(update_fields=["starts_at", "ends_at"])
    staff = list(SessionStaff.objects.filter(meeting=meeting).select_related("user"))
    for member in staff:
        if meeting.status != SessionStatus.CANCELLED:
            get_user_model().objects.select_for_update().get(pk=member.user_id)
            _refuse_staff_clash(member.user, meeting)
        member.starts_at, member.ends_at = meeting.starts_at, meeting.ends_at
        member.save(update_fields=["starts_at", "ends_at"])


# Rooms and bookings ---------------------------------------------------------------------------


def _refuse_room_clash(room_id: int, meeting: Meeting) -> None:
    clash = (
        RoomBooking.objects.filter(
            room_id=room_id, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
        )
        .exclude(meeting=meeting)
        .exclude(meeting__status=SessionStatus.CANCELLED)
        .select_related("meeting", "room")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{clash.room.name} is already booked for '{clash.meeting.title}' "
            f"on {_span(clash.starts_at, clash.ends_at)}. Choose another room or time."
        )


@transaction.atomic
def room_book(
    *, meeting: Meeting, room: Room, actor: User, request: HttpRequest | None = None
) -> RoomBooking:
    """Book a room for the session's time. Locks the room so two bookings cannot both win."""
    if meeting.status == SessionStatus.CANCELLED:
        raise ValidationError("This session is cancelled, so it cannot have a room.")
    was = _as_people_read_it(meeting)
    locked = Room.objects.select_for_update().select_related("venue").get(pk=room.pk)
    _refuse_room_clash(locked.pk, meeting)
    booking, _ = RoomBooking.objects.update_or_create(
        meeting=meeting,
        defaults={
            "room": locked,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "booked_by": actor,
        },
    )
    audit_record(
        action="session.room_booked",
        actor=actor,
        obj=meeting,
        request=request,
        summary=f"Booked {locked} for {_span(meeting.starts_at, meeting.ends_at)}",
    )
    _tell_invitees(meeting, was=was, actor=actor)
    return booking


@transaction.atomic
def room_unbook(*, meeting: Meeting, actor: User, request: HttpRequest | None = None) -> None:
    was = _as_people_read_it(meeting)
    deleted, _ = RoomBooking.objects.filter(meeting=meeting).delete()
    if deleted:
        audit_record(
            action="session.room_released",
            actor=actor,
            obj=meeting,
            request=request,
            summary="Room booking released",
        )
        _tell_invitees(meeting, was=was, actor=actor)


def _refuse_staff_clash(user: User, meeting: Meeting) -> None:
    clash = (
        SessionStaff.objects.filter(
            user=user, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
        )
        .exclude(meeting=meeting)
        .exclude(meeting__status=SessionStatus.CANCELLED)
        .select_related("meeting")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{user} is already working at '{clash.meeting.title}' on "
            f"{_span(clash.starts_at, clash.ends_at)}."
        )


@transaction.atomic
def staff_assign(
    *, meeting: Meeting, user: User, role: str, actor: User, request: HttpRequest | None = None
) -> SessionStaff:
    # Lock the person's row so two sessions cannot both claim them at once.
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    _refuse_staff_clash(locked, meeting)
    member, _ = SessionStaff.objects.update_or_create(
        meeting=meeting,
        user=locked,
        defaults={"role": role, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at},
    )
    member.full_clean()
    audit_record(
        action="session.staff_assigned",
        actor=actor,
        obj=meeting,
        request=request,
        summary=f"{locked} as {member.get_role_display()}",
    )
    return member


@transaction.atomic
def staff_remove(*, member: SessionStaff, actor: User, request: HttpRequest | None = None) -> None:
    meeting = member.meeting
    summary = f"{member.user} no longer {member.get_role_display()}"
    member.delete()
    audit_record(
        action="session.staff_removed", actor=actor, obj=meeting, request=request, summary=summary
    )


@transaction.atomic
def venue_save(
    *, venue: Venue | None, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Venue:
    created = venue is None
    venue = venue or Venue()
    apply_changes(venue, data)
    venue.full_clean()
    venue.save()
    audit_record(
        action="venue.created" if created else "venue.changed",
        actor=actor,
        obj=venue,
        request=request,
        summary=venue.name,
    )
    return venue


@transaction.atomic
def room_save(
    *,
    room: Room | None,
    venue: Venue,
    data: dict[str, Any],
    actor: User,
    request: HttpRequest | None = None,
) -> Room:
    created = room is None
    room = room or Room(venue=venue)
    apply_changes(room, data)
    room.full_clean()
    room.save()
    audit_record(
        action="room.created" if created else "room.changed",
        actor=actor,
        obj=room,
        request=request,
        summary=f"{room.name} ({room.capacity} people, £{room.cost_per_hour} an hour)",
    )
    return room


@transaction.atomic
def room_delete(*, room: Room, actor: User, request: HttpRequest | None = None) -> None:
    if room.bookings.exists():
        raise ValidationError(f"{room.name} has bookings, so it cannot be removed.")
    audit_record(action="room.deleted", actor=actor, obj=room, request=request, summary=room.name)
    room.delete()


# Invitations and replies ----------------------------------------------------------------------


@transaction.atomic
def invitations_create(
    *,
    meeting: Meeting,
    people: Iterable[Person],
    actor: User,
    request: HttpRequest | None = None,
    kind: str = messages.INVITATION,
) -> int:
    """Invite people; anyone already invited is left alone. Returns how many were new.

    Once the invitations are saved, each new one is sent on the person's own channel
    (`invitations_send`); `kind` is "outreach" for people an outreach list picked.
    """
    wanted = {p.pk for p in people}
    # Restricted and erased people are never invited (privacy app), nor people whose tenancy
    # has ended (the housing system told us through the API).
    wanted = set(
        Person.objects.filter(usable(), pk__in=wanted, tenancy_ended_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    already = set(
        Invitation.objects.filter(meeting=meeting, person_id__in=wanted).values_list(
            "person_id", flat=True
        )
    )
    new = [Invitation(meeting=meeting, person_id=pk) for pk in sorted(wanted - already)]
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_record(
            action="session.invited",
            actor=actor,
            obj=meeting,
            request=request,
            summary=f"Invited {len(new)} {'person' if len(new) == 1 else 'people'}",
        )
        ids = list(
            Invitation.objects.filter(
                meeting=meeting, person_id__in=[i.person_id for i in new]
            ).values_list("pk", flat=True)
        )
        meeting_id = meeting.pk
        transaction.on_commit(
            lambda: invitations_send(meeting_id=meeting_id, ids=ids, kind=kind, actor=actor),
            robust=True,  # the invitations are saved: a send that fails is logged, not a 500
        )
    return len(new)


def invitations_send(
    *,
    meeting_id: int,
    ids: list[int],
    kind: str = messages.INVITATION,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> list[Message]:
    """Send these invitations of a planned session that has not started, each once."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_related("project", "booking__room__venue")
        .filter(pk=meeting_id, status=SessionStatus.PLANNED, starts_at__gt=now)
        .first()
    )
    if meeting is None:
        return []
    invitations = list(
        Invitation.objects.filter(usable("person__"), meeting=meeting, pk__in=ids)
        .select_related("person")
        .order_by("pk")
    )
    sent = invitation_messages_send(
        invitations=invitations, kind=kind, context=messages.context(meeting), actor=actor, now=now
    )
    return [message for _, message in sent]


def invitation_messages_send(
    *,
    invitations: list[Invitation],
    kind: str,
    context: dict[str, Any],
    key_suffix: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> list[tuple[Invitation, Message]]:
    """One message of `kind` about each invitation, through messaging, keyed
    "<kind>:<invitation pk><key_suffix>", so it is never sent twice. Returns the messages made
    now (those already sent are left out)."""
    keys = {i.pk: f"{kind}:{i.pk}{key_suffix}" for i in invitations}
    done = set(Message.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    made = []
    for invitation in invitations:
        if keys[invitation.pk] in done:
            continue
        message = messaging.send(
            kind=kind,
            person=invitation.person,
            key=keys[invitation.pk],
            context=context,
            about=messages.about(invitation),
            actor=actor,
            now=now,
        )
        made.append((invitation, message))
    return made


def _as_people_read_it(meeting: Meeting) -> tuple[str, tuple[str, str]]:
    fresh = Meeting.objects.select_related("booking__room__venue").get(pk=meeting.pk)
    return fresh.status, messages.what_people_read(fresh)


def _tell_invitees(
    meeting: Meeting, *, was: tuple[str, tuple[str, str]], actor: User | None
) -> None:
    """After a change: tell everyone invited who has not said no that the session is
    cancelled, or that its time or place (as they read it) changed. Sent once the change is
    saved; one notice per change (`changes_notified` counts them)."""
    fresh = Meeting.objects.select_related("project", "booking__room__venue").get(pk=meeting.pk)
    status_before, read_before = was
    if fresh.starts_at <= timezone.now():
        return  # under way or over: there is no one to tell
    if fresh.status == SessionStatus.CANCELLED and status_before != SessionStatus.CANCELLED:
        kind, suffix = messages.CANCELLED, ""
    elif fresh.status == SessionStatus.PLANNED and (
        status_before == SessionStatus.CANCELLED or messages.what_people_read(fresh) != read_before
    ):
        fresh.changes_notified = (fresh.changes_notified or 0) + 1
        fresh.save(update_fields=["changes_notified"])
        kind, suffix = messages.CHANGED, f":{fresh.changes_notified}"
    else:
        return
    ids = list(
        Invitation.objects.filter(usable("person__"), meeting=fresh)
        .exclude(rsvp=Rsvp.NO)
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    context = messages.context(fresh)

    def send() -> None:
        invitations = list(
            Invitation.objects.filter(pk__in=ids).select_related("person").order_by("pk")
        )
        invitation_messages_send(
            invitations=invitations, kind=kind, context=context, key_suffix=suffix, actor=actor
        )

    transaction.on_commit(send, robust=True)


def invitations_for_members(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> int:
    today = timezone.localdate()
    people = Person.objects.filter(memberships__project_id=meeting.project_id).exclude(
        memberships__left_on__lt=today
    )
    return invitations_create(meeting=meeting, people=people, actor=actor, request=request)


# The person told us themselves: online, or by text message.
SELF_VIA = (RecordedVia.WEB, RecordedVia.TEXT)


@transaction.atomic
def rsvp_record(
    *,
    invitation: Invitation,
    rsvp: str,
    actor: User | None,
    via: str = RecordedVia.WEB,
    on_behalf: bool | None = None,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Invitation:
    """A reply, by the person (on the web, or a text message) or written down by staff on
    their behalf (phone, paper, a text or reply slip typed in...). `on_behalf` defaults to
    "staff recorded it" for every way but the person's own; `now` is when the reply came."""
    if rsvp not in (Rsvp.YES, Rsvp.MAYBE, Rsvp.NO):
        raise ValidationError("Choose coming, maybe or not coming.")
    if via not in RecordedVia.values:
        raise ValidationError("Choose how the reply came in.")
    now = now or timezone.now()
    current = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    if on_behalf is None:
        on_behalf = via not in SELF_VIA
    if not on_behalf and (
        current.meeting.status == SessionStatus.CANCELLED or current.meeting.ends_at < now
    ):
        raise ValidationError("This session is over or cancelled, so replies are closed.")
    current.rsvp = rsvp
    current.rsvp_via = via
    current.rsvp_recorded_by = actor if on_behalf else None
    current.responded_at = now
    current.save(update_fields=["rsvp", "rsvp_via", "rsvp_recorded_by", "responded_at"])
    audit_record(
        action="rsvp.recorded_on_behalf" if on_behalf else "rsvp.recorded",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Reply '{current.get_rsvp_display()}' ({current.get_rsvp_via_display()})",
    )
    return current


# Reminders ------------------------------------------------------------------------------------


def meeting_send_reminders(*, meeting_id: int, now: dt.datetime | None = None) -> int:
    """Send due reminders for one session, once, each on the person's own channel, to everyone
    invited who has not said no. Safe to run any number of times. Returns how many could be
    sent (the rest are recorded as not reached, for the coordinator to follow up)."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .filter(pk=meeting_id, status=SessionStatus.PLANNED, reminder_sent_at__isnull=True)
            .filter(reminder_at__lte=now, starts_at__gt=now)
            .first()
        )
        if meeting is None:
            return 0
        invitations = list(
            Invitation.objects.filter(
                usable("person__"),
                meeting=meeting,
                reminded_at__isnull=True,
                rsvp__in=[Rsvp.NO_REPLY, Rsvp.YES, Rsvp.MAYBE],
            )
            .select_related("person")
            .order_by("pk")
        )
        context = messages.context(
            Meeting.objects.select_related("project", "booking__room__venue").get(pk=meeting.pk)
        )
        made = invitation_messages_send(
            invitations=invitations, kind=messages.REMINDER, context=context, now=now
        )
        reached = [i.pk for i, message in made if message.status != Status.NOT_SENT]
        Invitation.objects.filter(pk__in=reached).update(reminded_at=now)
        meeting.reminder_sent_at = now
        meeting.save(update_fields=["reminder_sent_at"])
        missed = len(made) - len(reached)
        people = "person" if len(reached) == 1 else "people"
        audit_record(
            action="session.reminders_sent",
            obj=meeting,
            summary=f"Reminders sent to {len(reached)} {people}"
            + (f"; {missed} could not be reached" if missed else ""),
        )
        return len(reached)


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=SessionStatus.PLANNED,
        reminder_sent_at__isnull=True,
        reminder_at__lte=now,
        starts_at__gt=now,
    ).values_list("pk", flat=True)
    return sum(meeting_send_reminders(meeting_id=pk, now=now) for pk in list(due))


# Attendance and time given --------------------------------------------------------------------


@transaction.atomic
def attendance_register(
    *, meeting: Meeting, rows: list[dict[str, Any]], actor: User, request: HttpRequest | None = None
) -> tuple[int, int]:
    """Save the register. Each row: person, took_part, took_part_via, minutes, recorded_via.

    Returns (recorded, removed). A "did not take part" row removes an earlier record.
    """
    recorded = removed = 0
    recorded_ids: list[int] = []
    # Found by benchmarks/load.py: two staff saving the same register at once both read "not
    # recorded yet" and collided on the unique (meeting, person); and two registers of the same
    # project's sessions deadlocked on the participation summary its database triggers keep per
    # person and project. The project is locked first, then the session: registers of one
    # project wait for each other, and the second sees what the first saved.
    list(Project.objects.select_for_update().filter(pk=meeting.project_id).values_list("pk"))
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk"))
    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    for row in sorted(rows, key=lambda r: r["person"].pk):
        person: Person = row["person"]
        before = existing.get(person.pk)
        if not row["took_part"]:
            if before is not None:
                before.delete()
                removed += 1
                audit_record(
                    action="attendance.removed",
                    actor=actor,
                    object_type="meetings.attendance",
                    object_id=before.pk,
                    request=request,
                    summary=f"Person #{person.pk} did not take part in '{meeting.title}'",
                )
            continue
        via = row.get("took_part_via") or meeting.channel
        recorded_via = row.get("recorded_via") or RecordedVia.IN_PERSON
        minutes = row.get("minutes") or meeting.duration_minutes
        values = {
            "took_part_via": via,
            "minutes": minutes,
            "recorded_via": recorded_via,
            "on_behalf": via in OFFLINE or recorded_via in OFFLINE_VIA,
        }
        if before is not None and all(getattr(before, k) == v for k, v in values.items()):
            continue
        attendance = before or Attendance(meeting=meeting, person=person, recorded_by=actor)
        for name, value in values.items():
            setattr(attendance, name, value)
        attendance.recorded_by = actor
        attendance.full_clean(validate_unique=False)
        attendance.save()
        recorded += 1
        recorded_ids.append(person.pk)
        audit_record(
            action="attendance.recorded",
            actor=actor,
            obj=attendance,
            request=request,
            summary=(
                f"{person.full_name}: {minutes} minutes, {attendance.get_took_part_via_display()}"
                + (" (recorded for them)" if attendance.on_behalf else "")
            ),
        )
    if recorded and meeting.status == SessionStatus.PLANNED and meeting.starts_at <= timezone.now():
        Meeting.objects.filter(pk=meeting.pk).update(status=SessionStatus.HELD)
    if recorded_ids:
        emit(
            "attendance.recorded",
            {
                "session_id": meeting.pk,
                "project_id": meeting.project_id,
                "person_ids": recorded_ids,
                "people": [person_path(pk) for pk in recorded_ids],
            },
        )
    return recorded, removed


@transaction.atomic
def time_given_record(
    *,
    person: Person,
    project: Project,
    on: dt.date,
    minutes: int,
    what: str,
    actor: User,
    request: HttpRequest | None = None,
) -> TimeGiven:
    item = TimeGiven(
        person=person,
        project=project,
        on=on,
        minutes=minutes,
        what=what,
        on_behalf=True,
        recorded_by=actor,
    )
    item.full_clean()
    item.save()
    audit_record(
        action="time_given.recorded",
        actor=actor,
        obj=item,
        request=request,
        summary=f"Person #{person.pk}: {minutes} minutes on {project}",
    )
    return item


# Calendar feeds -------------------------------------------------------------------------------


def calendar_feed_for(*, person: Person) -> CalendarFeed:
    try:
        with transaction.atomic():
            feed, _ = CalendarFeed.objects.get_or_create(person=person)
    except IntegrityError:  # two first visits at once
        feed = CalendarFeed.objects.get(person=person)
    return feed
