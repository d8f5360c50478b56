"""How a person wants to hear from us: their own page, and staff on their behalf."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.audit import audit_record
from coproduce.core.forms import submit
from coproduce.messaging import channels, services
from coproduce.messaging.forms_staff import CHOICE_NAMES, PreferencesForm
from coproduce.messaging.models import ContactPreference
from coproduce.people.models import Person


def _initial(person: Person, preference: ContactPreference | None) -> dict[str, object]:
    order = channels.channel_order(person, preference) if preference else []
    initial: dict[str, object] = dict(zip(CHOICE_NAMES, order, strict=False))
    if preference is not None:
        initial |= {
            "large_print": preference.large_print,
            "supporter_name": preference.supporter_name,
            "supporter_email": preference.supporter_email,
        }
    return initial


def _page(
    request: AuthenticatedHttpRequest, person: Person, *, own: bool, done_url: str
) -> HttpResponse:
    preference = channels.preference_of(person)
    form = PreferencesForm(
        request.POST or None,
        initial=_initial(person, preference),
        person=person,
        preference=preference,
        own=own,
    )
    if request.method == "POST" and submit(
        form,
        lambda data: services.save_preferences(
            person=person, data=data, actor=request.user, request=request
        ),
    ):
        flash.success(request, "The contact preferences have been saved.")
        return redirect(done_url)
    return render(
        request,
        "messaging/staff/preferences.html",
        {"form": form, "person": person, "own": own, "preference": preference},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def my_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = Person.objects.filter(user_id=request.user.pk, erased_at__isnull=True).first()
    if person is None or not roles.is_tenant(request.user):
        raise PermissionDenied
    return _page(request, person, own=True, done_url=reverse("people:my_profile"))


@login_required
def preferences(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_edit_contact_preferences(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    if request.method != "POST":
        audit_record(
            action="messages.preferences_viewed",
            actor=request.user,
            obj=person,
            summary="Viewed contact preferences",
            request=request,
        )
    return _page(request, person, own=False, done_url=reverse("people:detail", args=[person.pk]))
