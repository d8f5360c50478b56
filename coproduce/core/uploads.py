"""The one place for upload limits, archive checks and background upload jobs.

Three defences keep a large or hostile file from taking a web worker down:

1. **Size, while the file streams in.** `LimitedUploadHandler` (installed for every request by
   FILE_UPLOAD_HANDLERS) counts the bytes of uploaded files and stops the upload once
   MAX_UPLOAD_BYTES is passed: nothing past the limit is kept, the rest of the body is read and
   thrown away, and the view shows `refusal(request)` as a form error.
2. **Archives, before anything opens them.** `.xlsx` and `.docx` files are ZIP archives.
   `check_archive` reads only the archive's table of contents and refuses files that hold too
   many entries, would expand past a limit, or are packed suspiciously tightly (a "zip bomb").
3. **Parsing, away from the web request.** `job_create` stores the upload under
   MEDIA_ROOT/uploads and records an `UploadJob`; a background task parses it and reports
   progress, and the page polls the job.
"""

from __future__ import annotations

import datetime
import functools
import io
import struct
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

if TYPE_CHECKING:
    from coproduce.accounts.models import User
    from coproduce.core.models import UploadJob

MB = 1024 * 1024
# How much of a refused body we still read (and throw away) so the browser sees our answer
# rather than a reset connection. Past this, the connection is simply closed.
DRAIN_MAX_BYTES = 1024 * MB
DRAIN_MAX_SECONDS = 10  # well inside gunicorn's 30 s worker timeout
# A big entry packed tighter than this is a zip bomb, not a spreadsheet.
RATIO_CHECKED_ABOVE = 1 * MB
STALE_JOB_SECONDS = 24 * 60 * 60


def _setting(name: str, default: int) -> int:
    try:
        return int(getattr(settings, name, default))
    except Exception:  # noqa: BLE001 - settings not configured (plain library use)
        return default


def max_upload_bytes() -> int:
    return _setting("MAX_UPLOAD_BYTES", 25 * MB)


def megabytes(size: int) -> str:
    if size >= 1024 * MB:
        return f"{size / (1024 * MB):.1f} GB"
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 or value.is_integer() else f"{value:.1f} MB"


def too_large_message(limit: int | None = None) -> str:
    limit = max_upload_bytes() if limit is None else limit
    return f"The file is larger than {megabytes(limit)}. Split it or ask us to raise the limit."


# --------------------------------------------------------------------------- size while streaming


@dataclass(frozen=True)
class Refusal:
    field_name: str  # the form field whose file was refused ("" if none had started)
    message: str


class LimitedUploadHandler(FileUploadHandler):
    """Stop an upload once its files pass the limit, before the file is kept or parsed."""

    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit: int = max_upload_bytes() if limit is None else limit
        self.received = 0
        self.content_length = 0
        self.input_data: Any = None

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 - Django's name
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.received = 0
        self.content_length = content_length or 0
        self.input_data = input_data
        return None

    def _drain(self) -> None:
        """Read and throw away the rest of the body, a megabyte at a time, so the browser sees
        our answer rather than a reset connection. Django's own way reads it line by line,
        which takes a worker tens of seconds for a big CSV. Bounded in bytes and in time."""
        if (self.content_length or 0) > DRAIN_MAX_BYTES or self.input_data is None:
            return
        deadline = time.monotonic() + DRAIN_MAX_SECONDS
        while time.monotonic() < deadline and self.input_data.read(MB):
            pass

    def _refuse(self, field_name: str) -> None:
        if self.request is not None:
            self.request.upload_refusal = Refusal(field_name, too_large_message(self.limit))  # type: ignore[attr-defined]
        self._drain()
        raise StopUpload(connection_reset=True)  # drained already: Django must not read on

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        self.field_name = field_name
        # The whole body is declared bigger than the limit plus room for the other fields:
        # refuse before a single byte of the file is kept.
        if (self.content_length or 0) > self.limit + MB:
            self._refuse(field_name)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(self.field_name)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def refusal(request: HttpRequest) -> Refusal | None:
    """Why an upload in this request was refused, or None. Reads the request body if needed."""
    if request.method == "POST":
        request.POST  # noqa: B018 - parsing the body is what runs the upload handlers
    return getattr(request, "upload_refusal", None)


