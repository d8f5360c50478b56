"""The staff page for importing people: upload, preview (nothing saved), confirm.

The uploaded file is kept between preview and confirm under MEDIA_ROOT/imports, named by
a random token that only this user's session knows; it is checked again on confirm
(the records may have changed meanwhile) and deleted afterwards.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coproduce.accounts import roles
from coproduce.people.importing import (
    SUPPORTED_SUFFIXES,
    ImportFileError,
    ImportResult,
    analyse_file,
    import_file,
    template_csv,
)

SESSION_KEY = "people_import"
DONE_KEY = "people_import_done"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
STALE_AFTER_SECONDS = 24 * 60 * 60
REJECTIONS_SHOWN = 200


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "A CSV file saved as 'CSV UTF-8', or an Excel workbook (.xlsx), up to 50 MB. "
            "The first row must be the column names."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(
                "The file must be a CSV file (.csv) or an Excel file (.xlsx)"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 50 MB")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload


def _imports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored_path(stored: dict[str, str]) -> Path:
    # The token and suffix were made by us (never taken from the request), so this stays
    # inside the imports folder.
    return _imports_dir() / f"{stored['token']}{stored['suffix']}"


def _discard(request: HttpRequest) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        _stored_path(stored).unlink(missing_ok=True)


def _remove_abandoned() -> None:
    """Previews people never confirmed: delete files older than a day."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for path in _imports_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _preview(request: HttpRequest, result: ImportResult, token: str = "") -> HttpResponse:
    context = {
        "result": result,
        "token": token,
        "rejections": result.rejections[:REJECTIONS_SHOWN],
        "more_rejections": max(0, result.rejected - REJECTIONS_SHOWN),
        "can_confirm": bool(token) and not result.rejections,
    }
    return render(request, "people/import_preview.html", context)


def _upload(request: HttpRequest) -> HttpResponse:
    _discard(request)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "people/import.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    _remove_abandoned()
    stored = {
        "token": secrets.token_urlsafe(24),
        "suffix": Path(upload.name).suffix.lower(),
        "name": Path(upload.name).name[:200],
    }
    path = _stored_path(stored)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        result = analyse_file(path, file_name=stored["name"])
    except ImportFileError as exc:
        path.unlink(missing_ok=True)
        form.add_error("file", str(exc))
        return render(request, "people/import.html", {"form": form}, status=400)
    if result.rejections:
        path.unlink(missing_ok=True)
        return _preview(request, result)
    request.session[SESSION_KEY] = stored
    return _preview(request, result, token=stored["token"])


def _confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    posted = request.POST.get("token", "")
    if not stored or not secrets.compare_digest(posted, stored["token"]):
        messages.error(request, "That upload has expired. Please upload the file again.")
        return redirect("people:import")
    path = _stored_path(stored)
    if not path.is_file():
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "That upload has expired. Please upload the file again.")
        return redirect("people:import")
    try:
        result = import_file(
            path,
            actor=request.user,
            request=request,
            file_name=stored["name"],
            how=" (staff page)",
        )
    except ImportFileError as exc:
        _discard(request)
        form = ImportUploadForm()
        form.add_error(None, str(exc))
        return render(request, "people/import.html", {"form": form}, status=400)
    _discard(request)
    if not result.saved:
        # The records changed since the preview and the file no longer imports cleanly.
        return _preview(request, result)
    request.session[DONE_KEY] = {
        "file_name": result.file_name,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    messages.success(request, f"{result.file_name} has been imported.")
    return redirect("people:import")


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    if not roles.can_import_people(request.user):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "confirm":
            return _confirm(request)
        if action == "cancel":
            _discard(request)
            messages.info(request, "The import was cancelled. Nothing was saved.")
            return redirect("people:import")
        return _upload(request)
    if request.GET.get("template"):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
        return response
    done = request.session.pop(DONE_KEY, None)
    if done:
        return render(request, "people/import_done.html", {"done": done})
    return render(request, "people/import.html", {"form": ImportUploadForm()})
