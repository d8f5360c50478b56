"""People: the records the housing system keeps in step with its own (``external_ref``).

Reading needs ``people:read``. Equality answers are never here: they live in the diversity
app and leave coproduce only as suppressed aggregates.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from coproduce.api.auth import scoped, token_of
from coproduce.api.etags import check_if_match, etag
from coproduce.api.paging import DEFAULT_LIMIT, MAX_LIMIT, page
from coproduce.api.problems import ApiProblem
from coproduce.api.schemas import responses
from coproduce.people.importing.columns import COLUMN_NAMES
from coproduce.people.importing.reading import ImportFileError
from coproduce.people.importing.results import ImportResult
from coproduce.people.importing.service import import_records
from coproduce.people.models import Person

router = Router()


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
    contact_consent: bool
    involvement: str
    involved_since: dt.date | None
    processing_restricted: bool
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
    if filters.updated_since is not None:
        if filters.updated_since.tzinfo is None:
            raise ApiProblem(
                400, "updated_since needs a time zone, e.g. 2026-01-31T09:00:00Z.", slug="no-zone"
            )
        queryset = queryset.filter(updated_at__gte=filters.updated_since)
    if filters.external_ref:
        queryset = queryset.filter(external_ref=filters.external_ref)
    rows, next_cursor = page(
        queryset, cursor=filters.cursor, limit=filters.limit, fields=("updated_at", "id")
    )
    return {"items": rows, "next_cursor": next_cursor}


@router.get(
    "/{int:person_id}",
    response=responses({200: PersonOut}, 404),
    auth=scoped("people:read"),
    summary="One person; the ETag header is the version to send back in If-Match",
)
def get_person(request: HttpRequest, person_id: int, response: HttpResponse) -> Person:
    person = get_object_or_404(people(), pk=person_id)
    response["ETag"] = etag(person)
    return person


# --- Writing: the importer's rules, through the importer's own walk -----------------------

MAX_BULK = 1000
Cell = str | bool | int | list[str] | None


class PersonIn(Schema):
    """A person as the housing system sends them. The fields are the import file's columns
    (docs/import-people.md), with the same checks and messages. A field left out is not
    touched... except that every item of one call must have the same fields, and a field sent
    empty (or null) is emptied, as a blank cell is in a file."""

    model_config = {"extra": "forbid"}

    external_ref: str | None = Field(None, description="The housing system's reference")
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    area: str | None = None
    scheme: str | None = None
    tenure: str | None = None
    date_of_birth: str | None = Field(None, description="YYYY-MM-DD")
    preferred_channels: list[str] | str | None = None
    availability: list[str] | str | None = None
    accessibility_needs: str | None = None
    language_needs: str | None = None
    caring_responsibilities: str | None = None
    digital_access: str | None = None
    reward_preference: str | None = None
    contact_consent: bool | str | None = None


class BulkIn(Schema):
    people: list[PersonIn] = Field(..., min_length=1, max_length=MAX_BULK)


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int
    ids: dict[str, int] = Field(description="external_ref -> coproduce id, for every person sent")


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _rows(items: list[PersonIn]) -> tuple[list[str], list[list[str]]]:
    header = [name for name in COLUMN_NAMES if name in items[0].model_fields_set]
    wanted = set(header)
    errors = [
        {
            "loc": ["body", "people", index],
            "msg": "Every person in one call must have the same fields as the first "
            f"({', '.join(header)}).",
        }
        for index, item in enumerate(items)
        if set(item.model_fields_set) != wanted
    ]
    if errors:
        raise ApiProblem(
            422, "Some people have different fields; nothing was changed.", errors=errors
        )
    rows = [[_cell(getattr(item, name)) for name in header] for item in items]
    return header, rows


def _refuse_untouchable(refs: list[str]) -> None:
    """An erased person stays erased, and a restricted record is used for nothing."""
    held = dict(
        Person.objects.filter(external_ref__in=refs)
        .filter(Q(erased_at__isnull=False) | Q(processing_restricted=True))
        .values_list("external_ref", "erased_at")
    )
    if not held:
        return
    errors = [
        {
            "loc": ["body", "people", index],
            "msg": f"{ref}: this person's record was erased and cannot be filled in again"
            if held[ref] is not None
            else f"{ref}: processing of this person's record is restricted (a data-protection "
            "request), so it cannot be changed",
        }
        for index, ref in enumerate(refs)
        if ref in held
    ]
    raise ApiProblem(
        409,
        "Some of these people cannot be changed; nothing was changed.",
        slug="record-protected",
        errors=errors,
    )


def _upsert(request: HttpRequest, items: list[PersonIn], how: str) -> ImportResult:
    header, rows = _rows(items)
    if "external_ref" in header:
        _refuse_untouchable([row[header.index("external_ref")] for row in rows])
    token = token_of(request)
    try:
        result = import_records(
            header,
            rows,
            name=f"the API (token {token.prefix})",
            actor=token.owner,
            request=request,
            how=how,
        )
    except ImportFileError as error:
        status = 409 if "someone else" in str(error) else 422
        raise ApiProblem(status, str(error).capitalize() + ".", slug="not-imported") from None
    if result.rejections:
        raise ApiProblem(
            422,
            f"{len(result.rejections)} of {len(rows)} people could not be saved, so nothing was "
            "changed.",
            slug="invalid",
            errors=[
                {"loc": ["body", "people", r.line - 1], "msg": r.reason} for r in result.rejections
            ],
        )
    return result


@router.post(
    "/bulk",
    response=responses({200: BulkOut}, 409, 413),
    auth=scoped("people:write"),
    summary=f"Create or update up to {MAX_BULK} people by external_ref, all or nothing",
)
def bulk_upsert(request: HttpRequest, body: BulkIn) -> dict[str, object]:
    result = _upsert(request, body.people, " (bulk)")
    refs = [item.external_ref for item in body.people if item.external_ref]
    ids = dict(Person.objects.filter(external_ref__in=refs).values_list("external_ref", "pk"))
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "ids": ids,
    }


@router.put(
    "/by-ref/{external_ref}",
    response=responses({200: PersonOut, 201: PersonOut}, 409, 412),
    auth=scoped("people:write"),
    summary="Create or update one person by external_ref (If-Match honoured when sent)",
)
def upsert_one(
    request: HttpRequest, external_ref: str, body: PersonIn, response: HttpResponse
) -> Status:
    if body.external_ref not in (None, external_ref):
        raise ApiProblem(
            422,
            "external_ref in the body differs from the one in the address.",
            errors=[{"loc": ["body", "external_ref"], "msg": "must match the address"}],
        )
    item = body.model_copy(update={"external_ref": external_ref})
    item.model_fields_set.add("external_ref")
    with transaction.atomic():
        existing = Person.objects.select_for_update().filter(external_ref=external_ref).first()
        if existing is not None:
            check_if_match(request, existing, required=False)
        elif request.headers.get("If-Match", "").strip() not in ("", "*"):
            raise ApiProblem(412, "There is no such person yet to match.", slug="changed")
        _upsert(request, [item], "")
    person = get_object_or_404(people(), external_ref=external_ref)
    response["ETag"] = etag(person)
    return Status(200 if existing is not None else 201, person)
