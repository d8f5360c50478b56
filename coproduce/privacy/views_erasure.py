"""Pages for the data-protection lead: review and carry out an erasure; restrict a record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.people.models import Person
from coproduce.privacy.erasure import erasure_plan, person_erase
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus
from coproduce.privacy.restriction import person_restrict, person_unrestrict


def _get_erasure_request(request: HttpRequest, pk: int) -> DataRequest:
    if not roles.can_manage_data_requests(request.user):
        raise PermissionDenied
    return get_object_or_404(
        DataRequest.objects.select_related("person", "completed_by"),
        pk=pk,
        kind=RequestKind.ERASURE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def erasure_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_request = _get_erasure_request(request, pk)
    if request.method == "POST" and data_request.status == RequestStatus.OPEN:
        try:
            person_erase(request=data_request, actor=request.user, request_http=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The person has been erased. What was done is below.")
        return redirect("privacy:erasure_review", pk=data_request.pk)
    plan = erasure_plan(person=data_request.person) if data_request.status == "open" else None
    return render(
        request,
        "privacy/erasure_review.html",
        {"data_request": data_request, "plan": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_manage_data_requests(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "restrict":
                person_restrict(person=person, actor=request.user, request=request)
                messages.success(request, "Use of this record is now restricted.")
            elif action == "lift":
                person_unrestrict(person=person, actor=request.user, request=request)
                messages.success(request, "The restriction has been lifted.")
            else:
                messages.error(request, "Choose to restrict the record or lift the restriction.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("privacy:restriction", pk=person.pk)
    return render(request, "privacy/erasure_restriction.html", {"person": person})
