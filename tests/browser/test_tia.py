"""The TIA evidence pack in a browser, on the demo organisation's year of real content: the board
member and a tenant each reach it from their home page on a 320 px screen, with no sideways
scrolling and no serious accessibility faults, and download its PDF."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from coproduce.demo.build import demo_build
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

NARROW = 320
DEMO_PASSWORD = "coproduce-demo"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(homes=300, seed=2026, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("email", "link"),
    [
        ("board@demo.coproduce.test", "Evidence pack"),
        ("tenant@demo.coproduce.test", "Tenants' evidence pack"),
    ],
)
def test_the_board_and_a_tenant_read_the_pack_on_a_phone(
    browser, live_server, demo, tmp_path, email, link
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": NARROW, "height": 800}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.locator("main").get_by_role("link", name=link, exact=True).click()
    page.wait_for_url("**/tia/")
    expect(page.get_by_role("heading", name="Tenants' evidence pack", level=1)).to_be_visible()
    for heading in ("1.3 Engagement with tenants", "1.5 Performance information"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
    screenshot(page, f"tia-320-{email.split('@')[0]}")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    pdf = tmp_path / "pack.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    context.close()
