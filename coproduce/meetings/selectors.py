"""Reads and totals for sessions, attendance and resourcing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    Rsvp,
    SessionStaff,
    SessionStatus,
    SupportRole,
    TimeGiven,
)
from coproduce.people.models import Person
from coproduce.people.selectors import usable
from coproduce.projects.models import Project


def meeting_list(filters: dict[str, Any]) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("project", "booking__room__venue").annotate(
        invited=Count("invitations"),
        coming=Count("invitations", filter=Q(invitations__rsvp=Rsvp.YES)),
    )
    if filters.get("project"):
        meetings = meetings.filter(project=filters["project"])
    if filters.get("channel"):
        meetings = meetings.filter(channel=filters["channel"])
    now = timezone.now()
    when = filters.get("when") or "upcoming"
    if when == "upcoming":
        return meetings.filter(ends_at__gte=now).order_by("starts_at", "id")
    if when == "past":
        return meetings.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return meetings.order_by("-starts_at", "-id")


def meeting_for_detail(pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("project", "created_by", "booking__room__venue")
        .filter(pk=pk)
        .first()
    )


def meeting_invitations(meeting: Meeting) -> list[Invitation]:
    return list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("person", "rsvp_recorded_by")
        .order_by("person__last_name", "person__first_name", "id")
    )


def meeting_counts(meeting: Meeting) -> dict[str, int]:
    counts = Invitation.objects.filter(meeting=meeting).aggregate(
        invited=Count("id"),
        yes=Count("id", filter=Q(rsvp=Rsvp.YES)),
        maybe=Count("id", filter=Q(rsvp=Rsvp.MAYBE)),
        no=Count("id", filter=Q(rsvp=Rsvp.NO)),
    )
    counts["attended"] = Attendance.objects.filter(meeting=meeting).count()
    return counts


def meeting_staff(meeting: Meeting) -> list[SessionStaff]:
    return list(SessionStaff.objects.filter(meeting=meeting).select_related("user"))


def meeting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )


def invitation_for_user(meeting: Meeting, user_id: int | None) -> Invitation | None:
    """The invitation of the person whose login this is (one query: the session page is one of
    the busiest, docs/benchmarks.md, issue #20). None for no login: never people without one."""
    if not user_id:
        return None
    # through the session, so invitation.meeting is this one, not asked for again
    return meeting.invitations.filter(person__user_id=user_id).first()


def people_search(q: str, *, exclude_ids: set[int] | None = None, limit: int = 50) -> list[Person]:
    q = q.strip()
    if not q:
        return []
    words = q.split()
    # Restricted and erased records are used for nothing: not offered for invitations.
    people = Person.objects.filter(usable())
    if len(words) > 1:
        people = people.filter(first_name__istartswith=words[0], last_name__istartswith=words[-1])
    else:
        people = people.filter(
            Q(last_name__istartswith=q) | Q(first_name__istartswith=q) | Q(external_ref__iexact=q)
        )
    if exclude_ids:
        people = people.exclude(pk__in=exclude_ids)
    return list(people.order_by("last_name", "first_name", "id")[:limit])


def person_invitations(person: Person) -> QuerySet[Invitation]:
    return Invitation.objects.filter(person=person).select_related(
        "meeting__project", "meeting__booking__room__venue"
    )


def person_upcoming(person: Person, now: dt.datetime | None = None) -> list[Invitation]:
    return list(
        person_invitations(person)
        .filter(meeting__status=SessionStatus.PLANNED, meeting__ends_at__gte=now or timezone.now())
        .order_by("meeting__starts_at", "id")
    )


@dataclass
class HistoryItem:
    when: dt.date
    what: str
    project: str
    how: str
    minutes: int
    on_behalf: bool
    meeting_id: int | None = None


@dataclass
class History:
    items: list[HistoryItem] = field(default_factory=list)
    session_minutes: int = 0
    other_minutes: int = 0
    sessions: int = 0

    @property
    def total_minutes(self) -> int:
        return self.session_minutes + self.other_minutes

    @property
    def total_hours(self) -> Decimal:
        return (Decimal(self.total_minutes) / Decimal(60)).quantize(Decimal("0.1"))


def person_history(person: Person) -> History:
    """Sessions they took part in and time given outside sessions, newest first.

    Read as plain rows (``values_list``), not models: every tenant's home page asks for it."""
    history = History()
    via = dict(Attendance._meta.get_field("took_part_via").flatchoices)
    attendances = Attendance.objects.filter(person=person).values_list(
        "meeting__starts_at",
        "meeting__title",
        "meeting__project__title",
        "took_part_via",
        "minutes",
        "on_behalf",
        "meeting_id",
    )
    for starts_at, title, project, took_part_via, minutes, on_behalf, meeting_id in attendances:
        history.items.append(
            HistoryItem(
                when=timezone.localtime(starts_at).date(),
                what=title,
                project=project,
                how=str(via.get(took_part_via, took_part_via)),
                minutes=minutes,
                on_behalf=on_behalf,
                meeting_id=meeting_id,
            )
        )
        history.session_minutes += minutes
        history.sessions += 1
    given = TimeGiven.objects.filter(person=person).values_list(
        "on", "what", "project__title", "minutes", "on_behalf"
    )
    for on, what, project, minutes, on_behalf in given:
        history.items.append(
            HistoryItem(
                when=on,
                what=what,
                project=project,
                how="Outside a session",
                minutes=minutes,
                on_behalf=on_behalf,
            )
        )
        history.other_minutes += minutes
    history.items.sort(key=lambda item: item.when, reverse=True)
    return history


@dataclass
class ResourcingRow:
    meeting: Meeting
    facilitator_hours: Decimal
    admin_hours: Decimal
    room_cost: Decimal
    attendances: int
    participant_minutes: int


@dataclass
class Resourcing:
    rows: list[ResourcingRow]
    facilitator_hours: Decimal
    admin_hours: Decimal
    room_cost: Decimal
    attendances: int
    participant_minutes: int
    time_given_minutes: int

    @property
    def sessions(self) -> int:
        return len(self.rows)

    @property
    def participant_hours(self) -> Decimal:
        minutes = self.participant_minutes + self.time_given_minutes
        return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"))


def _hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / Decimal(3600)


def project_resourcing(project: Project) -> Resourcing:
    """Staff hours, room costs and participants' time for a project's sessions (not cancelled)."""
    attendance = Attendance.objects.filter(meeting=OuterRef("pk")).values("meeting")
    meetings = (
        Meeting.objects.filter(project=project)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("booking__room")
        .prefetch_related("staff")
        .annotate(
            n_attended=Coalesce(
                Subquery(attendance.annotate(n=Count("id")).values("n"), IntegerField()),
                Value(0),
            ),
            minutes_given=Coalesce(
                Subquery(attendance.annotate(m=Sum("minutes")).values("m"), IntegerField()),
                Value(0),
            ),
        )
        .order_by("starts_at", "id")
    )
    rows = []
    for m in meetings:
        fac = adm = Decimal(0)
        for member in m.staff.all():
            hours = _hours(member.starts_at, member.ends_at)
            if member.role == SupportRole.FACILITATOR:
                fac += hours
            else:
                adm += hours
        booking = getattr(m, "booking", None)
        cost = booking.cost if booking is not None else Decimal("0.00")
        rows.append(
            ResourcingRow(
                meeting=m,
                facilitator_hours=fac.quantize(Decimal("0.01")),
                admin_hours=adm.quantize(Decimal("0.01")),
                room_cost=cost,
                attendances=m.n_attended,  # type: ignore[attr-defined]
                participant_minutes=m.minutes_given,  # type: ignore[attr-defined]
            )
        )
    other = TimeGiven.objects.filter(project=project).aggregate(m=Sum("minutes"))["m"] or 0
    return Resourcing(
        rows=rows,
        facilitator_hours=sum((r.facilitator_hours for r in rows), Decimal("0.00")),
        admin_hours=sum((r.admin_hours for r in rows), Decimal("0.00")),
        room_cost=sum((r.room_cost for r in rows), Decimal("0.00")),
        attendances=sum(r.attendances for r in rows),
        participant_minutes=sum(r.participant_minutes for r in rows),
        time_given_minutes=other,
    )


def feed_invitations(person: Person) -> list[Invitation]:
    """What goes in a person's calendar: anything they have not said no to, recent or future."""
    since = timezone.now() - dt.timedelta(days=90)
    return list(
        person_invitations(person)
        .exclude(rsvp=Rsvp.NO)
        .filter(meeting__ends_at__gte=since)
        .order_by("meeting__starts_at")
    )
