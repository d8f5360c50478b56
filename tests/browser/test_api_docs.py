"""The API's interactive docs (Swagger UI, served from our own static files) work under the
Content Security Policy, and the system admin's token pages fit a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_csp import csp_page, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_swagger_ui_shows_the_operations(csp_page, users):  # noqa: F811
    response = csp_page.goto("/api/v1/docs")
    assert response is not None and response.status == 200
    expect(csp_page.get_by_text("/api/v1/people/", exact=True).first).to_be_visible()
    assert csp_page.problems == []
    for width in (320, 1280):
        csp_page.set_viewport_size({"width": width, "height": 800})
        # Open one operation too, so its parameters and responses are checked as well.
        if width == 1280:
            csp_page.locator(".opblock-summary").first.click()
            expect(csp_page.locator(".opblock-body").first).to_be_visible()
        # Our colours fix swagger-ui's contrast; its nested buttons and unlabelled scroll
        # boxes are its own markup (see NOT_OUR_MARKUP in tests/support/crawl.py).
        contrast = [v for v in axe_violations(csp_page) if v["id"] == "color-contrast"]
        assert contrast == [], width


def test_token_pages_at_320_px(browser, live_server, users):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, "sam@example.org")
    page.goto("/accounts/confirm-password/?next=/api-tokens/new/")
    from tests.conftest import PASSWORD

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/api-tokens/new/")
    page.get_by_label("Name").fill("Housing system")
    page.get_by_label("Owner").select_option(label="Carol Example (carol@example.org)")
    page.get_by_label("Read people's records").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("Copy the token now")).to_be_visible()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("cp_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path="/tmp/token_320.png", full_page=True)
    context.close()
