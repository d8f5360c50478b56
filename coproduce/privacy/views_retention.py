"""The retention page: the schedule in plain words, what would go today, and "Remove now"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.privacy import retention
from coproduce.privacy.retention_tasks import queued_run

FIRST_ROWS = 10


@login_required
def retention_schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_manage_data_requests(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        removed = retention.retention_apply(today=today, actor=request.user)
        total = sum(r.count for r in removed)
        if total:
            messages.success(
                request,
                f"{total} record{'s' if total != 1 else ''} removed. Each is in the audit log.",
            )
        else:
            messages.success(request, "Nothing was due to be removed today.")
        return redirect("privacy:retention")
    plan = retention.retention_plan(today=today)
    totals = retention.totals_by_kind(plan)
    rules = [
        {
            **rule,
            "due": totals[rule["kind"]],
            "removals": [
                {
                    "object_type": r.object_type,
                    "what": r.what,
                    "count": r.count,
                    "first": r.ids[:FIRST_ROWS],
                    "more": max(r.count - FIRST_ROWS, 0),
                }
                for r in plan
                if r.kind == rule["kind"]
            ],
        }
        for rule in retention.schedule_in_words()
    ]
    return render(
        request,
        "privacy/retention.html",
        {
            "today": today,
            "rules": rules,
            "total": sum(totals.values()),
            "next_run": queued_run(),
        },
    )
