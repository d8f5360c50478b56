"""Sessions and who came: read with ``sessions:read``, record attendance with
``attendance:write``.

Attendance goes through the same service as the web register
(``meetings.services.attendance_register``), so the reward accrual, the audit trail and the
session's "held" status follow exactly as they do when staff tick the register.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Path as PathEx
from pydantic import ConfigDict, model_validator

from coproduce.api.auth import scoped, token_of
from coproduce.api.paging import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, changed_page
from coproduce.api.problems import ApiProblem
from coproduce.api.schemas import responses
from coproduce.meetings.models import (
    Attendance,
    Meeting,
    RecordedVia,
    SessionChannel,
    SessionStatus,
)
from coproduce.meetings.services import attendance_register
from coproduce.people.models import Person
from coproduce.projects.models import Project

router = Router()
SessionId = Annotated[int, PathEx(ge=0, le=MAX_ID)]
MAX_ROWS = 1000

Channel = Literal["in_person", "online", "phone", "paper", "hybrid"]
# Staff record on someone's behalf by these routes; "web" and "text" are the person's own.
Via = Literal["in_person", "phone", "paper", "email"]
assert set(get_args(Channel)) == set(SessionChannel.values), "Channel must list every channel"
assert set(get_args(Via)) <= set(RecordedVia.values)


class SessionOut(Schema):
    id: int
    project_id: int
    title: str
    channel: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    venue: str | None = Field(None, description="The booked room and venue, if any.")
    invited: int
    attended: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_venue(obj: Meeting) -> str | None:
        booking = getattr(obj, "booking", None)
        if booking is None:
            return obj.location_notes or None
        return f"{booking.room.name}, {booking.room.venue.name}"


class SessionPage(Schema):
    items: list[SessionOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class SessionsFilter(Schema):
    updated_since: dt.datetime | None = Field(
        None, description="Only sessions changed at or after this time (ISO 8601 with zone)."
    )
    project_id: int | None = Field(None, ge=0, le=MAX_ID)
    status: Literal["planned", "held", "cancelled"] | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class AttendanceOut(Schema):
    person_id: int
    external_ref: str | None
    took_part_via: str
    minutes: int
    recorded_via: str
    on_behalf: bool
    recorded_at: dt.datetime

    @staticmethod
    def resolve_external_ref(obj: Attendance) -> str | None:
        return obj.person.external_ref


class AttendanceRowIn(Schema):
    """One person: name them by ``person_id`` or by ``external_ref`` (one of the two)."""

    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(None, ge=0, le=MAX_ID)
    external_ref: str | None = Field(None, min_length=1, max_length=64)
    took_part: bool = Field(
        True, description="false removes an earlier record of this person at this session."
    )
    took_part_via: Channel | None = Field(None, description="Default: the session's channel.")
    minutes: int | None = Field(
        None, ge=1, le=24 * 60, description="Time given; default: the session's length."
    )
    recorded_via: Via = Field("in_person", description="How coproduce came to know.")

    @model_validator(mode="after")
    def _one_name(self) -> AttendanceRowIn:
        if (self.person_id is None) == (self.external_ref is None):
            raise ValueError("Give either person_id or external_ref, not both and not neither.")
        return self


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attendance: list[AttendanceRowIn] = Field(
        ...,
        min_length=1,
        description=f"Up to {MAX_ROWS:,} people; all are recorded or none.",
        json_schema_extra={"maxItems": MAX_ROWS},
    )


class AttendanceResult(Schema):
    recorded: int = Field(..., description="New or changed records.")
    removed: int
    unchanged: int


def sessions() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("booking__room__venue").annotate(
        invited=Count("invitations", distinct=True), attended=Count("attendances", distinct=True)
    )


@router.get(
    "/",
    response=responses({200: SessionPage}),
    auth=scoped("sessions:read"),
    summary="List sessions, oldest change first",
)
def list_sessions(request: HttpRequest, filters: Query[SessionsFilter]) -> dict[str, object]:
    queryset = sessions()
    if filters.project_id is not None:
        queryset = queryset.filter(project_id=filters.project_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return changed_page(
        queryset, updated_since=filters.updated_since, cursor=filters.cursor, limit=filters.limit
    )


@router.get(
    "/{int:session_id}",
    response=responses({200: SessionOut}, 404),
    auth=scoped("sessions:read"),
    summary="One session",
)
def get_session(request: HttpRequest, session_id: SessionId) -> Meeting:
    return get_object_or_404(sessions(), pk=session_id)


@router.get(
    "/{int:session_id}/attendance",
    response=responses({200: list[AttendanceOut]}, 404),
    auth=scoped("sessions:read"),
    summary="Who took part in a session, and how",
)
def list_attendance(request: HttpRequest, session_id: SessionId) -> list[Attendance]:
    meeting = get_object_or_404(Meeting, pk=session_id)
    return list(
        Attendance.objects.filter(meeting=meeting, person__erased_at__isnull=True)
        .select_related("person")
        .order_by("person_id")
    )


def _problem(errors: list[dict[str, Any]]) -> ApiProblem:
    return ApiProblem(
        422,
        "Some people could not be recorded; nothing was changed.",
        slug="invalid",
        errors=errors,
    )


def _find_people(rows: list[AttendanceRowIn]) -> list[Person]:
    """Each row's person, or a 422 listing every row that names nobody we can record."""
    by_id = Person.objects.in_bulk([r.person_id for r in rows if r.person_id is not None])
    by_ref = {
        p.external_ref: p
        for p in Person.objects.filter(
            external_ref__in=[r.external_ref for r in rows if r.external_ref is not None],
            erased_at__isnull=True,
        )
    }
    found: list[Person] = []
    errors: list[dict[str, Any]] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        field = "person_id" if row.person_id is not None else "external_ref"
        loc: list[str | int] = ["body", "attendance", index, field]
        person = (
            by_id.get(row.person_id) if row.person_id is not None else by_ref.get(row.external_ref)
        )
        if person is None or person.erased_at is not None:
            errors.append({"loc": loc, "msg": "There is no such person."})
        elif person.processing_restricted:
            errors.append(
                {
                    "loc": loc,
                    "msg": "This person's processing is restricted; their attendance cannot "
                    "be recorded until the restriction is lifted.",
                }
            )
        elif person.pk in seen:
            errors.append({"loc": loc, "msg": "This person is named twice in this call."})
        else:
            seen.add(person.pk)
            found.append(person)
    if errors:
        raise _problem(errors)
    return found


