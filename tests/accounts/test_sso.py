"""Single sign-on against a real OpenID provider (django-oauth-toolkit in a second process),
driven through Django's test client. The browser test is tests/browser/test_sso.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from coproduce.accounts.models import SsoIdentity
from coproduce.core.models import AuditEntry
from tests.accounts.conftest import code_for
from tests.sso_provider.fixture import provider_running, sign_in_at_provider

CALLBACK = "http://testserver/accounts/sso/callback/"
PROVIDER_USERS = [
    {"email": "carol@example.org"},
    {"email": "Sam@Example.org"},
    {"email": "alice@example.org"},
    {"email": "nobody@example.org"},
    {"email": "colin@example.org", "last_name": "unverified"},
    {"email": "fiona@example.org", "first_name": "mfa"},
]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with provider_running(
        tmp_path_factory.mktemp("provider"), redirect_uris=[CALLBACK], users=PROVIDER_USERS
    ) as running:
        yield running


@pytest.fixture
def sso_on(settings, provider):
    settings.SSO_PROVIDERS = {"oidc": provider.settings("Test Org")}
    return settings


def sso_sign_in(client, email: str, next_url: str = ""):
    """Press the button, sign in at the provider, and come back; the response to the callback."""
    start = client.post(reverse("accounts:sso_start", args=["oidc"]), {"next": next_url})
    assert start.status_code == 302, start
    back = sign_in_at_provider(start["Location"], email)
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def messages_of(client, response) -> str:
    page = client.get(response["Location"])
    return page.content.decode()


def test_coordinator_signs_in_and_the_subject_is_recorded(client, users, sso_on):
    response = sso_sign_in(client, "carol@example.org", next_url="/people/")
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    identity = SsoIdentity.objects.get(user=users["carol"])
    assert identity.provider == "oidc" and identity.subject
    assert AuditEntry.objects.filter(action="sso.signed_in", actor=users["carol"]).exists()
    assert AuditEntry.objects.filter(action="login", actor=users["carol"]).exists()


def test_email_matches_whatever_its_case(client, users, sso_on):
    response = sso_sign_in(client, "Sam@Example.org")
    assert response.status_code == 302
    assert client.get(reverse("accounts:account_list")).status_code == 200


def test_a_tenant_is_refused(client, users, sso_on):
    response = sso_sign_in(client, "alice@example.org")
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "Tenants cannot sign in with an organisation account" in messages_of(client, response)
    assert "_auth_user_id" not in client.session
    assert not SsoIdentity.objects.exists()
    assert AuditEntry.objects.filter(
        action="sso.refused", object_id=str(users["alice"].pk)
    ).exists()


def test_an_unknown_email_is_refused_clearly(client, users, sso_on):
    response = sso_sign_in(client, "nobody@example.org")
    page = messages_of(client, response)
    assert "There is no staff account in coproduce for nobody@example.org" in page
    assert "_auth_user_id" not in client.session
    assert users["carol"].email not in page


def test_a_switched_off_staff_member_is_refused_the_same_way(client, users, sso_on):
    users["carol"].is_active = False
    users["carol"].save()
    response = sso_sign_in(client, "carol@example.org")
    assert "There is no staff account in coproduce for carol@example.org" in messages_of(
        client, response
    )
    assert "_auth_user_id" not in client.session


def test_an_unverified_email_is_refused(client, users, sso_on):
    response = sso_sign_in(client, "colin@example.org")
    assert "did not confirm that this email address is yours" in messages_of(client, response)
    assert "_auth_user_id" not in client.session


def test_a_different_subject_for_the_same_account_is_refused(client, users, sso_on):
    SsoIdentity.objects.create(user=users["carol"], provider="oidc", subject="someone-else")
    response = sso_sign_in(client, "carol@example.org")
    assert "linked to a different Test Org account" in messages_of(client, response)
    assert "_auth_user_id" not in client.session


def test_the_callback_twice_signs_in_once(client, users, sso_on):
    start = client.post(reverse("accounts:sso_start", args=["oidc"]))
    back = urlsplit(sign_in_at_provider(start["Location"], "carol@example.org"))
    first = client.get(f"{back.path}?{back.query}")
    assert first["Location"] == "/"
    client.logout()
    again = client.get(f"{back.path}?{back.query}")
    assert "expired or was already used" in messages_of(client, again)
    assert "_auth_user_id" not in client.session


def test_a_forged_state_is_refused(client, users, sso_on):
    start = client.post(reverse("accounts:sso_start", args=["oidc"]))
    back = urlsplit(sign_in_at_provider(start["Location"], "carol@example.org"))
    query = back.query.replace("state=", "state=x")
    response = client.get(f"{back.path}?{query}")
    assert "Signing in with Test Org did not work" in messages_of(client, response)
    assert "_auth_user_id" not in client.session


def test_our_two_step_still_applies_without_provider_mfa(client, users, sso_on, device_for):
    device = device_for(users["carol"])
    response = sso_sign_in(client, "carol@example.org")
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    done = client.post(reverse("accounts:login_verify"), {"token": code_for(device)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(users["carol"].pk)


def test_provider_mfa_counts_as_two_step(client, users, sso_on, two_step_required):
    response = sso_sign_in(client, "fiona@example.org", next_url="/people/")
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_without_provider_mfa_two_step_set_up_is_still_required(
    client, users, sso_on, two_step_required
):
    sso_sign_in(client, "carol@example.org")
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:security"))


@pytest.mark.parametrize("who,allowed", [("carol", False), ("sam", True), ("alice", True)])
def test_staff_passwords_off(client, users, sso_on, who, allowed):
    from tests.conftest import PASSWORD

    sso_on.SSO_STAFF_PASSWORDS = "off"
    response = client.post(
        reverse("accounts:login"), {"username": f"{who}@example.org", "password": PASSWORD}
    )
    if allowed:
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(users[who].pk)
    else:
        assert response.status_code == 200
        assert "Staff sign in with their organisation account" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_the_sign_in_page_shows_one_button_per_provider(client, users, sso_on):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Test Org" in page
    assert reverse("accounts:sso_start", args=["oidc"]) in page


def test_sso_off_means_no_buttons_and_no_addresses(client, users, settings):
    settings.SSO_PROVIDERS = {}
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with" not in page
    assert client.post(reverse("accounts:sso_start", args=["oidc"])).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_an_unknown_provider_is_not_found(client, users, sso_on):
    assert client.post(reverse("accounts:sso_start", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["", "code=x", "state=\nx&code=y", "state=" + "a" * 100_000 + "&code=b", "error=access_denied"],
)
def test_hostile_callbacks_change_nothing(client, users, sso_on, query):
    client.post(reverse("accounts:sso_start", args=["oidc"]))
    response = client.get(reverse("accounts:sso_callback") + "?" + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert not SsoIdentity.objects.exists()


def test_with_sso_on_the_addresses_are_public(client, users, sso_on):
    # What tests/test_permissions.py would say with a provider configured.
    start = reverse("accounts:sso_start", args=["oidc"])
    assert client.get(start).status_code == 405
    assert client.post(start)["Location"].startswith(sso_on.SSO_PROVIDERS["oidc"]["issuer"])
    callback = client.get(reverse("accounts:sso_callback"))
    assert callback["Location"].startswith(reverse("accounts:login"))
    client.force_login(users["carol"])
    assert client.post(start)["Location"] == reverse("home:home")


def test_a_token_from_another_issuer_is_refused(client, users, settings, provider):
    settings.SSO_PROVIDERS = {
        "oidc": {**provider.settings("Test Org"), "issuer": "http://elsewhere"}
    }
    response = sso_sign_in(client, "carol@example.org")
    assert "Signing in with Test Org did not work" in messages_of(client, response)
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="sso.refused", summary__contains="failed").exists()


# Confirming who you are before a sensitive page, with the provider instead of a password.


def _confirm(client, email: str, next_url: str = "/people/"):
    from coproduce.accounts.services import REAUTH_SESSION_KEY
    from tests.accounts.conftest import age_session

    age_session(client, REAUTH_SESSION_KEY, 15 * 60 + 1)
    page = client.get(reverse("accounts:reauth") + f"?next={next_url}").content.decode()
    assert "Confirm with Test Org" in page
    start = client.post(reverse("accounts:sso_confirm", args=["oidc"]), {"next": next_url})
    assert start.status_code == 302
    assert "prompt=login" in start["Location"] and "max_age=0" in start["Location"]
    back = urlsplit(sign_in_at_provider(start["Location"], email))
    return client.get(f"{back.path}?{back.query}")


def test_staff_confirm_with_the_provider_instead_of_a_password(client, users, sso_on):
    from coproduce.accounts.reauth import reauth_is_fresh

    sso_sign_in(client, "carol@example.org")
    response = _confirm(client, "carol@example.org")
    assert response["Location"] == "/people/"
    request = type("R", (), {"session": client.session})()
    assert reauth_is_fresh(request)
    assert AuditEntry.objects.filter(
        action="reauth", actor=users["carol"], summary="Confirmed with Test Org"
    ).exists()


def test_confirming_as_someone_else_is_refused(client, users, sso_on):
    from coproduce.accounts.reauth import reauth_is_fresh

    sso_sign_in(client, "carol@example.org")
    response = _confirm(client, "Sam@Example.org")
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert "different Test Org account" in client.get(response["Location"]).content.decode()
    request = type("R", (), {"session": client.session})()
    assert not reauth_is_fresh(request)
    assert int(client.session["_auth_user_id"]) == users["carol"].pk  # still carol


def test_a_provider_never_used_is_not_offered(client, users, login, sso_on):
    login("carol")  # signed in with a password: no identity at the provider yet
    page = client.get(reverse("accounts:reauth")).content.decode()
    assert "Confirm with" not in page
    response = client.post(reverse("accounts:sso_confirm", args=["oidc"]), {"next": "/"})
    assert response.status_code == 404


def test_with_passwords_off_the_password_does_not_confirm(client, users, sso_on):
    from coproduce.accounts.reauth import reauth_is_fresh
    from coproduce.accounts.services import REAUTH_SESSION_KEY
    from tests.accounts.conftest import age_session
    from tests.conftest import PASSWORD

    sso_on.SSO_STAFF_PASSWORDS = "off"
    sso_sign_in(client, "carol@example.org")
    age_session(client, REAUTH_SESSION_KEY, 15 * 60 + 1)
    page = client.get(reverse("accounts:reauth")).content.decode()
    assert "Confirm it is you" in page and 'name="password"' not in page
    response = client.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": "/"})
    assert response.status_code == 400
    request = type("R", (), {"session": client.session})()
    assert not reauth_is_fresh(request)
