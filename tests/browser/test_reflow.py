"""Reflow (WCAG 2.2 1.4.10): the pages a tenant reads most fit a 320 CSS pixel screen with no
sideways scrolling. The demo organisation gives them real, long content (52 sessions, rewards,
a health check with a report), and the test reaches each page by following links, as a tenant
would."""

from __future__ import annotations

import io
import re

import pytest

from coproduce.demo.build import demo_build
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

NARROW = 320
DEMO_PASSWORD = "coproduce-demo"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(homes=300, seed=2026, stdout=io.StringIO())


@pytest.fixture
def narrow_page(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": NARROW, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("tenant@demo.coproduce.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    yield page
    context.close()


def first_link(page, path: str, pattern: str) -> str:
    """The first link on `path` whose address matches `pattern` (a regular expression)."""
    page.goto(path)
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = [h for h in hrefs if re.fullmatch(pattern, h)]
    assert found, f"no link like {pattern} on {path}"
    return found[0]


def width_of(page, path: str) -> int:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_tenants_pages_fit_a_320_pixel_screen(narrow_page):
    page = narrow_page
    project = first_link(page, "/projects/", r"/projects/\d+/")
    session = first_link(page, "/sessions/", r"/sessions/\d+/")
    check = first_link(page, "/health-checks/", r"/health-checks/\d+/")
    pages = {
        "tenant home": "/",
        "my rewards": "/rewards/mine/",
        "a yearly reward summary": first_link(
            page, "/rewards/mine/", r"/rewards/mine/summary/\d+/"
        ),
        "a project": project,
        "a promise set": first_link(page, "/promises/", r"/promises/\d+/"),
        "a printable session": f"{session}print/",
        "a health-check report": f"{check}report/",
    }
    widths = {name: width_of(page, path) for name, path in pages.items()}
    assert widths == {name: min(w, NARROW) for name, w in widths.items()}, widths

    # What a phone user sees, kept for people to look at (390 px: a common phone).
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("tenant home", "a promise set", "my rewards", "a health-check report"):
        page.goto(pages[name])
        screenshot(page, "reflow-390-" + name.replace(" ", "-"))
