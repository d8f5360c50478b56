"""Once two-step sign-in is required, staff reach nothing until they have done it."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.roles import STAFF_ROLES, TWO_STEP_ROLES
from coproduce.people.models import Person
from tests.accounts.conftest import code_for
from tests.conftest import PASSWORD, PERSONAS

STAFF = sorted(name for name, role in PERSONAS.items() if role in STAFF_ROLES)
TENANTS = sorted(name for name, role in PERSONAS.items() if role not in STAFF_ROLES)
SET_UP = "/accounts/security/"
VERIFY = "/accounts/login/code/"


def test_every_staff_role_must_use_two_step():
    assert TWO_STEP_ROLES == STAFF_ROLES


@pytest.mark.parametrize(
    ("debug", "expected"), [("false", "True"), ("true", "False")], ids=["production", "debug"]
)
def test_it_is_required_by_default_in_production_only(debug, expected, tmp_path):
    env = {"DEBUG": debug, "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", "import coproduce.settings as s; print(s.STAFF_TWO_STEP_REQUIRED)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected


def test_the_setting_can_turn_it_off_in_production(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "STAFF_TWO_STEP_REQUIRED": "false"}
    out = subprocess.run(
        [sys.executable, "-c", "import coproduce.settings as s; print(s.STAFF_TWO_STEP_REQUIRED)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("persona", STAFF)
def test_staff_without_two_step_are_sent_to_set_it_up(two_step_required, login, persona):
    response = login(persona).get("/")
    assert response.status_code == 302
    assert response["Location"] == SET_UP


@pytest.mark.parametrize("persona", TENANTS)
def test_tenants_are_not_asked_for_two_step(two_step_required, login, persona):
    assert login(persona).get("/").status_code == 200


def test_staff_are_not_asked_when_it_is_not_required(settings, login):
    settings.STAFF_TWO_STEP_REQUIRED = False
    assert login("carol").get(reverse("people:list")).status_code == 200


def test_the_page_asked_for_is_kept_for_after_set_up(two_step_required, login):
    response = login("carol").get("/people/?q=smith")
    assert response["Location"] == SET_UP + "?next=%2Fpeople%2F%3Fq%3Dsmith"


def test_the_set_up_page_and_sign_out_stay_open(two_step_required, login):
    client = login("carol")
    assert client.get(SET_UP).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_health_check_and_static_files_stay_open(two_step_required, login):
    client = login("carol")
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/coproduce/coproduce.css").status_code == 200


def test_htmx_requests_get_a_client_redirect(two_step_required, login):
    response = login("carol").get(
        reverse("people:list") + "?q=a",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == SET_UP + "?next=%2Fpeople%2F"
    assert b"<table" not in response.content


def test_posts_are_refused_too(two_step_required, login, users):
    bob = Person.objects.get(user=users["bob"])
    response = login("carol").post(reverse("people:edit", args=[bob.pk]), {"first_name": "X"})
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP)
    bob.refresh_from_db()
    assert bob.first_name == "Bob"


def test_setting_it_up_opens_every_page(two_step_required, login, users):
    client = login("carol")
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=users["carol"], confirmed=False)
    response = client.post(SET_UP, {"token": code_for(device), "next": "/people/"})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert b'href="/people/"' in response.content
    assert client.get(reverse("people:list")).status_code == 200


def test_staff_with_a_phone_but_no_code_this_session_must_enter_it(
    two_step_required, login, users, device_for
):
    device = device_for(users["carol"])
    client = login("carol")  # e.g. a session from before two-step was required
    response = client.get(reverse("people:list"))
    assert response["Location"] == VERIFY + "?next=%2Fpeople%2F"
    # ... and cannot reach the set-up page to swap in another phone.
    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert client.post(reverse("accounts:security_remove")).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(VERIFY, {"token": code_for(device), "next": "/people/"})
    assert response["Location"] == "/people/"
    assert client.get(reverse("people:list")).status_code == 200


def test_signing_in_with_password_and_code_reaches_pages(
    two_step_required, client, users, device_for
):
    device = device_for(users["carol"])
    client.post(reverse("accounts:login"), {"username": "carol@example.org", "password": PASSWORD})
    client.post(VERIFY, {"token": code_for(device)})
    assert client.get(reverse("people:list")).status_code == 200


def test_signing_in_without_a_phone_goes_to_set_up(two_step_required, client, users):
    response = client.post(
        reverse("accounts:login") + "?next=/people/",
        {"username": "carol@example.org", "password": PASSWORD, "next": "/people/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == SET_UP + "?next=%2Fpeople%2F"
    assert b"you must set up a second step" in response.content


# Walking every URL ------------------------------------------------------------------------


def _routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def _sample(converter, person_pk: int):
    if isinstance(converter, IntConverter):
        return person_pk
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    return "sample"


def _all_urls(users) -> list[str]:
    bob = Person.objects.get(user=users["bob"]).pk
    urls = []
    for name, pattern in _routes():
        kwargs = {key: _sample(conv, bob) for key, conv in pattern.pattern.converters.items()}
        urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


OPEN_WHILE_UNVERIFIED = {"/healthz", SET_UP, "/accounts/logout/"}


def test_an_unverified_coordinator_reaches_no_page_at_all(two_step_required, login, users):
    client = login("carol")
    urls = _all_urls(users)
    assert len(urls) > 150  # every app's pages, not a handful
    reached = {}
    for url in urls:
        if url in OPEN_WHILE_UNVERIFIED:
            continue
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or not response["Location"].startswith(SET_UP):
                reached[f"{method.__name__.upper()} {url}"] = response.status_code
    assert reached == {}


def test_the_same_walk_reaches_pages_when_not_required(settings, login, users):
    """The walk above is not empty by accident: without the requirement, it opens pages."""
    settings.STAFF_TWO_STEP_REQUIRED = False
    client = login("carol")
    opened = [url for url in _all_urls(users) if client.get(url).status_code == 200]
    assert "/people/" in opened
    bob = Person.objects.get(user=users["bob"]).pk
    assert f"/people/{bob}/" in opened
    assert len(opened) > 20
