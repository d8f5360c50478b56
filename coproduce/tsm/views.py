"""Staff pages to prepare a year's Tenant Satisfaction Measures, and the public pages that
publish them (HTML, PDF, and the CSV laid out for the regulator's submission)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core import uploads
from coproduce.core.forms import show_refusal, submit
from coproduce.tsm import management, publication, selectors, services
from coproduce.tsm.forms import FiguresForm, FileForm, YearCreateForm, YearForm, figures_initial
from coproduce.tsm.models import SurveyUpload, TsmYear


def _get_year(request: AuthenticatedHttpRequest, pk: int) -> TsmYear:
    if not roles.can_see_tsm_drafts(request.user):
        raise PermissionDenied
    return get_object_or_404(TsmYear, pk=pk)


def _get_year_to_manage(request: AuthenticatedHttpRequest, pk: int) -> TsmYear:
    if not roles.can_manage_tsm(request.user):
        raise PermissionDenied
    return get_object_or_404(TsmYear, pk=pk)


@login_required
def year_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_see_tsm_drafts(request.user):
        raise PermissionDenied
    form = None
    if roles.can_manage_tsm(request.user):
        form = YearCreateForm(request.POST or None)
        if request.method == "POST" and submit(
            form,
            lambda data: services.year_create(
                label=data["label"], actor=request.user, request=request
            ),
            field="label",
        ):
            year = TsmYear.objects.get(label=form.cleaned_data["label"].strip())
            return redirect("tsm:year", pk=year.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "tsm/year_list.html", {"years": TsmYear.objects.all(), "form": form})


def _year_page(request: AuthenticatedHttpRequest, year: TsmYear, **forms: Any) -> HttpResponse:
    manage = roles.can_manage_tsm(request.user)
    context = publication.context(year) | {
        "uploads": year.uploads.all(),
        "missing": selectors.missing_for_publication(year),
        "manage": manage and year.published_at is None,
        "can_unpublish": manage and year.published_at is not None,
        "survey_form": forms.get("survey_form") or FileForm(prefix="survey"),
        "weights_form": forms.get("weights_form") or FileForm(prefix="weights"),
        "has_weights": year.weight_targets.exists(),
    }
    return render(request, "tsm/year.html", context, status=400 if forms else 200)


@login_required
def year_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _year_page(request, _get_year(request, pk))


@login_required
def year_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    initial = {"version": year.version}
    form = YearForm(request.POST or None, instance=year, initial=initial)
    if request.method == "POST" and submit(
        form,
        lambda data: services.year_update(
            year=year, data=data, version=data["version"], actor=request.user, request=request
        ),
    ):
        messages.success(request, "Saved.")
        return redirect("tsm:year", pk=year.pk)
    return render(request, "tsm/year_edit.html", {"year": year, "form": form})


def _file_post(
    request: AuthenticatedHttpRequest, pk: int, prefix: str, call: Any, done: str
) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    form = FileForm(request.POST, request.FILES, prefix=prefix)
    if not uploads.add_refusal(request, form, "file") and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            call(year, upload.read(), upload.name.rsplit("/", 1)[-1])
        except ValidationError as exc:
            if year.published_at is not None:  # the page shows no upload form then
                messages.error(request, " ".join(exc.messages))
                return redirect("tsm:year", pk=year.pk)
            show_refusal(form, exc, field="file")
        else:
            messages.success(request, done)
            return redirect("tsm:year", pk=year.pk)
    return _year_page(request, year, **{f"{prefix}_form": form})


@require_POST
@login_required
@uploads.limit_uploads()
def survey_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def call(year: TsmYear, data: bytes, name: str) -> None:
        services.survey_import(
            year=year, data=data, filename=name, actor=request.user, request=request
        )

    return _file_post(request, pk, "survey", call, "The survey's answers were imported.")


@require_POST
@login_required
def survey_remove(request: AuthenticatedHttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    upload = get_object_or_404(SurveyUpload, pk=upload_pk, year=year)
    try:
        services.survey_remove(upload=upload, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The answers from {upload.filename} were removed.")
    return redirect("tsm:year", pk=year.pk)


@require_POST
@login_required
@uploads.limit_uploads()
def weights_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def call(year: TsmYear, data: bytes, name: str) -> None:
        services.weights_import(
            year=year, data=data, filename=name, actor=request.user, request=request
        )

    return _file_post(request, pk, "weights", call, "The weighting targets were saved.")


@require_POST
@login_required
def weights_clear(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    try:
        services.weights_clear(year=year, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The results are unweighted now.")
    return redirect("tsm:year", pk=year.pk)


@login_required
@uploads.limit_uploads()
def figures(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    lines = selectors.management_lines(year)
    # A file refused while it streamed in stops the form there: the Import button, sent after
    # the file, never arrives, so the refusal itself says this was an import.
    importing = "import" in request.POST or uploads.refusal(request) is not None
    form = FiguresForm(
        request.POST if "save" in request.POST else None,
        specs=management.MANAGEMENT,
        initial=figures_initial(lines),
    )
    file_form = FileForm(
        request.POST if importing else None,
        request.FILES if importing else None,
        prefix="figures",
    )
    if request.method == "POST":
        if importing:
            if not uploads.add_refusal(request, file_form, "file") and file_form.is_valid():
                upload = file_form.cleaned_data["file"]
                try:
                    count = services.figures_import(
                        year=year,
                        data=upload.read(),
                        filename=upload.name.rsplit("/", 1)[-1],
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    show_refusal(file_form, exc, field="file")
                else:
                    messages.success(request, f"{count} figures were imported.")
                    return redirect("tsm:year", pk=year.pk)
        elif submit(
            form,
            lambda data: services.figures_save(
                year=year, figures=form.figures(), actor=request.user, request=request
            ),
        ):
            messages.success(request, "The management figures were saved.")
            return redirect("tsm:year", pk=year.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tsm/figures.html",
        {"year": year, "form": form, "file_form": file_form},
        status=status,
    )


@require_POST
@login_required
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    try:
        services.year_publish(year=year, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tsm:year", pk=year.pk)
    messages.success(request, f"The {year.label} results are on the public page.")
    return redirect("tsm:publication", slug=year.slug)


@require_POST
@login_required
def unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    year = _get_year_to_manage(request, pk)
    services.year_unpublish(year=year, actor=request.user, request=request)
    messages.success(request, f"The {year.label} results are off the public page.")
    return redirect("tsm:year", pk=year.pk)


# Public pages ---------------------------------------------------------------------------


def _published_year(request: HttpRequest, slug: str) -> TsmYear:
    """A published year for anyone; a draft only for the staff who prepare and read drafts."""
    year = TsmYear.objects.filter(label=slug.replace("-", "/")).first()
    if year is None:
        raise Http404
    if year.published_at is None and not roles.can_see_tsm_drafts(request.user):
        raise Http404
    return year


def published_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tsm/published_list.html", {"years": selectors.published_years()})


def publication_page(request: HttpRequest, slug: str) -> HttpResponse:
    year = _published_year(request, slug)
    return render(request, "tsm/publication_page.html", publication.context(year))


def publication_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    year = _published_year(request, slug)
    pdf = publication.render_pdf(year)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tenant-satisfaction-{year.slug}.pdf"'
    return response


def submission_csv(request: HttpRequest, slug: str) -> HttpResponse:
    year = _published_year(request, slug)
    response = HttpResponse(
        publication.submission_csv(year), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="tsm-submission-{year.slug}.csv"'
    return response
