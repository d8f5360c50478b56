"""Hostile input found by an attack run: NUL bytes, line breaks in one-line fields, and posts
with too many fields or files. Each is a clear 4xx page or a form error, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coproduce.core.forms import AuditSearchForm
from coproduce.core.text import MULTILINE_MESSAGE, SINGLE_LINE_MESSAGE
from coproduce.meetings.models import Meeting
from coproduce.people.forms import GetInvolvedForm
from coproduce.people.models import Interest, Person
from tests.conftest import PASSWORD
from tests.evaluation.conftest import check  # noqa: F401 (shared fixture)
from tests.promises.conftest import group  # noqa: F401 (shared fixture)

NUL_PAGE = "a character we cannot store"


def _is_nul_page(response) -> None:
    assert response.status_code == 400
    assert NUL_PAGE in response.content.decode()


# NUL bytes ----------------------------------------------------------------------------------


def test_nul_in_the_evidence_search_box_is_a_clear_400(login, check):  # noqa: F811
    url = reverse("evaluation:evidence", args=[check.pk])
    _is_nul_page(login("carol").get(url + "?q=a%00b"))


def test_nul_in_the_people_search_box_is_a_clear_400(login, users):
    _is_nul_page(login("carol").get(reverse("people:list") + "?q=a%00b"))


def test_nul_in_a_query_parameter_name_is_a_clear_400(login, users):
    _is_nul_page(login("carol").get(reverse("people:list") + "?a%00b=1"))


def test_nul_in_the_address_itself_is_a_clear_400(client, db):
    _is_nul_page(client.get("/sessions/feed/abc%00def.ics"))


def test_nul_in_a_cookie_is_a_clear_400(db):
    client = Client()
    client.cookies["sessionid"] = "abcdefghijkl\x00mnop"  # sent quoted, as \000
    _is_nul_page(client.get(reverse("people:get_involved")))


def test_nul_in_a_form_post_is_a_clear_400_and_nothing_is_saved(client, db):
    response = client.post(
        reverse("people:get_involved"),
        {"name": "Ann\x00Other", "email": "ann@example.org", "message": "Hello"},
    )
    _is_nul_page(response)
    assert not Interest.objects.exists()


def test_nul_in_a_staff_form_post_is_a_clear_400(login, users):
    response = login("carol").post(
        reverse("people:create"), {"first_name": "Nia\x00", "last_name": "Okafor"}
    )
    _is_nul_page(response)
    assert not Person.objects.filter(first_name__startswith="Nia").exists()


def _csrf_client(url: str) -> tuple[Client, str]:
    """Signed in as carol, as a browser is: CSRF checks on, with the cookie and the token."""
    client = Client(enforce_csrf_checks=True)
    client.login(username="carol@example.org", password=PASSWORD)
    response = client.get(url)
    return client, response.context["csrf_token"]


def test_nul_in_a_form_post_with_csrf_checks_on_is_a_clear_400(users):
    client, token = _csrf_client(reverse("people:create"))
    data = {"first_name": "Nia\x00", "csrfmiddlewaretoken": token}
    _is_nul_page(client.post(reverse("people:create"), data))


def test_nul_in_an_upload_form_field_is_a_clear_400(login, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login("carol").post(
        reverse("people:import"),
        {
            "action": "upload\x00",
            "file": SimpleUploadedFile("people.csv", b"external_ref,first_name\nN1,Nia\n"),
        },
    )
    _is_nul_page(response)


def test_the_nul_page_is_plain_and_says_what_to_do(client, db):
    body = client.get(reverse("people:get_involved") + "?x=%00").content.decode()
    assert "NUL" in body
    assert "go back" in body.lower()


# Too many fields, too many files, too much data --------------------------------------------


def _many_fields(count: int) -> dict[str, str]:
    return {f"field{i}": "x" for i in range(count)}


def test_a_post_with_too_many_fields_is_a_clear_400(login, users, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = login("carol").post(reverse("people:import"), _many_fields(60))
    assert response.status_code == 400
    assert "too many" in response.content.decode().lower()


def test_a_multipart_post_with_too_many_fields_is_a_clear_400(login, users, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = _many_fields(60) | {"file": SimpleUploadedFile("p.csv", b"external_ref\n")}
    response = login("carol").post(reverse("people:import"), data)
    assert response.status_code == 400
    assert "too many" in response.content.decode().lower()


def test_too_many_fields_with_csrf_checks_on_is_a_clear_400(users, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    client, token = _csrf_client(reverse("people:import"))
    data = {"csrfmiddlewaretoken": token} | _many_fields(60)
    response = client.post(reverse("people:import"), data)
    assert response.status_code == 400
    assert "too many" in response.content.decode().lower()


def test_a_post_with_too_many_files_is_a_clear_400(login, users, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = {f"file{i}": SimpleUploadedFile(f"{i}.csv", b"x") for i in range(5)}
    response = login("carol").post(reverse("people:import"), files)
    assert response.status_code == 400
    assert "too many files" in response.content.decode().lower()


def test_a_post_that_is_too_big_is_a_clear_400(login, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = login("carol").post(reverse("people:create"), {"first_name": "x" * 5000})
    assert response.status_code == 400
    assert "too big" in response.content.decode().lower()


# Line breaks and control characters in one-line fields --------------------------------------


@pytest.mark.parametrize("value", ["Line1\nLine2", "a\rb", "tab\there", "esc\x1b", "nel\x85"])
def test_model_full_clean_refuses_a_line_break_in_a_single_line_field(users, value):
    person = Person(first_name=value, last_name="Okafor")
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert caught.value.message_dict["first_name"] == [SINGLE_LINE_MESSAGE]


def test_model_full_clean_keeps_line_breaks_but_not_controls_in_a_text_field(users, project):
    meeting = Meeting.objects.get(pk=_meeting(project, users).pk)
    meeting.agenda = "One\r\nTwo\tthree"
    meeting.full_clean()
    meeting.agenda = "One\x0bTwo"
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert caught.value.message_dict["agenda"] == [MULTILINE_MESSAGE]


def test_a_plain_form_refuses_a_line_break(db):
    form = AuditSearchForm({"actor": "carol\nadmin"})
    assert not form.is_valid()
    assert form.errors["actor"] == [SINGLE_LINE_MESSAGE]


def test_the_public_form_refuses_a_line_break_in_a_name_but_keeps_one_in_the_message(client, db):
    form = GetInvolvedForm({"name": "Ann\nOther", "message": "Hello\nthere"})
    form.is_valid()
    assert form.errors["name"] == [SINGLE_LINE_MESSAGE]
    assert "message" not in form.errors


def test_a_staff_form_shows_the_single_line_message(login, users):
    response = login("carol").post(
        reverse("people:create"), {"first_name": "Nia\nOkafor", "last_name": "Okafor"}
    )
    assert response.status_code == 200
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert not Person.objects.filter(last_name="Okafor").exists()


def test_every_form_of_ours_checks_its_one_line_text_fields(db):
    from django import forms

    from coproduce.core.text import _our_form_classes, validate_multiline, validate_single_line

    classes = _our_form_classes()
    assert len(classes) > 20
    for form_class in classes:
        for name, field in form_class.base_fields.items():
            if type(field) is not forms.CharField or isinstance(field.widget, forms.PasswordInput):
                continue
            wanted = (
                validate_multiline
                if isinstance(field.widget, forms.Textarea)
                else validate_single_line
            )
            assert wanted in field.validators, f"{form_class.__name__}.{name}"


@pytest.fixture
def project(users):
    from coproduce.projects.models import Project

    return Project.objects.create(title="P", purpose="x", owner=users["carol"])


def _meeting(project, users):
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() + dt.timedelta(days=3)
    return Meeting.objects.create(
        project=project,
        title="T",
        channel="in_person",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        created_by=users["fiona"],
    )