@router.post(
    "/{int:session_id}/attendance",
    response=responses({200: AttendanceResult}, 404, 409, 413),
    auth=scoped("attendance:write"),
    summary="Record who took part in a session (the register), all or nothing",
    description=(
        "The same as ticking the register on the web: rewards and the audit trail follow. "
        "Idempotent: sending the same register again records nothing new. People not named "
        "are left as they are. 409 if the session is cancelled or has not started yet."
    ),
)
def record_attendance(
    request: HttpRequest, session_id: SessionId, payload: AttendanceIn
) -> dict[str, int]:
    if len(payload.attendance) > MAX_ROWS:
        raise ApiProblem(
            413,
            f"Send at most {MAX_ROWS:,} people per call; this call has "
            f"{len(payload.attendance):,}.",
            slug="too-many",
        )
    with transaction.atomic():
        # Locked as the web register locks (the project, then the session: always in that
        # order, so an API call and a person at the register never deadlock): two registers for
        # one session are saved one after the other, and the same call sent twice at once gives
        # one clean outcome.
        found = get_object_or_404(Meeting.objects.only("project_id"), pk=session_id)
        list(Project.objects.select_for_update().filter(pk=found.project_id).values_list("pk"))
        meeting = Meeting.objects.select_for_update().get(pk=session_id)
        if meeting.status == SessionStatus.CANCELLED:
            raise ApiProblem(
                409, "This session was cancelled; nobody can be recorded at it.", slug="cancelled"
            )
        if meeting.starts_at > timezone.now():
            raise ApiProblem(
                409,
                "This session has not started yet; record who came once it has begun.",
                slug="not-started",
            )
        people = _find_people(payload.attendance)
        rows = [
            {
                "person": person,
                "took_part": row.took_part,
                "took_part_via": row.took_part_via,
                "minutes": row.minutes,
                "recorded_via": row.recorded_via,
            }
            for person, row in zip(people, payload.attendance, strict=True)
        ]
        try:
            recorded, removed = attendance_register(
                meeting=meeting, rows=rows, actor=token_of(request).owner, request=request
            )
        except ValidationError as error:
            raise _problem(
                [{"loc": ["body", "attendance"], "msg": m} for m in error.messages]
            ) from None
    return {"recorded": recorded, "removed": removed, "unchanged": len(rows) - recorded - removed}
