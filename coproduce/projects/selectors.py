from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.messaging.models import Message
from coproduce.messaging.models import Status as MessageStatus
from coproduce.projects import ladder
from coproduce.projects.models import Project, RequestStatus, SupportRequest

if TYPE_CHECKING:
    from coproduce.accounts.models import User


def projects_for_user(user: User) -> QuerySet[Project]:
    projects = (
        Project.objects.select_related("owner")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("title", "id")
    )
    if roles.can_see_all_projects(user):
        return projects
    if roles.is_tenant(user):
        return projects.filter(members__person__user=user).distinct()
    if roles.can_request_support(user):
        return projects.filter(
            Q(support_requests__requested_by=user) | Q(staff__user=user)
        ).distinct()
    return projects.none()


def project_ladder(project: Project) -> ladder.LadderResult:
    first_joined = project.members.aggregate(first=Min("joined_on"))["first"]
    facts = [
        ladder.DecisionFacts(
            decided_on=d.decided_on,
            decided_by=d.decided_by,
            views_recorded=bool(d.tenant_views.strip()),
            feedback_given=d.feedback_given,
        )
        for d in project.decisions.all()
    ]
    return ladder.measure(first_tenant_joined=first_joined, decisions=facts)


def support_requests_for_user(user: User) -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.select_related("requested_by", "project")
    if roles.can_triage_support(user):
        return requests
    return requests.filter(requested_by=user)


def support_demand_by_month(months: int = 12) -> list[dict[str, Any]]:
    """Requests received per month for the last `months` months, oldest first, gaps as 0."""
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    tz = timezone.get_current_timezone()
    rows = (
        SupportRequest.objects.filter(
            created_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        )
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
        for row in rows
    }
    result = []
    month = start
    peak = max(counts.values(), default=0)
    while month <= today:
        n = counts.get(month, 0)
        result.append({"month": month, "count": n, "percent": round(100 * n / peak) if peak else 0})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def waiting_support_requests() -> int:
    return SupportRequest.objects.filter(status=RequestStatus.NEW).count()


def decisions_told(project: Project) -> dict[int, dict[str, Any]]:
    """For each decision of the project whose "you said, we did" went to its members: how many
    it reached and when it first went ({decision pk: {"reached": n, "on": datetime}})."""
    abouts = [f"projects.decision:{pk}" for pk in project.decisions.values_list("pk", flat=True)]
    rows = (
        Message.objects.filter(kind="you_said_we_did", fallback_of__isnull=True, about__in=abouts)
        .values("about")
        .annotate(
            reached=Count("pk", filter=~Q(status=MessageStatus.NOT_SENT)), on=Min("created_at")
        )
    )
    return {
        int(row["about"].partition(":")[2]): {"reached": row["reached"], "on": row["on"]}
        for row in rows
    }
