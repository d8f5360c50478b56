"""Evidence uploads: size refused as the file arrives, archives checked before opening, and
the file read in a background job whose page shows progress and then the outcome."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.core.models import UploadJob
from coproduce.evaluation import parsing
from coproduce.evaluation.models import EvidenceItem, TsmFigure
from tests.evaluation.conftest import SURVEY
from tests.support.fixtures import bombs  # noqa: F401 (fixture)
from tests.support.hostile_files import MB
from tests.support.jobs import run_jobs

SAFELY = "so we cannot read it safely"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, check, name, content, kind="survey"):
    return client.post(
        reverse("evaluation:evidence_import", args=[check.pk]),
        {
            "import-kind": kind,
            "import-title": "Evidence",
            "import-gathered_on": "2026-06-01",
            "import-file": SimpleUploadedFile(name, content),
        },
    )


def test_the_upload_is_read_in_the_background_with_a_progress_page(client, users, check):
    client.force_login(users["alice"])
    response = _post(client, check, "tsm.csv", SURVEY.encode())
    assert response.status_code == 302
    job = UploadJob.objects.get()
    assert response.url == reverse("evaluation:evidence_job", args=[check.pk, job.token])
    assert not EvidenceItem.objects.exists()  # nothing parsed in the request
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and "Check again" in page
    run_jobs()
    part = client.get(response.url, {"part": "progress"}, HTTP_HX_REQUEST="true")
    assert part["HX-Refresh"] == "true"
    page = client.get(response.url).content.decode()
    assert "10 items imported from tsm.csv" in page
    assert EvidenceItem.objects.filter(health_check=check).count() == 10
    job.refresh_from_db()
    assert job.status == "done" and not job.path.exists()


def test_a_file_over_the_limit_is_refused_with_a_clear_message(client, users, check, settings):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    client.force_login(users["alice"])
    response = _post(client, check, "big.csv", b"respondent_id,comment\n" + b"R,x\n" * MB)
    assert response.status_code == 200  # the evidence page again, with the form's error
    assert (
        "The file is larger than 1 MB. Split it or ask us to raise the limit."
        in response.content.decode()
    )
    assert not UploadJob.objects.exists() and not EvidenceItem.objects.exists()


def test_tsm_figures_over_the_limit_show_the_message_on_their_own_form(
    client, users, check, settings
):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    client.force_login(users["alice"])
    response = client.post(
        reverse("evaluation:evidence_tsm", args=[check.pk]),
        {"tsm-file": SimpleUploadedFile("tsm.csv", b"code,value\n" * MB)},
    )
    form = response.context["tsm_form"]
    assert form.errors["file"] == [
        "The file is larger than 1 MB. Split it or ask us to raise the limit."
    ]
    assert not response.context["import_form"].errors
    assert not TsmFigure.objects.exists()


@pytest.mark.parametrize(
    ("bomb", "name", "kind"),
    [
        ("xlsx", "survey.xlsx", "survey"),
        ("docx", "report.docx", "document"),
        ("docx", "meeting.docx", "transcript"),
        ("many.docx", "report.docx", "document"),
    ],
)
def test_a_zip_bomb_disguised_as_an_office_file_is_refused_at_upload(
    client,
    users,
    check,
    bombs,  # noqa: F811
    bomb,
    name,
    kind,
):
    client.force_login(users["alice"])
    response = _post(client, check, name, bombs[bomb].read_bytes(), kind=kind)
    assert response.status_code == 200
    assert SAFELY in response.content.decode()
    assert not UploadJob.objects.exists() and not EvidenceItem.objects.exists()


@pytest.mark.parametrize("bomb", ["xlsx", "docx"])
def test_every_reader_checks_the_archive_before_opening_it(bombs, bomb):  # noqa: F811
    data = bombs[bomb].read_bytes()
    readers = (
        [parsing.read_survey, parsing.read_tsm_figures]
        if bomb == "xlsx"
        else [parsing.read_document, parsing.read_transcript]
    )
    for reader in readers:
        with pytest.raises(parsing.EvidenceError, match=SAFELY):
            reader(data, f"file.{bomb}")


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    import io

    from pypdf import PdfWriter

    from coproduce.core import uploads

    monkeypatch.setattr(uploads, "PDF_MAX_PAGES", 5)
    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(parsing.EvidenceError, match="has 6 pages; the most we read is 5"):
        parsing.read_document(buffer.getvalue(), "long.pdf")


def test_a_job_page_is_only_for_the_person_who_uploaded(client, users, check, group):
    client.force_login(users["alice"])
    response = _post(client, check, "tsm.csv", SURVEY.encode())
    client.force_login(group["cath_user"])  # another evaluator of the same check
    assert client.get(response.url).status_code == 404
    client.force_login(users["bob"])  # a tenant who is not an evaluator
    assert client.get(response.url).status_code == 403
    client.force_login(users["alice"])
    other_check_url = response.url.replace(f"/{check.pk}/", f"/{check.pk + 1000}/")
    assert client.get(other_check_url).status_code == 404


def test_a_failed_job_says_why_and_nothing_is_imported(client, users, check):
    client.force_login(users["alice"])
    response = _post(client, check, "tsm.csv", b"respondent_id,TP01,shoe_size\nR1,4,9\n")
    run_jobs()
    page = client.get(response.url).content.decode()
    assert "Nothing was imported." in page and "shoe_size" in page
    assert not EvidenceItem.objects.exists()
