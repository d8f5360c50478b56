from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from coproduce.accounts import roles
from coproduce.core import selectors
from coproduce.core.forms import AuditSearchForm


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "down"
        return JsonResponse(
            {"status": "error", "database": "unavailable", "reason": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if roles.is_tenant(request.user):
        context = selectors.tenant_home(user=request.user)
        return render(request, "core/home_tenant.html", context)
    context = selectors.staff_home(user=request.user)
    return render(request, "core/home_staff.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not roles.can_read_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    entries = selectors.audit_search(form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
