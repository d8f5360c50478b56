"""A coordinator signs in through the organisation's identity provider: a real OpenID provider
(django-oauth-toolkit, tests/sso_provider) in a second process, and a real browser."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.sso_provider.fixture import PROVIDER_PASSWORD, provider_running

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(live_server, tmp_path, settings):
    with provider_running(
        tmp_path,
        redirect_uris=[f"{live_server.url}/accounts/sso/callback/"],
        users=[{"email": "carol@example.org"}, {"email": "stranger@example.org"}],
    ) as running:
        # The live server runs in this process, so the overrides reach it.
        settings.SSO_PROVIDERS = {"oidc": running.settings("Riverside Staff")}
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(running.url)
        settings.CONTENT_SECURITY_POLICY = policy
        yield running


def sign_in_at_provider(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Riverside Staff").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Provider username").fill(email)
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_coordinator_signs_in_with_the_organisation_account(page, users, provider):
    page.goto("/accounts/login/")
    screenshot(page, "sso-sign-in-page")
    assert axe_violations(page) == []
    sign_in_at_provider(page, "carol@example.org")
    page.wait_for_url("**/")
    expect(page.get_by_role("link", name="Carol (Involvement coordinator)")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "sso-coordinator-home")


def test_an_unknown_email_is_refused_with_a_clear_message(page, users, provider):
    sign_in_at_provider(page, "stranger@example.org")
    page.wait_for_url("**/accounts/login/")
    expect(
        page.get_by_text("There is no staff account in coproduce for stranger@example.org")
    ).to_be_visible()
    screenshot(page, "sso-unknown-email")
    assert axe_violations(page) == []


def test_a_staff_member_switched_off_in_coproduce_cannot_sign_in(page, users, provider):
    users["carol"].is_active = False
    users["carol"].save()
    sign_in_at_provider(page, "carol@example.org")
    page.wait_for_url("**/accounts/login/")
    expect(
        page.get_by_text("There is no staff account in coproduce for carol@example.org")
    ).to_be_visible()
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)people(/|%2F)$"))
