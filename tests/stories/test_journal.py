"""The project journal: entries by anyone in the project, files checked, consent respected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.stories.models import JournalEntry, JournalFile

from .conftest import PNG

MP3 = b"ID3\x03\x00" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def _entry(**extra):
    data = {
        "happened_on": "2026-02-10",
        "what_happened": "We ranked the promises.",
        "how_it_felt": "Exciting.",
        "lightbulb": "Put the promise about respect first.",
        "consent": "internal",
        "file_description": "",
    }
    data.update(extra)
    return data


def test_a_tenant_in_the_project_adds_an_entry_with_a_photo_and_audio(login, project, media):
    client = login("alice")
    files = [
        SimpleUploadedFile("us.png", PNG, content_type="image/png"),
        SimpleUploadedFile("voice.mp3", MP3, content_type="audio/mpeg"),
        SimpleUploadedFile("clip.mp4", MP4, content_type="video/mp4"),
    ]
    response = client.post(
        reverse("stories:journal", args=[project.pk]),
        _entry(media_files=files, file_description="The group with the ranked cards"),
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.author.email == "alice@example.org"
    assert sorted(f.kind for f in entry.files.all()) == ["audio", "photo", "video"]
    page = client.get(reverse("stories:journal", args=[project.pk])).content.decode()
    assert "Put the promise about respect first." in page
    assert 'alt="The group with the ranked cards"' in page
    photo = entry.files.get(kind="photo")
    download = client.get(reverse("stories:journal_file", args=[photo.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("virus.exe", b"MZ\x90\x00", "application/octet-stream"),
        ("fake.png", b"MZ\x90\x00" * 10, "image/png"),
        ("page.html", b"<script>", "text/html"),
        ("photo.png", PNG, "text/html"),
    ],
)
def test_files_that_are_not_photos_audio_or_video_are_refused(
    login, project, media, name, content, content_type
):
    client = login("alice")
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(
        reverse("stories:journal", args=[project.pk]), _entry(media_files=[upload])
    )
    assert response.status_code == 400
    assert JournalEntry.objects.count() == 0
    assert JournalFile.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(login, project, media, monkeypatch):
    from coproduce.stories import services

    monkeypatch.setitem(services.MAX_SIZE, "photo", 32)
    upload = SimpleUploadedFile("big.png", PNG, content_type="image/png")
    response = login("alice").post(
        reverse("stories:journal", args=[project.pk]), _entry(media_files=[upload])
    )
    assert response.status_code == 400
    assert "too big" in response.content.decode()


def test_entries_kept_within_the_project_are_hidden_from_the_board(login, journal_entry, project):
    page = login("brenda").get(reverse("stories:journal", args=[project.pk])).content.decode()
    assert "We agreed the first promise." not in page
    assert "Add to the journal" not in page
    page = login("alice").get(reverse("stories:journal", args=[project.pk])).content.decode()
    assert "We agreed the first promise." in page
    assert "Add to the journal" in page


def test_the_timeline_is_newest_first(login, project, media):
    client = login("fiona")
    for day, what in (("2026-01-01", "First meeting"), ("2026-03-01", "Board meeting")):
        client.post(
            reverse("stories:journal", args=[project.pk]),
            _entry(happened_on=day, what_happened=what),
        )
    page = client.get(reverse("stories:journal", args=[project.pk])).content.decode()
    assert page.index("Board meeting") < page.index("First meeting")


def test_a_tenant_outside_the_project_cannot_write(login, project, media):
    response = login("bob").post(reverse("stories:journal", args=[project.pk]), _entry())
    assert response.status_code == 403
    assert JournalEntry.objects.count() == 0


def test_the_journal_and_stories_pages_use_a_constant_number_of_queries(
    login, project, users, media, guide
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coproduce.stories import services

    from .conftest import make_story

    client = login("carol")

    def add(n):
        for i in range(n):
            services.journal_entry_create(
                project=project,
                author=users["alice"],
                happened_on=dt.date(2026, 1, 1 + i),
                what_happened=f"Entry {i}",
                consent="internal",
                files=[SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")],
            )
            make_story(project, guide, users["fiona"], title=f"Story {i}")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    urls = [reverse("stories:journal", args=[project.pk]), reverse("stories:home")]
    before = [count(u) for u in urls]
    add(4)
    assert [count(u) for u in urls] == before
