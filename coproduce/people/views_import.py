"""The staff page for importing people: upload, check (in the background), preview, confirm.

The request only stores the file (core.uploads.job_create, under MEDIA_ROOT/uploads with a
random name) and queues a job; a background task reads it (people.tasks) while the page shows
its progress. Confirming queues a second job that imports the file all-or-nothing, checking
it again (the records may have changed meanwhile). The file is deleted when the work is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core import uploads
from coproduce.core.models import UploadJob
from coproduce.people import tasks
from coproduce.people.importing import SUPPORTED_SUFFIXES, template_csv

REJECTIONS_SHOWN = tasks.REJECTIONS_KEPT
EXPIRED = "That upload has expired. Please upload the file again."


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Upload a file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A CSV file saved as 'CSV UTF-8', or an Excel workbook (.xlsx), up to "
            f"{uploads.megabytes(uploads.max_upload_bytes())}. "
            "The first row must be the column names."
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(
                "The file must be a CSV file (.csv) or an Excel file (.xlsx)"
            )
        if upload.size > uploads.max_upload_bytes():
            raise forms.ValidationError(uploads.too_large_message())
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        if suffix == ".xlsx":
            # Only the archive's table of contents is read here; the sheet is read later.
            try:
                uploads.check_archive(upload.file, name=Path(upload.name).name)
            except uploads.ArchiveError as exc:
                if exc.damaged:
                    raise forms.ValidationError(
                        f"{Path(upload.name).name} is not an Excel spreadsheet (.xlsx); open it "
                        "in a spreadsheet program and save it as 'Excel Workbook (.xlsx)' or "
                        "'CSV UTF-8 (.csv)'"
                    ) from None
                raise forms.ValidationError(str(exc)) from None
            finally:
                upload.seek(0)
        return upload


def _form_page(request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
    return render(request, "people/import.html", {"form": form}, status=status)


def _preview(request: HttpRequest, job: UploadJob) -> HttpResponse:
    result = job.result
    rejected = result.get("rejected", 0)
    context = {
        "result": result,
        "token": job.token,
        "rejections": result.get("rejections", [])[:REJECTIONS_SHOWN],
        "more_rejections": max(0, rejected - REJECTIONS_SHOWN),
        "can_confirm": job.status == UploadJob.Status.READY and not rejected,
    }
    return render(request, "people/import_preview.html", context)


def _upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if uploads.add_refusal(request, form, "file") or not form.is_valid():
        return _form_page(request, form, status=400)
    job = uploads.job_create(kind=tasks.CHECK, upload=form.cleaned_data["file"], user=request.user)
    tasks.check_import.enqueue(job.pk)
    return redirect("people:import_job", token=job.token)


def _own_job(request: HttpRequest, token: str) -> UploadJob | None:
    return UploadJob.objects.filter(
        token=token, created_by_id=request.user.pk, kind__in=[tasks.CHECK, tasks.APPLY]
    ).first()


def _confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Only one confirm wins: the job moves from READY to QUEUED once.
    moved = UploadJob.objects.filter(
        token=token,
        created_by_id=request.user.pk,
        kind=tasks.CHECK,
        status=UploadJob.Status.READY,
    ).update(kind=tasks.APPLY, status=UploadJob.Status.QUEUED, progress=0, message="")
    job = _own_job(request, token)
    if job is None or (not moved and job.kind != tasks.APPLY):
        messages.error(request, EXPIRED)
        return redirect("people:import")
    if moved:  # a second click on Confirm just shows the import under way
        tasks.apply_import.enqueue(job.pk)
    return redirect("people:import_job", token=token)


def _cancel(request: HttpRequest, token: str) -> HttpResponse:
    job = _own_job(request, token)
    if job is not None and job.kind == tasks.CHECK and not job.working:
        job.discard_file()
        job.delete()
    messages.info(request, "The import was cancelled. Nothing was saved.")
    return redirect("people:import")


def _post(request: AuthenticatedHttpRequest, token: str = "") -> HttpResponse:
    action = request.POST.get("action", "upload")
    token = request.POST.get("token", "") or token
    if action == "confirm":
        return _confirm(request, token)
    if action == "cancel":
        return _cancel(request, token)
    return _upload(request)


def _check_role(request: HttpRequest) -> None:
    if not roles.can_import_people(request.user):
        raise PermissionDenied


@login_required
@uploads.limit_uploads()
def import_people(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_role(request)
    if request.method == "POST":
        return _post(request)
    if request.GET.get("template"):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
        return response
    return _form_page(request, ImportUploadForm())


@login_required
@uploads.limit_uploads()
def import_job(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    _check_role(request)
    if request.method == "POST":
        return _post(request, token)
    job = _own_job(request, token)
    if job is None:
        raise Http404
    if request.GET.get("part") == "progress" and getattr(request, "htmx", False):
        if not job.working:
            return HttpResponseClientRefresh()
        return render(request, "core/_job_progress.html", {"job": job})
    if job.working:
        return render(request, "people/import_job.html", {"job": job})
    if job.status == UploadJob.Status.FAILED:
        form = ImportUploadForm(data={}, files={})
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error(None, job.error)
        return _form_page(request, form)
    if job.kind == tasks.APPLY and job.result.get("saved"):
        return render(request, "people/import_done.html", {"done": job.result})
    return _preview(request, job)
