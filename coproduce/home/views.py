from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.forms import AuditSearchForm
from coproduce.core.selectors import audit_search
from coproduce.home import selectors


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if roles.is_tenant(request.user):
        context = selectors.tenant_home(user=request.user)
        return render(request, "home/home_tenant.html", context)
    context = selectors.staff_home(user=request.user)
    return render(request, "home/home_staff.html", context)


@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything a tenant has taken part in, newest first, a page at a time."""
    if not roles.is_tenant(request.user):
        raise PermissionDenied
    person = selectors.own_person(request.user)
    if person is None:
        raise Http404("No person record is linked to this login.")
    history = selectors.tenant_history(person)
    page = Paginator(history.items, selectors.HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "home/history.html", {"history": history, "page": page})


@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_read_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    entries = audit_search(form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "home/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
