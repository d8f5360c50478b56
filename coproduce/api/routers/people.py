"""People: the records the housing system keeps in step with its own (``external_ref``).

Reading needs ``people:read``. Equality answers are never here: they live in the diversity
app and leave coproduce only as suppressed aggregates.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from coproduce.api.auth import scoped
from coproduce.api.etags import etag
from coproduce.api.paging import DEFAULT_LIMIT, MAX_LIMIT, page
from coproduce.api.schemas import responses
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
            from coproduce.api.problems import ApiProblem

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
