"""Exports and equality answers need the password entered in the last REAUTH_WINDOW seconds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.accounts.services import REAUTH_SESSION_KEY
from coproduce.core.models import AuditEntry
from coproduce.people.models import Person
from tests.accounts.conftest import age_session
from tests.conftest import PASSWORD
from tests.rewards.conftest import _media_in_tmp, offer, project, session  # noqa: F401
from tests.rewards.test_permissions import world  # noqa: F401

REAUTH = "/accounts/confirm-password/"


def test_the_default_window_is_fifteen_minutes():
    from coproduce import settings as project_settings

    assert project_settings.REAUTH_WINDOW == 15 * 60


@pytest.fixture
def bob(users):
    return Person.objects.get(user=users["bob"])


@pytest.fixture
def outreach(users, bob):
    from coproduce.diversity.models import OutreachList

    made = OutreachList.objects.create(name="North", created_by=users["carol"])
    made.people.add(bob)
    return made


@pytest.fixture
def batch(request):
    return request.getfixturevalue("world")["batch"]


@pytest.fixture
def claim(request):
    return request.getfixturevalue("world")["claim"]


def _stale(client):
    age_session(client, REAUTH_SESSION_KEY, 15 * 60 + 1)
    return client


PROTECTED = [
    ("diversity:equality_record", "dora", "person"),
    ("diversity:outreach_export", "carol", "outreach"),
    ("diversity:outreach_export", "adam", "outreach"),
    ("rewards:batch_bank_csv", "frank", "batch"),
    ("rewards:batch_bank_xlsx", "frank", "batch"),
    ("rewards:batch_vouchers_csv", "frank", "batch"),
]


def _url(request, name, kind):
    if kind == "person":
        return reverse(name, args=[request.getfixturevalue("bob").pk])
    return reverse(name, args=[request.getfixturevalue(kind).pk])


@pytest.mark.parametrize(("name", "persona", "kind"), PROTECTED)
def test_a_fresh_sign_in_counts_as_entering_the_password(request, login, name, persona, kind):
    response = login(persona).get(_url(request, name, kind))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "persona", "kind"), PROTECTED)
def test_after_the_window_the_password_is_asked_for_again(request, login, name, persona, kind):
    url = _url(request, name, kind)
    client = _stale(login(persona))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH + "?next=")
    page = client.get(response["Location"])
    assert b"Confirm your password" in page.content
    response = client.post(response["Location"], {"password": PASSWORD, "next": url})
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_a_tenants_own_receipt_does_not_ask_again(login, claim):
    url = reverse("rewards:receipt", args=[claim.pk])
    assert _stale(login("bob")).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["carol", "frank"])
def test_staff_opening_a_receipt_confirm_their_password_first(login, claim, persona):
    url = reverse("rewards:receipt", args=[claim.pk])
    assert login(persona).get(url).status_code == 200
    response = _stale(login(persona)).get(url)
    assert response["Location"].startswith(REAUTH)


def test_a_wrong_password_gives_a_clear_error_and_is_audited(login, users, bob):
    client = _stale(login("dora"))
    url = reverse("diversity:equality_record", args=[bob.pk])
    response = client.post(REAUTH, {"password": "not it", "next": url})
    assert response.status_code == 200
    assert b"That password is not right" in response.content
    assert client.get(url).status_code == 302
    entry = AuditEntry.objects.get(action="reauth.failed")
    assert entry.object_id == str(users["dora"].pk)


def test_wrong_passwords_count_against_sign_in_throttling(login, settings, bob):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = _stale(login("dora"))
    for _ in range(3):
        client.post(REAUTH, {"password": "guess"})
    response = client.post(REAUTH, {"password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    url = reverse("diversity:equality_record", args=[bob.pk])
    assert client.get(url).status_code == 302
    # ... and the same counter stops the sign-in page too.
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"), {"username": "dora@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_the_next_page_must_be_on_this_site(login):
    client = _stale(login("dora"))
    response = client.post(REAUTH, {"password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_htmx_request_gets_a_client_redirect(login, bob):
    client = _stale(login("dora"))
    response = client.get(
        reverse("diversity:equality_record", args=[bob.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == REAUTH + "?next=%2Fpeople%2F"


def test_staff_who_may_not_see_the_page_are_still_refused_after_confirming(login, bob):
    client = login("frank")
    assert client.get(reverse("diversity:equality_record", args=[bob.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, bob):
    response = client.get(reverse("diversity:equality_record", args=[bob.pk]))
    assert response["Location"].startswith("/accounts/login/")


def test_the_reauth_page_needs_sign_in(client, db):
    assert client.get(REAUTH)["Location"].startswith("/accounts/login/")
