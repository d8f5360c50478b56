"""Whose voice is heard, as numbers: ``voice:read``.

The same figures as the "Whose voice" page with small numbers hidden (coproduce.core.suppression:
a count under the threshold, and any other count that would let it be worked out, is null). No
person's equality answers ever leave coproduce: only these suppressed totals.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from coproduce.api.auth import scoped
from coproduce.api.paging import MAX_ID
from coproduce.api.problems import ApiProblem
from coproduce.api.schemas import responses
from coproduce.diversity.selectors import Row, Table, dashboard
from coproduce.projects.models import Project

router = Router()
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class GroupOut(Schema):
    code: str
    label: str
    population: int | None = Field(..., description="null: hidden (a small number).")
    participants: int | None = Field(..., description="null: hidden (a small number).")


class CharacteristicOut(Schema):
    key: str
    name: str
    population_total: int | None
    participant_total: int | None
    similarity: float | None = Field(
        ..., description="0–1: how alike the participants are to the people served."
    )
    groups: list[GroupOut]

    @staticmethod
    def resolve_groups(obj: Table) -> list[Row]:
        return obj.rows


class VoiceOut(Schema):
    scope: str
    participants: int | None
    population: int | None
    characteristics: list[CharacteristicOut]

    @staticmethod
    def resolve_characteristics(obj: object) -> list[Table]:
        return obj.tables  # type: ignore[attr-defined, no-any-return]


class VoiceFilter(Schema):
    project_id: int | None = Field(
        None, ge=0, le=MAX_ID, description="Only this project's sessions."
    )
    start: dt.date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="Sessions on or after this day."
    )
    end: dt.date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="Sessions on or before this day."
    )


@router.get(
    "/",
    response=responses({200: VoiceOut}, 404),
    auth=scoped("voice:read"),
    summary="Who took part against the people served, with small numbers hidden",
)
def voice(request: HttpRequest, filters: Query[VoiceFilter]) -> object:
    if filters.start and filters.end and filters.start > filters.end:
        raise ApiProblem(400, "start must be on or before end.", slug="bad-range")
    project = (
        get_object_or_404(Project, pk=filters.project_id)
        if filters.project_id is not None
        else None
    )
    return dashboard(raw=False, project=project, start=filters.start, end=filters.end)