def add_refusal(request: HttpRequest, form: Any, field: str) -> bool:
    """If this request's upload was refused, put the reason on `form`'s `field` (the form is
    then invalid) and return True."""
    refused = refusal(request)
    if refused is None:
        return False
    form.is_valid()
    form.errors.pop(field, None)
    form.add_error(field, refused.message)
    return True


def limit_uploads(max_bytes: int | Callable[[], int] | None = None) -> Callable[..., Any]:
    """Give a view its own upload limit (the default is MAX_UPLOAD_BYTES).

    The handler must be in place before anything reads the body, and the CSRF middleware reads
    it, so the view is exempted from the middleware and protected here instead.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # RefuseNulMiddleware leaves exempt views' bodies alone: check the form here,
            # once the limited handler has read it.
            from coproduce.core.middleware import form_nul_response

            if request.method == "POST" and (refused := form_nul_response(request)):
                return refused
            return view(request, *args, **kwargs)

        protected = csrf_protect(checked)

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                limit = max_bytes() if callable(max_bytes) else max_bytes
                others = [
                    handler
                    for handler in request.upload_handlers
                    if not isinstance(handler, LimitedUploadHandler)
                ]
                request.upload_handlers = [LimitedUploadHandler(request, limit), *others]
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorate


# --------------------------------------------------------------------------- archives


class ArchiveError(ValueError):
    """An archive we will not open. `damaged` is True when it is simply not a valid ZIP file."""

    def __init__(self, message: str, *, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int
    max_expanded: int  # bytes, all entries together
    max_ratio: int  # uncompressed : compressed, for entries over RATIO_CHECKED_ABOVE
    max_directory: int  # bytes of the archive's table of contents


def archive_limits(max_bytes: int | None = None) -> ArchiveLimits:
    """The limits for an archive uploaded under `max_bytes` (default: MAX_UPLOAD_BYTES)."""
    base = max_upload_bytes() if max_bytes is None else max_bytes
    expanded = _setting("UPLOAD_MAX_EXPANDED_BYTES", 0) if max_bytes is None else 0
    return ArchiveLimits(
        max_entries=_setting("UPLOAD_MAX_ARCHIVE_ENTRIES", 10_000),
        max_expanded=expanded or base * 10,
        max_ratio=_setting("UPLOAD_MAX_COMPRESSION_RATIO", 100),
        max_directory=4 * MB,
    )


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def _damaged(name: str) -> ArchiveError:
    return ArchiveError(f"{name} is damaged or is not a valid file of this kind.", damaged=True)


def _directory_size(handle: IO[bytes], name: str) -> tuple[int, int]:
    """(entries, bytes) of the central directory, read from the end records only."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_start = max(0, size - (22 + 65535))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _damaged(name)
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        # ZIP64: the real numbers are in the ZIP64 end record the locator points to.
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(_EOCD64_LOCATOR):
            raise _damaged(name)
        (offset,) = struct.unpack("<Q", locator[8:16])
        handle.seek(offset)
        record = handle.read(56)
        if len(record) < 56 or not record.startswith(_EOCD64):
            raise _damaged(name)
        entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def check_archive(
    source: bytes | str | Path | IO[bytes], *, name: str, limits: ArchiveLimits | None = None
) -> None:
    """Refuse a ZIP-based file (.xlsx, .docx) that is not safe to open. Reads no entry's data.

    Raises ArchiveError with one plain-English line. Checks, in order: the end record's entry
    count and directory size (before zipfile builds anything), then each entry's declared size
    and compression ratio, then the total. Python's zipfile never returns more than an entry's
    declared size, so these declared sizes bound what any reader can get out of the file.
    """
    limits = limits or archive_limits()
    if isinstance(source, bytes):
        handle: IO[bytes] = io.BytesIO(source)
        close = False
    elif isinstance(source, str | Path):
        handle = Path(source).open("rb")  # noqa: SIM115 - closed below
        close = True
    else:
        handle = source
        close = False
    try:
        refused = "so we cannot read it safely"
        entries, directory = _directory_size(handle, name)
        if entries > limits.max_entries or directory > limits.max_directory:
            raise ArchiveError(
                f"{name} holds more than {limits.max_entries:,} files inside it, {refused}."
            )
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise _damaged(name) from None
        if len(infos) > limits.max_entries:
            raise ArchiveError(
                f"{name} holds more than {limits.max_entries:,} files inside it, {refused}."
            )
        total = 0
        for info in infos:
            total += info.file_size
            packed = max(info.compress_size, 1)
            if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > packed * limits.max_ratio:
                raise ArchiveError(
                    f"{name} expands to {megabytes(info.file_size)} when opened, {refused}."
                )
            if total > limits.max_expanded:
                break
        if total > limits.max_expanded:
            raise ArchiveError(
                f"{name} expands to more than {megabytes(limits.max_expanded)} when opened, "
                f"{refused}."
            )
    finally:
        if close:
            handle.close()


