"""core.uploads: the size limit while a file streams in, and archive checks before opening."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.core import uploads
from coproduce.core.uploads import ArchiveError, ArchiveLimits, check_archive
from tests.support.fixtures import bombs  # noqa: F401 (fixture)
from tests.support.hostile_files import MB

MESSAGE = "The file is larger than 1 MB. Split it or ask us to raise the limit."


@pytest.fixture
def small_limit(settings, tmp_path):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------- archives


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_zip_bomb_is_refused_from_its_table_of_contents_in_a_moment(bombs, kind):  # noqa: F811
    path = bombs[kind]
    assert path.stat().st_size < 10 * MB  # a small file on the outside ...
    started = time.monotonic()
    with pytest.raises(ArchiveError) as caught:
        check_archive(path, name=path.name)
    assert time.monotonic() - started < 1
    assert not caught.value.damaged
    assert str(caught.value) == (
        f"{path.name} expands to 1024 MB when opened, so we cannot read it safely."
    )


@pytest.mark.parametrize("kind", ["many.xlsx", "many.docx"])
def test_an_archive_with_too_many_entries_is_refused(bombs, kind):  # noqa: F811
    with pytest.raises(ArchiveError, match="holds more than 10,000 files inside it"):
        check_archive(bombs[kind], name="file")


def test_an_archive_that_expands_past_the_total_is_refused_even_when_not_packed_tightly():
    # Ten 200 KB entries of varied text (ratio well under 100:1) against a 1 MB total.
    entries = {f"part{n}.xml": bytes(range(256)) * 800 for n in range(10)}
    data = _zip(entries)
    limits = ArchiveLimits(max_entries=100, max_expanded=1 * MB, max_ratio=100, max_directory=MB)
    with pytest.raises(ArchiveError, match=r"expands to more than 1 MB when opened"):
        check_archive(data, name="book.xlsx", limits=limits)
    check_archive(data, name="book.xlsx", limits=ArchiveLimits(100, 4 * MB, 100, MB))


def test_the_entry_count_is_read_before_zipfile_builds_its_list(monkeypatch, bombs):  # noqa: F811
    def refuse(*args, **kwargs):
        raise AssertionError("zipfile.ZipFile must not be opened for this file")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    with pytest.raises(ArchiveError, match="more than 10,000 files"):
        check_archive(bombs["many.xlsx"], name="many.xlsx")


@pytest.mark.parametrize("data", [b"", b"plain text", b"PK\x03\x04 truncated", b"%PDF-1.7"])
def test_a_file_that_is_not_a_zip_is_reported_as_damaged(data):
    with pytest.raises(ArchiveError) as caught:
        check_archive(data, name="x.xlsx")
    assert caught.value.damaged


def test_an_ordinary_workbook_passes(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for number in range(2000):
        book.active.append([f"R{number}", "Somebody", "same text " * 5])
    path = tmp_path / "ok.xlsx"
    book.save(path)
    check_archive(path, name="ok.xlsx")
    check_archive(path.read_bytes(), name="ok.xlsx")


def test_zip64_end_records_are_read(tmp_path):
    path = tmp_path / "z64.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for number in range(70_000):  # past 65,535 entries: ZIP64 end record
            zf.writestr(f"{number}", b"")
    with pytest.raises(ArchiveError, match="more than 10,000 files"):
        check_archive(path, name="z64.zip")


# --------------------------------------------------------------------------- size while streaming


def test_the_limit_comes_from_max_upload_mb_with_a_default_of_25(settings):
    from coproduce import settings as project_settings

    assert project_settings.MAX_UPLOAD_BYTES == 25 * MB  # MAX_UPLOAD_MB unset in tests
    assert "coproduce.core.uploads.LimitedUploadHandler" == settings.FILE_UPLOAD_HANDLERS[0]
    assert uploads.too_large_message(25 * MB) == (
        "The file is larger than 25 MB. Split it or ask us to raise the limit."
    )


def test_the_handler_stops_the_upload_and_keeps_nothing_past_the_limit(rf, small_limit):
    from django.core.files.uploadhandler import StopUpload

    request = rf.post("/")
    handler = uploads.LimitedUploadHandler(request)
    body = io.BytesIO(b"y" * (MB // 2))  # what is left of the request body
    handler.handle_raw_input(body, {}, 3 * MB // 2, b"x")  # declared: fits with the form slack
    handler.new_file("file", "big.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * MB, 0) == b"x" * MB
    with pytest.raises(StopUpload) as caught:
        handler.receive_data_chunk(b"x" * 1024, MB)
    assert body.read() == b""  # the rest was read and thrown away, so the answer gets through
    assert caught.value.connection_reset is True  # ... and Django need not read it again
    assert request.upload_refusal == uploads.Refusal("file", MESSAGE)


def test_a_body_declared_too_large_is_refused_before_any_file_byte(rf, small_limit):
    from django.core.files.uploadhandler import StopUpload

    request = rf.post("/")
    handler = uploads.LimitedUploadHandler(request)
    handler.handle_raw_input(None, {}, 200 * MB, b"x")
    with pytest.raises(StopUpload):
        handler.new_file("import-file", "huge.csv", "text/csv", None)
    assert request.upload_refusal.field_name == "import-file"


def test_a_view_with_its_own_limit_still_checks_csrf(login, small_limit):
    client = login("carol")
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("people:import"),
        {"action": "upload", "file": SimpleUploadedFile("p.csv", b"external_ref\n")},
    )
    assert response.status_code == 403


@pytest.fixture
def journal_project(users):
    import datetime as dt

    from coproduce.people.models import Person
    from coproduce.projects.models import Project, ProjectMember

    project = Project.objects.create(title="P", purpose="P", owner=users["carol"])
    ProjectMember.objects.create(
        project=project, person=Person.objects.get(user=users["alice"]), joined_on=dt.date.today()
    )
    return project


def _journal_post(client, project, size):
    video = SimpleUploadedFile("clip.mp4", b"\x00" * size, content_type="video/mp4")
    return client.post(
        reverse("stories:journal", args=[project.pk]),
        {
            "happened_on": "2026-05-01",
            "what_happened": "We met.",
            "consent": "project",
            "media_files": [video],
        },
    )


def test_the_journal_has_its_own_larger_limit_for_videos(login, small_limit, journal_project):
    from coproduce.stories.models import JournalEntry

    # Over the 1 MB default, under the journal's limit for videos (stored, never parsed):
    # the upload streams in, and the file's own checks decide (this is no real MP4).
    response = _journal_post(login("alice"), journal_project, 2 * MB)
    assert MESSAGE not in response.content.decode()
    assert "does not look like a MP4 file" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_the_journal_refuses_a_file_over_its_limit_while_it_streams(
    login, small_limit, journal_project, monkeypatch
):
    from coproduce.stories import services
    from coproduce.stories.models import JournalEntry

    monkeypatch.setattr(services, "MAX_VIDEO_SIZE", 1 * MB)
    response = _journal_post(login("alice"), journal_project, 2 * MB)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_receipt_over_the_limit_is_refused_with_a_clear_message(login, small_limit, users):
    from coproduce.rewards.models import ExpenseClaim

    response = login("carol").post(
        reverse("rewards:expense_new", args=[users["alice"].person.pk]),
        {
            "kind": "travel",
            "incurred_on": "2026-05-01",
            "amount": "4.50",
            "description": "Bus fare",
            "receipt_file": SimpleUploadedFile("r.pdf", b"%PDF-1.4" + b"0" * (2 * MB)),
        },
    )
    assert MESSAGE in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_a_transcript_over_the_limit_is_refused_with_a_clear_message(login, small_limit, users):
    from coproduce.stories.models import Story

    response = login("carol").post(
        reverse("stories:create"),
        {"title": "T", "transcript": SimpleUploadedFile("t.txt", b"a " * MB)},
    )
    assert MESSAGE in response.content.decode()
    assert not Story.objects.exists()


def test_anonymous_uploads_are_sent_to_sign_in_without_reading_the_file(small_limit, db):
    response = Client().post(
        reverse("people:import"), {"file": SimpleUploadedFile("p.csv", b"x" * (2 * MB))}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
