"""A tenant proposes a rewording; another tenant sees the diff and votes; the proposal is
accepted; the history shows both versions; staff cannot accept it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_rewording_is_proposed_voted_and_accepted_by_tenants(browser, live_server, users, group):
    def page_for(email):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, email)
        return context, page

    set_url = f"/promises/{group['set'].pk}/"
    ctx, alice = page_for("alice@example.org")
    alice.goto(set_url)
    alice.get_by_role("link", name="Propose a change").click()
    alice.get_by_label("Change the wording").check()
    alice.get_by_label("Which promise?").select_option(label="Listen")
    alice.get_by_label("Short title", exact=True).fill("Listen and act")
    alice.get_by_label("The promise, in your words").fill("We will always listen to you and act.")
    alice.get_by_role("button", name="Send the proposal to the group").click()
    expect(alice.get_by_text("Your proposal is open")).to_be_visible()
    proposal_url = alice.url
    ctx.close()

    ctx, carol = page_for("carol@example.org")
    carol.goto(proposal_url)
    expect(carol.get_by_text("Only tenants in the group can close the vote")).to_be_visible()
    expect(carol.get_by_role("button", name="Close the vote and decide")).to_have_count(0)
    ctx.close()

    for email in ("bob@example.org", "cath@example.org"):
        ctx, tenant = page_for(email)
        tenant.goto(proposal_url)
        expect(tenant.locator("ins").first).to_be_visible()
        screenshot(tenant, "promise-proposal-diff")
        assert axe_violations(tenant) == []
        tenant.get_by_label("For").check()
        tenant.get_by_role("button", name="Vote", exact=True).click()
        expect(tenant.get_by_text("Your vote has been counted.")).to_be_visible()
        if email.startswith("cath"):
            tenant.get_by_role("button", name="Close the vote and decide").click()
            expect(tenant.get_by_text("The group's decision: Accepted.")).to_be_visible()
            tenant.goto(f"/promises/promise/{group['promise'].pk}/")
            expect(tenant.get_by_text("Version 2", exact=False).first).to_be_visible()
            expect(
                tenant.get_by_text("We will always listen to you and act.").first
            ).to_be_visible()
            screenshot(tenant, "promise-history")
            assert axe_violations(tenant) == []
            history = tenant.locator("ol.govuk-list li")
            expect(history).to_have_count(2)
        ctx.close()


def test_promise_pages_are_accessible(page, users, group):
    sign_in(page, "alice@example.org")
    for path, name in [
        (f"/promises/{group['set'].pk}/", "promise-set"),
        (f"/promises/{group['set'].pk}/propose/", "promise-propose"),
        (f"/promises/{group['set'].pk}/rank/", "promise-rank"),
    ]:
        page.goto(path)
        screenshot(page, name)
        assert axe_violations(page) == [], name
