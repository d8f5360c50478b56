"""Projects and their decisions ("you said, we did"), with ``sessions:read``.

A decision says what was decided, who decided, how tenants' views counted ("you said") and what
was fed back to them ("we did"): what a CRM or the landlord's website shows to tenants.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja import Path as PathEx

from coproduce.api.auth import scoped
from coproduce.api.paging import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, changed_page, page
from coproduce.api.schemas import responses
from coproduce.projects.models import Decision, Project, ProjectStatus

router = Router()
decisions_router = Router()
ProjectId = Annotated[int, PathEx(ge=0, le=MAX_ID)]
Status = Literal["planned", "active", "paused", "finished"]
assert set(get_args(Status)) == set(ProjectStatus.values), "Status must list every status"


class ProjectOut(Schema):
    id: int
    title: str
    purpose: str
    status: str
    started_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class ProjectsFilter(Schema):
    updated_since: dt.datetime | None = Field(
        None, description="Only projects changed at or after this time (ISO 8601 with zone)."
    )
    status: Status | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class DecisionOut(Schema):
    id: int
    project_id: int
    decided_on: dt.date
    summary: str = Field(..., description="What was decided.")
    decided_by: str = Field(..., description="tenants, together, staff or board.")
    you_said: str = Field(..., description="How tenants' views were taken into account.")
    we_did: str = Field(..., description="What was fed back to tenants.")
    fed_back_on: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_you_said(obj: Decision) -> str:
        return obj.tenant_views

    @staticmethod
    def resolve_we_did(obj: Decision) -> str:
        return obj.feedback

    @staticmethod
    def resolve_fed_back_on(obj: Decision) -> dt.date | None:
        return obj.feedback_on


class DecisionPage(Schema):
    items: list[DecisionOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class DecisionsFilter(Schema):
    project_id: int | None = Field(None, ge=0, le=MAX_ID)
    decided_since: dt.date | None = Field(None, description="Only decisions made on or after.")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/",
    response=responses({200: ProjectPage}),
    auth=scoped("sessions:read"),
    summary="List projects, oldest change first",
)
def list_projects(request: HttpRequest, filters: Query[ProjectsFilter]) -> dict[str, object]:
    queryset: QuerySet[Project] = Project.objects.all()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return changed_page(
        queryset, updated_since=filters.updated_since, cursor=filters.cursor, limit=filters.limit
    )


@router.get(
    "/{int:project_id}",
    response=responses({200: ProjectOut}, 404),
    auth=scoped("sessions:read"),
    summary="One project",
)
def get_project(request: HttpRequest, project_id: ProjectId) -> Project:
    return get_object_or_404(Project, pk=project_id)


@decisions_router.get(
    "/",
    response=responses({200: DecisionPage}),
    auth=scoped("sessions:read"),
    summary='Decisions and how tenants\' views counted ("you said, we did"), oldest first',
)
def list_decisions(request: HttpRequest, filters: Query[DecisionsFilter]) -> dict[str, object]:
    queryset: QuerySet[Decision] = Decision.objects.all()
    if filters.project_id is not None:
        queryset = queryset.filter(project_id=filters.project_id)
    if filters.decided_since is not None:
        queryset = queryset.filter(decided_on__gte=filters.decided_since)
    rows, next_cursor = page(queryset, cursor=filters.cursor, limit=filters.limit)
    return {"items": rows, "next_cursor": next_cursor}
