"""The staff import page: upload, check in the background, preview (nothing saved), confirm.

Since the file is read by a background job (issue #13), each step runs the task worker once
(`run_jobs`) and then follows the redirect to the job's page.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from coproduce.core.models import AuditEntry, UploadJob
from coproduce.people.importing import template_csv
from coproduce.people.models import Person
from tests.support.jobs import run_jobs

URL = reverse("people:import")
GOOD = b"external_ref,first_name,last_name,email\nN1,Nia,Okafor,nia@example.org\nN2,Olu,Ali,\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def imports_dir():
    return settings.MEDIA_ROOT / "uploads"


def upload(client, content: bytes, name: str = "people.csv"):
    """Upload, let the background check run, and return the page the coordinator then sees."""
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile(name, content)})
    if response.status_code != 302:
        return response
    run_jobs()
    return client.get(response.url)


def confirm(client, token: str):
    response = client.post(URL, {"action": "confirm", "token": token})
    run_jobs()
    return response


def latest_token() -> str:
    return UploadJob.objects.latest("id").token


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    "name", ["alice", "bob", "fiona", "adam", "frank", "dora", "brenda", "colin", "sam"]
)
def test_only_the_coordinator_may_import(login, name):
    client = login(name)
    assert client.get(URL).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert Person.objects.filter(external_ref__startswith="N").count() == 0


def test_the_coordinator_sees_the_upload_form(login):
    response = login("carol").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Import people</h1>' in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label class="govuk-label" for="id_file">Upload a file</label>' in page


def test_the_template_can_be_downloaded(login):
    response = login("carol").get(URL, {"template": "1"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == template_csv()


def test_preview_then_confirm_imports_the_file(login):
    client = login("carol")
    before = Person.objects.count()
    response = upload(client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="count-created">2<' in page
    assert "Nia Okafor" in page
    assert "Confirm import" in page
    assert Person.objects.count() == before
    assert len(list(imports_dir().iterdir())) == 1

    response = confirm(client, latest_token())
    assert response.status_code == 302
    assert Person.objects.count() == before + 2
    assert list(imports_dir().iterdir()) == []
    entry = AuditEntry.objects.get(action="people.imported")
    assert entry.actor.email == "carol@example.org"

    done = client.get(response.url).content.decode()
    assert "Import complete" in done
    assert f'href="{reverse("people:list")}"' in done


def test_the_preview_shows_updates_of_people_already_held(login):
    client = login("carol")
    content = b"external_ref,first_name,last_name\nT-ALICE,Alice,Exampleton\nT-BOB,Bob,Example\n"
    page = upload(client, content).content.decode()
    assert 'id="count-updated">1<' in page
    assert 'id="count-unchanged">1<' in page
    assert "Update: last_name" in page


def test_rejected_rows_are_listed_and_cannot_be_confirmed(login):
    client = login("carol")
    content = GOOD + b"N1,Nia again,,\nN3,Pat,,not-an-email\n"
    response = upload(client, content)
    page = response.content.decode()
    assert "Confirm import" not in page
    assert "2 rows cannot be imported" in page
    assert "external_ref &#x27;N1&#x27; is also on line 2" in page
    assert "Upload a fixed file" in page
    assert list(imports_dir().iterdir()) == []
    assert not Person.objects.filter(external_ref__startswith="N").exists()


@pytest.mark.parametrize(
    ("name", "content", "message", "status"),
    [
        # Refused by the upload itself (400) or found by the background check (its page, 200).
        ("fake.xlsx", b"this is text", "is not an Excel spreadsheet", 400),
        ("people.pdf", b"%PDF", "must be a CSV file (.csv) or an Excel file (.xlsx)", 400),
        (
            "cols.csv",
            b"external_ref,first_name,shoe_size\nA,B,9\n",
            "unknown column shoe_size",
            200,
        ),  # noqa: E501
    ],
)
def test_a_bad_file_is_explained_on_the_form(login, name, content, message, status):
    client = login("carol")
    response = upload(client, content, name)
    assert response.status_code == status
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not imports_dir().exists() or list(imports_dir().iterdir()) == []


def test_confirm_without_a_preview_saves_nothing(login):
    client = login("carol")
    before = Person.objects.count()
    response = client.post(URL, {"action": "confirm", "token": "made-up"}, follow=True)
    assert "That upload has expired" in response.content.decode()
    assert Person.objects.count() == before


def test_confirm_rechecks_the_file(login):
    client = login("carol")
    upload(client, GOOD)
    token = latest_token()
    # Someone adds N1 by hand between preview and confirm: N1 becomes an update, not a clash.
    Person.objects.create(external_ref="N1", first_name="Nia")
    confirm(client, token)
    assert Person.objects.get(external_ref="N1").last_name == "Okafor"
    assert "created: 1, updated: 1" in AuditEntry.objects.get(action="people.imported").summary


def test_cancel_deletes_the_upload(login):
    client = login("carol")
    upload(client, GOOD)
    response = client.post(URL, {"action": "cancel", "token": latest_token()})
    assert response.status_code == 302
    assert list(imports_dir().iterdir()) == []
    assert not UploadJob.objects.exists()
    assert not Person.objects.filter(external_ref__startswith="N").exists()


def test_xlsx_uploads_work(login, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["external_ref", "first_name"])
    book.active.append(["W1", "Wren"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    client = login("carol")
    page = upload(client, path.read_bytes(), "people.xlsx").content.decode()
    assert 'id="count-created">1<' in page
    confirm(client, latest_token())
    assert Person.objects.filter(external_ref="W1").exists()
