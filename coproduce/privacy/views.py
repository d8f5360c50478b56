"""The register of data-protection requests (the data-protection lead only), and a person's
own requests from their profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts import roles
from coproduce.accounts.reauth import reauth_required
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.people.models import Person
from coproduce.privacy import selectors, services
from coproduce.privacy.forms import (
    AskForm,
    CloseRequestForm,
    ExtendRequestForm,
    OpenRequestForm,
    PersonFindForm,
)
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus


def _require_lead(request: HttpRequest) -> None:
    if not roles.can_manage_data_requests(request.user):
        raise PermissionDenied


def _get_request_for_lead(request: HttpRequest, pk: int) -> DataRequest:
    _require_lead(request)
    return get_object_or_404(DataRequest.objects.select_related("person"), pk=pk)


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else "That could not be saved."


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_lead(request)
    show = request.GET.get("show", "open")
    if show not in ("open", "closed", "all"):
        show = "open"
    rows = selectors.register_rows(selectors.register(show=show))
    return render(
        request,
        "privacy/register.html",
        {
            "rows": rows,
            "show": show,
            "due_soon_count": sum(1 for r in rows if r["due_soon"]),
            "remind_days": selectors.REMIND_DAYS_BEFORE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the person (by reference, name or email), then open a request for them."""
    _require_lead(request)
    context: dict[str, object] = {}
    if request.method == "POST":
        form = OpenRequestForm(request.POST)
        person = None
        if form.is_valid():
            person = Person.objects.filter(
                pk=form.cleaned_data["person"], erased_at__isnull=True
            ).first()
            if person is None:
                form.add_error(None, "We could not find that person. Search for them again.")
            else:
                try:
                    data_request = services.data_request_open(
                        person=person,
                        kind=form.cleaned_data["kind"],
                        received_on=form.cleaned_data["received_on"],
                        notes=form.cleaned_data["notes"],
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    form.add_error(None, _first_error(exc))
                else:
                    messages.success(
                        request,
                        f"Request opened. It must be answered by {data_request.due_on:%-d %B %Y}.",
                    )
                    return redirect("privacy:detail", pk=data_request.pk)
        chosen = person or Person.objects.filter(pk=form.data.get("person") or 0).first()
        return render(
            request,
            "privacy/open.html",
            {"form": form, "person": chosen, "find": PersonFindForm()},
            status=400,
        )
    find = PersonFindForm(request.GET if "q" in request.GET else None)
    if find.is_valid():
        people = selectors.person_find(find.cleaned_data["q"])
        context["people"] = people
        if not people:
            context["not_found"] = find.cleaned_data["q"]
    person_pk = request.GET.get("person", "")
    if person_pk.isdigit():
        person = Person.objects.filter(pk=int(person_pk), erased_at__isnull=True).first()
        if person is None:
            context["not_found"] = person_pk
        else:
            context["person"] = person
            context["form"] = OpenRequestForm(
                initial={"person": person.pk, "received_on": selectors.today()}
            )
    context["find"] = find
    return render(request, "privacy/open.html", context)


@login_required
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_request = _get_request_for_lead(request, pk)
    return render(request, "privacy/detail.html", _detail_context(data_request))


def _detail_context(data_request: DataRequest, **forms: object) -> dict[str, object]:
    return {
        "data_request": data_request,
        "deadline": selectors.deadline_words(data_request),
        "due_soon": selectors.is_due_soon(data_request),
        "is_open": data_request.status == RequestStatus.OPEN,
        "is_access": data_request.kind == RequestKind.ACCESS,
        "close_form": forms.get("close_form") or CloseRequestForm(),
        "extend_form": forms.get("extend_form") or ExtendRequestForm(),
    }


@login_required
@require_POST
def request_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_request = _get_request_for_lead(request, pk)
    form = CloseRequestForm(request.POST)
    if form.is_valid():
        try:
            services.data_request_close(
                data_request=data_request,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, _first_error(exc))
        else:
            messages.success(request, "The request is closed.")
            return redirect("privacy:detail", pk=pk)
    return render(
        request, "privacy/detail.html", _detail_context(data_request, close_form=form), status=400
    )


@login_required
@require_POST
def request_extend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_request = _get_request_for_lead(request, pk)
    form = ExtendRequestForm(request.POST)
    if form.is_valid():
        try:
            updated = services.data_request_extend(
                data_request=data_request,
                months=form.cleaned_data["months"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, _first_error(exc))
        else:
            messages.success(
                request,
                f"The deadline is now {updated.due_on:%-d %B %Y}. Remember to tell the person why.",
            )
            return redirect("privacy:detail", pk=pk)
    return render(
        request, "privacy/detail.html", _detail_context(data_request, extend_form=form), status=400
    )


@login_required
@require_POST
def export_generate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_request = _get_request_for_lead(request, pk)
    try:
        services.data_request_export(data_request=data_request, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, "The copy of their data is ready to download.")
    return redirect("privacy:detail", pk=pk)


@login_required
@reauth_required
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    # Kept a view of its own so a re-authentication check can wrap just the download.
    data_request = _get_request_for_lead(request, pk)
    if not data_request.export_file:
        raise Http404("No copy has been made yet.")
    try:
        handle = data_request.export_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The copy could not be found; make it again.") from exc
    services.data_request_export_downloaded(
        data_request=data_request, actor=request.user, request=request
    )
    response = FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=f"data-request-{data_request.pk}.zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person asks, from their own profile, for a copy of their data or to be erased."""
    person = Person.objects.filter(user_id=request.user.pk or 0).first()
    if person is None or not roles.is_tenant(request.user):
        raise PermissionDenied
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what you are asking for.")
        return redirect("people:my_profile")
    try:
        data_request = services.person_ask(
            person=person, kind=form.cleaned_data["kind"], actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request,
            f"Thank you. We have your request and will reply by {data_request.due_on:%-d %B %Y}.",
        )
    return redirect("people:my_profile")
