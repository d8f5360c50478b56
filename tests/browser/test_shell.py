"""Walk the shell as a tenant, a coordinator and the data-protection lead, in a real browser,
and scan every page with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coproduce.people.models import Interest
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert "Server Error" not in page.content()


def test_public_pages_are_accessible(page, users):
    for path, name in [
        ("/accounts/login/", "login"),
        ("/people/get-involved/", "get-involved"),
        ("/accounts/password-reset/", "password-reset"),
        ("/no-such-page/", "not-found"),
    ]:
        page.goto(path)
        check(page, name)


def test_tenant_walks_their_home_and_profile(page, users):
    sign_in(page, "alice@example.org")
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
    expect(page.get_by_text("What's coming up")).to_be_visible()
    expect(page.get_by_text("What I've done")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="People")).to_have_count(0)
    check(page, "tenant-home")
    nav.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    check(page, "tenant-profile")
    page.get_by_role("link", name="Change my details").click()
    check(page, "tenant-profile-edit")
    page.get_by_label("Weekends").check()
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    page.goto("/accounts/security/")
    check(page, "tenant-account")


def test_coordinator_walks_the_staff_pages(page, users):
    Interest.objects.create(name="Pat Jones", email="pat@example.org", preferred_channels=["phone"])
    sign_in(page, "carol@example.org")
    expect(page.get_by_role("heading", name="Hello, Carol")).to_be_visible()
    check(page, "coordinator-home")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="People", exact=True
    ).click()
    check(page, "people-list")
    page.get_by_label("Name, email, phone or reference").fill("Example")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Example, Bob").click()
    expect(page.get_by_role("heading", name="Bob Example")).to_be_visible()
    check(page, "person-detail")
    page.get_by_role("link", name="Change details").click()
    check(page, "person-edit")
    page.goto("/people/new/")
    check(page, "person-new")
    page.goto("/people/sign-ups/")
    check(page, "sign-ups")
    page.get_by_role("button", name="Confirm Pat Jones").click()
    expect(page.get_by_text("Pat Jones is now in the involvement pool.")).to_be_visible()
    page.goto("/people/import/")
    check(page, "import")
    page.goto("/accounts/security/")
    check(page, "staff-account-2fa")


def test_data_protection_lead_reads_the_audit_log(page, users):
    sign_in(page, "dora@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="login", exact=True).first).to_be_visible()
    check(page, "audit-log")


def test_pages_work_without_javascript(browser, live_server, users):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "carol@example.org")
    page.goto("/people/?q=Example")
    expect(page.get_by_role("link", name="Example, Alice")).to_be_visible()
    context.close()
