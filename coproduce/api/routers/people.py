"""People: the records the housing system keeps in step with its own (``external_ref``).

Reading needs ``people:read``; writing needs ``people:write`` and follows the importer's rules
and messages (coproduce.people.importing.records; docs/api-people.md). Equality answers are
never here: they live in the diversity app and leave coproduce only as suppressed aggregates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathEx
from pydantic import ConfigDict

from coproduce.api.auth import scoped, token_of
from coproduce.api.etags import check_if_match, etag
from coproduce.api.paging import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, changed_page
from coproduce.api.problems import ApiProblem
from coproduce.api.schemas import responses
from coproduce.people.importing.records import (
    ERASED_MESSAGE,
    MAX_RECORDS,
    RESTRICTED_MESSAGE,
    Problem,
    RecordsRefused,
    area_for,
    parse_fields,
    upsert_records,
)
from coproduce.people.models import Person
from coproduce.people.services import person_tenancy_ended, person_update, ref_was_erased

router = Router()
# The address takes whole numbers from 0 ({int:...}); say so, so clients and the schema test
# never send what the address cannot match.
PersonId = Annotated[int, PathEx(ge=0, le=MAX_ID)]


class PersonOut(Schema):
    id: int
    external_ref: str | None
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    postcode: str
    area: str | None
    scheme: str
    tenure: str
    date_of_birth: dt.date | None
    preferred_channels: list[str]
    availability: list[str]
    accessibility_needs: str
    language_needs: str
    caring_responsibilities: str
    digital_access: str
    reward_preference: str
    contact_consent: bool
    involvement: str
    involved_since: dt.date | None
    processing_restricted: bool
    tenancy_ended_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_area(obj: Person) -> str | None:
        return obj.area.name if obj.area is not None else None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class PeopleFilter(Schema):
    updated_since: dt.datetime | None = Field(
        None, description="Only people changed at or after this time (ISO 8601 with zone)."
    )
    external_ref: str | None = Field(None, max_length=64)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def people() -> QuerySet[Person]:
    """Everyone the API may show: erased records hold only a pseudonym and are left out."""
    return Person.objects.select_related("area").filter(erased_at__isnull=True)


@router.get(
    "/",
    response=responses({200: PersonPage}),
    auth=scoped("people:read"),
    summary="List people, oldest change first",
)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> dict[str, object]:
    queryset = people()
    if filters.external_ref:
        queryset = queryset.filter(external_ref=filters.external_ref)
    return changed_page(
        queryset, updated_since=filters.updated_since, cursor=filters.cursor, limit=filters.limit
    )


@router.get(
    "/{int:person_id}",
    response=responses({200: PersonOut}, 404),
    auth=scoped("people:read"),
    summary="One person; the ETag header is the version to send back in If-Match",
)
def get_person(request: HttpRequest, person_id: PersonId, response: HttpResponse) -> Person:
    person = get_object_or_404(people(), pk=person_id)
    response["ETag"] = etag(person)
    return person


# ---------------------------------------------------------------------------------------------
# Writing


class PersonIn(Schema):
    """The columns of a people import (docs/import-people.md), with the same names, checks and
    messages. Send only what you hold: a field left out is left as it is (on a new person, the
    usual default); null or "" blanks it."""

    model_config = ConfigDict(extra="forbid")

    external_ref: str | None = Field(None, description="Must match the address, if sent.")
    first_name: str | None = Field(None, description="Required for a new person.")
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = Field(None, description="Line breaks become commas.")
    postcode: str | None = None
    area: str | None = Field(None, description="The area's name; a new name makes a new area.")
    scheme: str | None = None
    tenure: str | None = Field(None, description="A code or label, e.g. general_needs.")
    date_of_birth: str | None = Field(None, description="YYYY-MM-DD or DD/MM/YYYY.")
    preferred_channels: list[str] | str | None = Field(
        None, description="Codes, as a list or separated by semicolons."
    )
    availability: list[str] | str | None = Field(
        None, description="Codes, as a list or separated by semicolons."
    )
    accessibility_needs: str | None = None
    language_needs: str | None = None
    caring_responsibilities: str | None = None
    digital_access: str | None = None
    reward_preference: str | None = None
    contact_consent: bool | str | None = Field(None, description="true/false, or yes/no.")


class BulkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    people: list[PersonIn] = Field(
        ...,
        description=f"Up to {MAX_RECORDS:,} people; all are written or none.",
        json_schema_extra={"maxItems": MAX_RECORDS},
    )


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int
    ids: dict[str, int] = Field(..., description="The person's id for each external_ref sent.")


class TenancyEndedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ended_on: dt.date = Field(..., description="The day the tenancy ended (not in the future).")


def _refused(refused: RecordsRefused, where: list[str | int], path_ref: bool = False) -> ApiProblem:
    def loc(problem: Problem) -> list[str | int]:
        if path_ref and problem.field == "external_ref":
            return ["path", "external_ref"]
        return (
            [*where, problem.index, problem.field]
            if where[-1] == "people"
            else [
                *where,
                problem.field,
            ]
        )

    errors: list[dict[str, Any]] = [
        {"loc": loc(problem), "msg": problem.message} for problem in refused.problems
    ]
    if refused.conflict:
        return ApiProblem(409, refused.problems[0].message, slug="person-state", errors=errors)
    return ApiProblem(
        422, "Some values are not valid; nothing was changed.", slug="invalid", errors=errors
    )


def _if_match_sent(request: HttpRequest) -> bool:
    return bool(request.headers.get("If-Match", "").strip())


@router.put(
    "/by-ref/{external_ref}",
    response=responses({200: PersonOut, 201: PersonOut}, 409, 412),
    auth=scoped("people:write"),
    summary="Create or update the person with this housing system reference",
    description=(
        "The importer's rules and messages. 201 when created, 200 when updated or unchanged. "
        "If-Match is optional; when sent it must name the current version (412 if not, or if "
        "there is no such person yet). 409 if the person's processing is restricted, or the "
        "reference belonged to someone erased."
    ),
)
def upsert_person(
    request: HttpRequest, external_ref: str, payload: PersonIn, response: HttpResponse
) -> Status[Person]:
    record = payload.model_dump(exclude_unset=True)
    if record.get("external_ref") not in (None, external_ref):
        raise ApiProblem(
            422,
            "Some values are not valid; nothing was changed.",
            slug="invalid",
            errors=[
                {
                    "loc": ["body", "external_ref"],
                    "msg": "external_ref in the body must be the one in the address",
                }
            ],
        )
    record["external_ref"] = external_ref
    with transaction.atomic():
        current = (
            Person.objects.select_for_update()
            .filter(external_ref=external_ref, erased_at__isnull=True)
            .first()
        )
        if current is None and _if_match_sent(request):
            raise ApiProblem(
                412,
                "If-Match was sent but there is no person with this reference yet.",
                slug="changed",
            )
        if current is not None:
            check_if_match(request, current, required=False)
        try:
            outcome = upsert_records(
                [record], actor=token_of(request).owner, request=request, audit_each=True
            )[0]
        except RecordsRefused as refused:
            raise _refused(refused, ["body"], path_ref=True) from None
    person = people().get(pk=outcome.pk)
    response["ETag"] = etag(person)
    return Status(201 if outcome.action == "created" else 200, person)


@router.patch(
    "/{int:person_id}",
    response=responses({200: PersonOut}, 404, 409, 412, 428),
    auth=scoped("people:write"),
    summary="Change some of a person's fields; If-Match is required",
)
def patch_person(
    request: HttpRequest, person_id: PersonId, payload: PersonIn, response: HttpResponse
) -> Person:
    record = payload.model_dump(exclude_unset=True)
    values, problems = parse_fields(record)
    if "external_ref" in values and not values["external_ref"]:
        problems.append(Problem(0, "external_ref", "external_ref is empty but is required"))
    if "first_name" in values and not values["first_name"]:
        problems.append(Problem(0, "first_name", "first_name is empty but is required"))
    with transaction.atomic():
        person = get_object_or_404(people().select_for_update(of=("self",)), pk=person_id)
        check_if_match(request, person, required=True)
        if problems:
            raise _refused(RecordsRefused(problems), ["body"])
        ref = values.get("external_ref")
        if person.processing_restricted:
            message = RESTRICTED_MESSAGE.format(ref=person.external_ref or "")
            raise ApiProblem(409, message, slug="person-state")
        if ref and ref != person.external_ref and ref_was_erased(ref):
            raise ApiProblem(409, ERASED_MESSAGE.format(ref=ref), slug="person-state")
        if "area_id" in values:
            values["area_id"] = area_for(values["area_id"])
        try:
            person = person_update(
                person=person, data=values, actor=token_of(request).owner, request=request
            )
        except ValidationError as error:
            errors = [
                {"loc": ["body", "external_ref" if name == "external_ref" else name], "msg": msg}
                for name, messages in error.message_dict.items()
                for msg in messages
            ]
            raise ApiProblem(
                422,
                "Some values are not valid; nothing was changed.",
                slug="invalid",
                errors=errors,
            ) from None
    person = people().get(pk=person.pk)
    response["ETag"] = etag(person)
    return person


@router.post(
    "/bulk",
    response=responses({200: BulkOut}, 409, 413),
    auth=scoped("people:write"),
    summary=f"Create or update up to {MAX_RECORDS:,} people at once, all or nothing",
    description=(
        "Each person as in PUT /people/by-ref/{external_ref}, with external_ref in the body. "
        "If any is refused nothing is written, and the problem lists every refused person "
        "(loc: body, people, index, field). One reference may appear once per call."
    ),
)
def bulk_upsert(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    if len(payload.people) > MAX_RECORDS:
        raise ApiProblem(
            413,
            f"Send at most {MAX_RECORDS:,} people per call; this call has "
            f"{len(payload.people):,}. Split them into batches.",
            slug="too-many",
        )
    records = [item.model_dump(exclude_unset=True) for item in payload.people]
    try:
        outcomes = upsert_records(records, actor=token_of(request).owner, request=request)
    except RecordsRefused as refused:
        raise _refused(refused, ["body", "people"]) from None
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for outcome in outcomes:
        counts[outcome.action] += 1
    return {**counts, "ids": {o.external_ref: o.pk for o in outcomes}}


@router.post(
    "/by-ref/{external_ref}/tenancy-ended",
    response=responses({200: PersonOut}, 404),
    auth=scoped("people:write"),
    summary="Record that this person's tenancy ended: starts the retention clock",
    description=(
        "Idempotent: the same date again changes nothing; another date replaces it. The person "
        "is erased RETENTION_FORMER_TENANTS_DAYS (default 730) days after the later of this "
        "date and the last time they were involved (docs/retention.md)."
    ),
)
def tenancy_ended(
    request: HttpRequest, external_ref: str, payload: TenancyEndedIn, response: HttpResponse
) -> Person:
    person = get_object_or_404(people(), external_ref=external_ref)
    try:
        person, _changed = person_tenancy_ended(
            person=person,
            ended_on=payload.ended_on,
            actor=token_of(request).owner,
            request=request,
        )
    except ValidationError as error:
        raise ApiProblem(
            422,
            "Some values are not valid; nothing was changed.",
            slug="invalid",
            errors=[{"loc": ["body", "ended_on"], "msg": msg} for msg in error.messages],
        ) from None
    person = people().get(pk=person.pk)
    response["ETag"] = etag(person)
    return person
