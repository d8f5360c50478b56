"""Staff pages on messages: the outbox (every message, and what would have gone out when no
email server or Notify key is set up), one message as sent, who could not be reached, and the
phone list admin support works through."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.audit import audit_record
from coproduce.messaging import selectors_staff as selectors
from coproduce.messaging import services
from coproduce.messaging.forms_staff import OutboxFilterForm, PhoneOutcomeForm
from coproduce.messaging.models import Message, Status

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _may_see(request: AuthenticatedHttpRequest) -> None:
    if not roles.can_see_messages(request.user):
        raise PermissionDenied


@login_required
def outbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_see(request)
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.outbox(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/staff/outbox.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_ring": roles.can_ring_people(request.user),
        },
    )


@login_required
def message_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _may_see(request)
    message = get_object_or_404(Message.objects.select_related("person", "sent_by"), pk=pk)
    audit_record(
        action="messages.viewed",
        actor=request.user,
        obj=message.person,
        summary=f"Viewed message {message.pk} ({message.get_kind_display()})",
        request=request,
    )
    return render(
        request,
        "messaging/staff/message.html",
        {
            "message": message,
            "chain": selectors.chain(message),
            "can_see_person": roles.can_list_people(request.user),
        },
    )


@login_required
def unreached(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_see(request)
    page = Paginator(selectors.unreached(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/staff/unreached.html",
        {"page": page, "query": "", "can_see_person": roles.can_list_people(request.user)},
    )


def _phone_list_page(
    request: AuthenticatedHttpRequest, bound: PhoneOutcomeForm | None = None, status: int = 200
) -> HttpResponse:
    page = Paginator(selectors.phone_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for message in page.object_list:
        form = bound if bound is not None and bound.prefix == f"m{message.pk}" else None
        rows.append((message, form or PhoneOutcomeForm(message=message)))
    return render(
        request,
        "messaging/staff/phone_list.html",
        {"page": page, "rows": rows, "query": "", "form": bound},
        status=status,
    )


@login_required
def phone_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_ring_people(request.user):
        raise PermissionDenied
    return _phone_list_page(request)


@require_POST
@login_required
def phone_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_ring_people(request.user):
        raise PermissionDenied
    message = get_object_or_404(Message.objects.select_related("person"), pk=pk)
    if message.status != Status.TO_PHONE:
        flash.info(request, "This call has already been recorded.")
        return redirect("messaging:phone_list")
    form = PhoneOutcomeForm(request.POST, message=message)
    if not form.is_valid():
        return _phone_list_page(request, form, status=400)
    try:
        done = services.phone_outcome(
            message=message,
            outcome=form.cleaned_data["outcome"],
            answer=form.cleaned_data.get("answer") or None,
            actor=request.user,
        )
    except ValueError as exc:
        flash.info(request, str(exc))
        return redirect("messaging:phone_list")
    flash.success(request, f"{message.person.first_name} {message.person.last_name}: {done}")
    return redirect("messaging:phone_list")