def looks_like_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")


# PDF: pypdf bounds each stream it inflates; this bounds how many pages we read.
PDF_MAX_PAGES = 2000
# Text taken from one document: beyond this it is not evidence anyone will read.
TEXT_MAX_CHARS = 20_000_000


# --------------------------------------------------------------------------- background jobs


def uploads_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_stale_jobs() -> int:
    """Uploads nobody finished with: delete jobs (and their files) older than a day."""
    from django.utils import timezone

    from coproduce.core.models import UploadJob

    cutoff = timezone.now() - datetime.timedelta(seconds=STALE_JOB_SECONDS)
    removed = 0
    for job in UploadJob.objects.filter(created_at__lt=cutoff):
        job.discard_file()
        job.delete()
        removed += 1
    # Files whose job row is gone (a crash between saving the file and the row).
    known = set(UploadJob.objects.values_list("stored_name", flat=True))
    cutoff_seconds = time.time() - STALE_JOB_SECONDS
    for path in uploads_dir().iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff_seconds:
            path.unlink(missing_ok=True)
    return removed


def job_create(
    *, kind: str, upload: Any, user: User, params: dict[str, Any] | None = None
) -> UploadJob:
    """Store an uploaded file under MEDIA_ROOT/uploads and record a queued job for it.

    The stored name is a random token (the person's file name may hold personal data) and the
    suffix, both made here, never taken from the request.
    """
    from coproduce.core.models import UploadJob

    remove_stale_jobs()
    suffix = Path(upload.name or "").suffix.lower()[:10]
    job = UploadJob(
        kind=kind,
        created_by=user,
        file_name=Path(upload.name or "file").name[:200],
        params=params or {},
        size=upload.size or 0,
    )
    job.stored_name = f"{job.token}{suffix}"
    with job.path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job.save()
    return job


class JobProgress:
    """Write a job's progress at most once a second (a big file reports thousands of times)."""

    def __init__(self, job: Any, *, start: int = 5, end: int = 95) -> None:
        self.job = job
        self.start = start
        self.end = end
        self.last = 0.0

    def __call__(self, fraction: float | None, message: str) -> None:
        now = time.monotonic()
        if now - self.last < 1.0:
            return
        self.last = now
        percent = (
            self.start
            if fraction is None
            else int(self.start + (self.end - self.start) * max(0.0, min(1.0, fraction)))
        )
        self.job.report(percent, message)
