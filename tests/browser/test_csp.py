"""The Content Security Policy holds in a real browser: pages load, GOV.UK Frontend starts,
htmx search updates as you type, and nothing is refused (no inline script or style left)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coproduce.people.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Runs before any page script (it is injected by the browser's debugger, outside the page's
# policy) and reports every refusal on the console, where the test collects it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " at " + event.sourceFile);
});
"""


@pytest.fixture
def csp_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 800})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []  # type: ignore[attr-defined]

    def on_console(message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            page.problems.append(f"{message.type}: {text}")  # type: ignore[attr-defined]

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))  # type: ignore[attr-defined]
    yield page
    context.close()


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
    page.wait_for_load_state("load")
    assert_javascript_ran(page, path)


def assert_javascript_ran(page, path: str) -> None:
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes, path
    # GOV.UK Frontend marks each component it starts.
    expect(page.locator("[data-module='govuk-skip-link']")).to_have_attribute(
        "data-govuk-skip-link-init", ""
    )


def no_problems(page) -> None:
    assert page.problems == []


def test_public_pages_run_under_the_policy(csp_page, users):
    for path in ("/accounts/login/", "/people/get-involved/"):
        visit(csp_page, path)
    expect(csp_page.locator("[data-module='govuk-button']").first).to_have_attribute(
        "data-govuk-button-init", ""
    )
    no_problems(csp_page)


def test_tenant_home_runs_under_the_policy(csp_page, users):
    sign_in(csp_page, "alice@example.org")
    for path in ("/", "/people/me/", "/rewards/mine/"):
        visit(csp_page, path)
    no_problems(csp_page)


def test_coordinator_pages_and_htmx_search_run_under_the_policy(csp_page, users, area):
    Person.objects.create(first_name="Zainab", last_name="Quinn", area=area)
    sign_in(csp_page, "carol@example.org")
    for path in ("/", "/sessions/", "/projects/", "/diversity/"):
        visit(csp_page, path)
    visit(csp_page, "/people/")
    results = csp_page.locator("#results")
    expect(results).to_contain_text("Quinn")
    expect(results).to_contain_text("Alice")
    csp_page.get_by_label("Name, email, phone or reference").press_sequentially("Quin", delay=50)
    csp_page.wait_for_url("**/people/?q=Quin*")  # htmx pushed the address: it ran the search
    expect(results).to_contain_text("Quinn")
    expect(results).not_to_contain_text("Alice")
    # htmx did not add a <style> of its own (it would be refused).
    assert csp_page.evaluate("document.querySelectorAll('style').length") == 0
    no_problems(csp_page)
