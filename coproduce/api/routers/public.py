"""What is already public, for the landlord's website: ``public:read``.

Only what coproduce already shows to anyone: published customer promises, health checks once
the tenant evaluators have presented them to the board (their judgements, recommendations, the
board's answers and what changed), and published Tenant Satisfaction Measures. Evidence, quotes
and evaluators' names are never here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from coproduce.api.auth import scoped
from coproduce.api.schemas import responses
from coproduce.evaluation.models import RATINGS, Action, HealthCheck, Judgement, Recommendation
from coproduce.evaluation.models import Stage as CheckStage
from coproduce.promises.models import Promise, PromiseSet, SetStatus
from coproduce.tsm import publication
from coproduce.tsm import selectors as tsm_selectors
from coproduce.tsm.models import TsmYear

router = Router()
PRESENTED = (CheckStage.PRESENTED, CheckStage.FOLLOW_UP)


class PromiseOut(Schema):
    id: int
    position: int
    title: str
    wording: str
    in_practice: str
    version: int


class PromiseSetOut(Schema):
    id: int
    title: str
    published_on: dt.date | None
    promises: list[PromiseOut]

    @staticmethod
    def resolve_promises(obj: PromiseSet) -> list[Promise]:
        return list(obj.live)  # type: ignore[attr-defined]


class JudgementOut(Schema):
    promise_id: int
    promise_title: str
    rating: str = Field(..., description="red/amber/green, or 1 to 5, as the scale says.")
    rating_label: str
    in_our_words: str
    strengths: str
    what_must_improve: str

    @staticmethod
    def resolve_promise_title(obj: Judgement) -> str:
        return obj.promise.title

    @staticmethod
    def resolve_rating_label(obj: Judgement) -> str:
        labels = dict(RATINGS[obj.health_check.scale])
        return labels.get(obj.rating, obj.rating)

    @staticmethod
    def resolve_in_our_words(obj: Judgement) -> str:
        return obj.narrative

    @staticmethod
    def resolve_what_must_improve(obj: Judgement) -> str:
        return obj.improve


class ActionOut(Schema):
    description: str
    owner: str
    due_on: dt.date | None
    status: str


class RecommendationOut(Schema):
    text: str
    promise_id: int | None
    board_agreed: str = Field(..., description='yes, partly, no, or "" before the board answers.')
    board_response: str
    responded_on: dt.date | None
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj: Recommendation) -> list[Action]:
        return list(obj.actions.all())


class HealthCheckOut(Schema):
    id: int
    year: int = Field(..., description="The year it starts, e.g. 2026 for 2026-27.")
    title: str
    promise_set_id: int
    stage: str = Field(..., description="presented or follow_up.")
    scale: str
    board_date: dt.date | None
    judgements: list[JudgementOut]
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_judgements(obj: HealthCheck) -> list[Judgement]:
        return list(obj.judgements.all())

    @staticmethod
    def resolve_recommendations(obj: HealthCheck) -> list[Recommendation]:
        return list(obj.recommendations.all())


class TsmFigureOut(Schema):
    measure: str = Field(..., description="TP01…TP12, BS01…, or HOMES / SAMPLE.")
    part: str
    tenure_group: str = Field(..., description='LCRA, LCHO, or "" for management measures.')
    result: str
    unit: str
    numerator: str
    denominator: str
    respondents: str


class TsmYearOut(Schema):
    label: str = Field(..., description="The reporting year, e.g. 2025/26.")
    year_end: dt.date
    published_at: dt.datetime
    page: str = Field(..., description="The public page with the methodology statement.")
    figures: list[TsmFigureOut] = Field(
        ..., description="As in the submission CSV: one row per measure and tenure group."
    )


@router.get(
    "/promises",
    response=responses({200: list[PromiseSetOut]}),
    auth=scoped("public:read"),
    summary="The published customer promises, newest first",
)
def published_promises(request: HttpRequest) -> QuerySet[PromiseSet]:
    live = Promise.objects.filter(dropped=False).order_by("position", "id")
    return (
        PromiseSet.objects.filter(status=SetStatus.PUBLISHED)
        .prefetch_related(Prefetch("promises", queryset=live, to_attr="live"))
        .order_by("-published_on", "-id")
    )


@router.get(
    "/health-checks",
    response=responses({200: list[HealthCheckOut]}),
    auth=scoped("public:read"),
    summary="Health checks presented to the board: judgements, recommendations, what changed",
)
def presented_health_checks(request: HttpRequest) -> QuerySet[HealthCheck]:
    return (
        HealthCheck.objects.filter(stage__in=PRESENTED)
        .prefetch_related(
            Prefetch("judgements", Judgement.objects.select_related("promise", "health_check")),
            Prefetch("recommendations", Recommendation.objects.prefetch_related("actions")),
        )
        .order_by("-year", "-id")
    )


@router.get(
    "/tsm",
    response=responses({200: list[TsmYearOut]}),
    auth=scoped("public:read"),
    summary="Published Tenant Satisfaction Measures, newest year first",
)
def published_tsm(request: HttpRequest) -> list[dict[str, object]]:
    years: list[TsmYear] = list(tsm_selectors.published_years())
    out: list[dict[str, object]] = []
    for year in years:
        header, *rows = publication.submission_rows(year)
        out.append(
            {
                "label": year.label,
                "year_end": year.year_end,
                "published_at": year.published_at,
                "page": reverse("tsm:publication", kwargs={"slug": year.slug}),
                "figures": [dict(zip(header[1:], row[1:], strict=True)) for row in rows],
            }
        )
    return out
