"""The import page reads files in a background job, refuses large and hostile files first,
and the command line has its own (larger) limit."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.core.models import UploadJob
from coproduce.people.models import Person
from tests.support.fixtures import bombs  # noqa: F401 (fixture)
from tests.support.hostile_files import MB
from tests.support.jobs import run_jobs

URL = reverse("people:import")
GOOD = b"external_ref,first_name\nN1,Nia\nN2,Olu\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings):
    folder = settings.MEDIA_ROOT / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_upload_only_stores_the_file_and_the_page_shows_progress(login, settings):
    client = login("carol")
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("p.csv", GOOD)})
    assert response.status_code == 302
    job = UploadJob.objects.get()
    assert response.url == reverse("people:import_job", args=[job.token])
    assert job.status == "queued" and job.created_by.email == "carol@example.org"
    assert len(stored_files(settings)) == 1
    # Stored under the job's random token, not the name it was uploaded as (which is kept only
    # as the job's label): a substring check could match the token by chance.
    assert stored_files(settings)[0].name == f"{job.token}.csv"
    assert len(job.token) == 32 and job.file_name == "p.csv"
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page
    assert f'hx-get="{response.url}?part=progress"' in page
    assert f'<a class="govuk-link" href="{response.url}">Check again</a>' in page  # no JS
    # htmx asks for the progress part: still working, so the part comes back.
    part = client.get(response.url, {"part": "progress"}, HTTP_HX_REQUEST="true")
    assert 'id="job-progress"' in part.content.decode()
    run_jobs()
    part = client.get(response.url, {"part": "progress"}, HTTP_HX_REQUEST="true")
    assert part["HX-Refresh"] == "true"  # finished: the whole page reloads
    page = client.get(response.url).content.decode()
    assert 'id="count-created">2<' in page and "Confirm import" in page
    assert not Person.objects.filter(external_ref__in=["N1", "N2"]).exists()


def test_reading_a_big_file_reports_progress(tmp_path, db):
    from coproduce.people.importing import analyse_file

    path = tmp_path / "big.csv"
    path.write_bytes(b"external_ref,first_name\n" + b"".join(b"R%d,Ann\n" % n for n in range(5000)))
    seen = []
    analyse_file(path, report=lambda fraction, words: seen.append((fraction, words)))
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1] == "Read 100% of the file"


def test_a_file_over_the_limit_is_refused_as_it_arrives_and_nothing_is_kept(login, settings):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    big = SimpleUploadedFile("people.csv", b"external_ref,first_name\n" + b"R,A\n" * MB)
    response = login("carol").post(URL, {"action": "upload", "file": big})
    assert response.status_code == 400
    assert (
        "The file is larger than 1 MB. Split it or ask us to raise the limit."
        in response.content.decode()
    )
    assert not UploadJob.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize("kind", ["xlsx", "many.xlsx"])
def test_a_zip_bomb_disguised_as_a_spreadsheet_is_refused_before_it_is_opened(
    login,
    settings,
    bombs,  # noqa: F811
    kind,
):
    upload = SimpleUploadedFile("people.xlsx", bombs[kind].read_bytes())
    started = time.monotonic()
    response = login("carol").post(URL, {"action": "upload", "file": upload})
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "so we cannot read it safely" in response.content.decode()
    assert not UploadJob.objects.exists() and stored_files(settings) == []


def test_the_background_reader_also_refuses_a_zip_bomb(settings, users, bombs):  # noqa: F811
    # A bomb that reached storage some other way is still refused by the reader itself.
    from coproduce.core import uploads

    job = uploads.job_create(
        kind="people.check",
        upload=SimpleUploadedFile("people.xlsx", bombs["xlsx"].read_bytes()),
        user=users["carol"],
    )
    from coproduce.people.tasks import check_import

    check_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "people.xlsx expands to 1024 MB when opened, so we cannot read it safely"
    assert stored_files(settings) == []


def test_confirming_twice_imports_once(login):
    client = login("carol")
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("p.csv", GOOD)})
    run_jobs()
    token = UploadJob.objects.get().token
    first = client.post(response.url, {"action": "confirm", "token": token})
    second = client.post(response.url, {"action": "confirm", "token": token})
    assert first.status_code == second.status_code == 302
    assert second.url == first.url  # the second click just shows the import under way
    run_jobs()
    assert Person.objects.filter(external_ref__in=["N1", "N2"]).count() == 2
    page = client.get(first.url).content.decode()
    assert "Import complete" in page


def test_a_job_is_only_seen_by_the_coordinator_who_started_it(login, users):
    from coproduce.accounts.models import User

    client = login("carol")
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("p.csv", GOOD)})
    other = User.objects.create_user(
        email="cora@example.org", password="x" * 12, role="coordinator"
    )
    client.force_login(other)
    assert client.get(response.url).status_code == 404
    assert client.post(response.url, {"action": "confirm"}).status_code == 302
    assert UploadJob.objects.get().status == "queued"


@pytest.mark.parametrize(
    "name", ["alice", "bob", "fiona", "adam", "frank", "dora", "brenda", "colin", "sam"]
)
def test_only_coordinators_reach_a_job_page(login, users, name):
    from coproduce.core import uploads

    job = uploads.job_create(
        kind="people.check", upload=SimpleUploadedFile("p.csv", GOOD), user=users["carol"]
    )
    url = reverse("people:import_job", args=[job.token])
    client = login(name)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "confirm", "token": job.token}).status_code == 403


def test_uploads_nobody_finished_are_removed_after_a_day(users, settings):
    from django.utils import timezone

    from coproduce.core import uploads

    old = uploads.job_create(
        kind="people.check", upload=SimpleUploadedFile("p.csv", GOOD), user=users["carol"]
    )
    UploadJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2)
    )
    uploads.job_create(
        kind="people.check", upload=SimpleUploadedFile("q.csv", GOOD), user=users["carol"]
    )
    assert list(UploadJob.objects.values_list("file_name", flat=True)) == ["q.csv"]
    assert len(stored_files(settings)) == 1


def test_the_command_refuses_a_file_over_its_limit_with_exit_2(tmp_path, settings, db, capsys):
    from coproduce.cli import main

    settings.IMPORT_MAX_FILE_MB = 1
    path = tmp_path / "people.csv"
    path.write_bytes(b"external_ref,first_name\n" + b"R,A\n" * MB)
    assert main(["import-people", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coproduce import-people: people.csv is larger than 1 MB")
    assert len(err.strip().splitlines()) == 1


def test_the_command_refuses_a_zip_bomb_with_exit_2(tmp_path, db, capsys, bombs):  # noqa: F811
    from coproduce.cli import main

    assert main(["import-people", "--dry-run", str(bombs["xlsx"])]) == 2
    assert "so we cannot read it safely" in capsys.readouterr().err
