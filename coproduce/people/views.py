from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core import ratelimit
from coproduce.core.audit import client_ip
from coproduce.people import selectors, services
from coproduce.people.forms import (
    GetInvolvedForm,
    LoginCreateForm,
    PersonFilterForm,
    PersonForm,
    ProfileForm,
)
from coproduce.people.models import Interest, Person


def _get_person_for_staff(request: HttpRequest, pk: int, *, edit: bool = False) -> Person:
    allowed = roles.can_edit_people if edit else roles.can_list_people
    if not allowed(request.user):
        raise PermissionDenied
    return get_object_or_404(Person.objects.select_related("area", "user"), pk=pk)


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.select_related("area").filter(user_id=request.user.pk or 0).first()
    if person is None:
        raise PermissionDenied
    return person


@login_required
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_list_people(request.user):
        raise PermissionDenied
    form = PersonFilterForm(request.GET or None)
    people = selectors.person_search(form.cleaned_data if form.is_valid() else {})
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": roles.can_edit_people(request.user),
    }
    template = "people/person_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_staff(request, pk)
    services.person_view_record(person=person, actor=request.user, request=request)
    user = request.user
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "can_edit": roles.can_edit_people(user),
            "can_give_login": roles.can_give_logins(user) and person.user_id is None,
            "can_record_equality": roles.can_record_equality_for_others(user),
            "can_read_equality": roles.can_read_equality_records(user),
            "can_edit_contact_preferences": roles.can_edit_contact_preferences(user)
            and person.erased_at is None,
        },
    )


def _person_form_data(form: PersonForm) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


@login_required
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_edit_people(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                data=_person_form_data(form), actor=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{person.full_name} has been added.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_staff(request, pk, edit=True)
    form = PersonForm(request.POST or None, instance=person)
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                data=_person_form_data(form),
                actor=request.user,
                request=request,
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit as exc:
            # Show the other person's saved version; the user re-applies their change.
            form = PersonForm(instance=Person.objects.get(pk=person.pk))
            stale = str(exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The record has been updated.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "stale": stale}
    )


@require_POST
@login_required
def person_login_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_give_logins(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk)
    form = LoginCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter an email address for the login.")
    else:
        try:
            services.person_login_create(
                person=person, email=form.cleaned_data["email"], actor=request.user, request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{person.full_name} has a login now. We have emailed "
                "them a link to choose a password.",
            )
    return redirect("people:detail", pk=person.pk)


@login_required
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    return render(request, "people/my_profile.html", {"person": person})


@login_required
def my_profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(
            person=person, data=dict(form.cleaned_data), actor=request.user, request=request
        )
        messages.success(request, "Your details have been saved.")
        return redirect("people:my_profile")
    return render(request, "people/my_profile_edit.html", {"form": form})


GET_INVOLVED_BLOCKED = (
    "Sorry, we could not accept your form just now. This can happen if it is sent very quickly "
    "or many times. Please wait a few minutes and try again, or phone the involvement team."
)


def get_involved(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = GetInvolvedForm(initial={"started": GetInvolvedForm.new_start_token()})
        return render(request, "people/get_involved.html", {"form": form})
    ip = client_ip(request) or "unknown"
    attempts = ratelimit.hit("get-involved", ip, settings.GET_INVOLVED_RATE_WINDOW)
    form = GetInvolvedForm(request.POST)
    if attempts > settings.GET_INVOLVED_RATE_LIMIT:
        return _get_involved_blocked(request, status=429)
    seconds = form.seconds_taken()
    if form.data.get("website") or seconds is None or seconds < settings.GET_INVOLVED_MIN_SECONDS:
        return _get_involved_blocked(request, status=400)
    if form.is_valid():
        services.interest_register(data=form.cleaned_data, request=request)
        return redirect("people:get_involved_thanks")
    return render(request, "people/get_involved.html", {"form": form})


def _get_involved_blocked(request: HttpRequest, *, status: int) -> HttpResponse:
    # Keep what the person typed, with a fresh start time, so a real person loses nothing.
    data = request.POST.copy()
    data["started"] = GetInvolvedForm.new_start_token()
    data["website"] = ""
    return render(
        request,
        "people/get_involved.html",
        {"form": GetInvolvedForm(data), "blocked": GET_INVOLVED_BLOCKED, "skip_errors": True},
        status=status,
    )


def get_involved_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "people/get_involved_thanks.html")


@login_required
def interest_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_triage_interest(request.user):
        raise PermissionDenied
    page = Paginator(selectors.interest_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "people/interest_list.html", {"page": page})


@require_POST
@login_required
def interest_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_triage_interest(request.user):
        raise PermissionDenied
    interest = get_object_or_404(Interest, pk=pk)
    try:
        if request.POST.get("decision") == "confirm":
            person = services.interest_confirm(
                interest=interest, actor=request.user, request=request
            )
            messages.success(request, f"{person.full_name} is now in the involvement pool.")
        elif request.POST.get("decision") == "decline":
            services.interest_decline(interest=interest, actor=request.user, request=request)
            messages.success(request, f"The sign-up from {interest.name} was not taken forward.")
        else:
            messages.error(request, "Choose whether to confirm the sign-up or not.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:interest_list")
