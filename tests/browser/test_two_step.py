"""With two-step sign-in required, a coordinator signs in, sets it up with a real TOTP code,
sees the recovery codes, then reaches the people list."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def required(settings):
    # The live server runs in this process, so the override reaches it.
    settings.STAFF_TWO_STEP_REQUIRED = True


def test_coordinator_sets_up_two_step_sign_in_and_reaches_people(page, users, required):
    page.goto("/people/")
    page.get_by_label("Email address").fill("carol@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/security/?next=%2Fpeople%2F")
    expect(page.get_by_text("you must set up a second step")).to_be_visible()
    screenshot(page, "two-step-set-up")
    assert axe_violations(page) == []
    # Trying to go round it sends her straight back.
    page.goto("/people/")
    page.wait_for_url("**/accounts/security/?next=%2Fpeople%2F")

    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    key = base64.b32decode(secret)
    assert key == TOTPDevice.objects.get(user=users["carol"], confirmed=False).bin_key
    page.get_by_label("6-digit code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    screenshot(page, "two-step-recovery-codes")
    assert axe_violations(page) == []

    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.wait_for_url("**/people/")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    assert TOTPDevice.objects.get(user=users["carol"]).confirmed
    screenshot(page, "two-step-people-list")
