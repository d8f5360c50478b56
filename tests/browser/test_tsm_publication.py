"""The published Tenant Satisfaction Measures, reached as people reach them: from the home page's
footer link to the latest year, on a 320 CSS pixel screen (WCAG 2.2 1.4.10, reflow), with no
serious accessibility failure and a PDF that really is one. Anyone may read them (anonymous, a
tenant, the board); the board member also opens the staff page from the menu."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from coproduce.demo.build import demo_build
from coproduce.tsm.models import TsmYear
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

NARROW = 320
DEMO_PASSWORD = "coproduce-demo"
TENANT = "tenant@demo.coproduce.test"
BOARD = "board@demo.coproduce.test"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(homes=300, seed=2026, stdout=io.StringIO())


def narrow_page(browser, live_server, email: str | None):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": NARROW, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
    return page


def read_the_latest_results(page, who: str) -> None:
    latest = TsmYear.objects.filter(published_at__isnull=False).order_by("-year_end").first()
    assert latest is not None, "the demo publishes its satisfaction measures"
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Tenant satisfaction results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenant satisfaction results")
    page.get_by_role("main").get_by_role("link", name=latest.label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"How satisfied our tenants are: {latest.label}"
    )
    expect(page.get_by_role("main")).to_contain_text("TP01")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW, f"{who}: the results page is {width} px wide at {NARROW} px"
    screenshot(page, f"tsm-publication-320-{who}")
    assert axe_violations(page) == [], who

    link = page.get_by_role("link", name="Download these results as a PDF")
    href = link.get_attribute("href")
    assert href
    pdf = page.request.get(href)  # with this visitor's cookies, as the click would send them
    assert pdf.status == 200, who
    assert pdf.headers["content-type"] == "application/pdf", who
    assert pdf.body().startswith(b"%PDF"), who


def test_anyone_reaches_the_published_results_from_the_footer(browser, live_server, demo):
    for who, email in (("anonymous", None), ("tenant", TENANT), ("board", BOARD)):
        page = narrow_page(browser, live_server, email)
        try:
            read_the_latest_results(page, who)
            if who == "board":
                # The board reads drafts too: the staff page is in their menu.
                menu = page.get_by_role("navigation", name="Main")
                menu.get_by_role("link", name="Satisfaction measures").click()
                expect(page.get_by_role("heading", level=1)).to_have_text(
                    "Tenant Satisfaction Measures"
                )
                assert axe_violations(page) == [], "board: staff page"
            elif who == "tenant":
                # Tenants read the results but not the staff page.
                menu = page.get_by_role("navigation", name="Main")
                expect(menu.get_by_role("link", name="Satisfaction measures")).to_have_count(0)
        finally:
            page.context.close()
