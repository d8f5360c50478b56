"""A facilitator sets up a session and books a room; a tenant replies. Every page scanned by axe."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from coproduce.meetings.models import Invitation, Room, Rsvp, Venue
from coproduce.projects.models import Project
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


def test_facilitator_sets_up_a_session_and_a_tenant_replies(browser, live_server, page, users):
    project = Project.objects.create(
        title="Customer promises", purpose="Write them together", owner=users["carol"]
    )
    venue = Venue.objects.create(name="Riverside Centre", step_free=True, hearing_loop=True)
    Room.objects.create(venue=venue, name="Main hall", capacity=30, cost_per_hour=Decimal("25"))

    sign_in(page, "fiona@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Sessions", exact=True)).to_be_visible()
    check(page, "sessions-list")
    page.get_by_role("link", name="Add a session").click()
    check(page, "session-new")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page, "session-new-errors")
    page.get_by_label("Project").select_option(label=project.title)
    page.get_by_label("Session name").fill("Repairs promise workshop")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Starts", exact=True).fill("2027-01-14T18:30")
    page.get_by_label("Ends", exact=True).fill("2027-01-14T20:00")
    page.get_by_label("Most people who can take part").fill("20")
    page.get_by_label("Agenda").fill("1. Welcome\n2. What good repairs look like")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Repairs promise workshop")).to_be_visible()
    expect(page.get_by_text("6:30pm to 8:00pm")).to_be_visible()
    check(page, "session-detail")

    page.get_by_label("Room").select_option(index=1)
    page.get_by_role("button", name="Book room").click()
    expect(page.get_by_text("is booked for this session")).to_be_visible()
    check(page, "session-room-booked")

    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("Find people by name or reference").fill("Alice")
    page.get_by_role("button", name="Find people").click()
    page.get_by_label("Alice Example (T-ALICE)").check()
    check(page, "session-invite")
    page.get_by_role("button", name="Invite the people I ticked").click()
    expect(page.get_by_text("1 person invited.")).to_be_visible()

    page.get_by_role("link", name="Record who took part").click()
    check(page, "session-register")
    page.goto(page.url.replace("register/", "print/"))
    check(page, "session-print")

    tenant = browser.new_context(base_url=live_server.url)
    tpage = tenant.new_page()
    sign_in(tpage, "alice@example.org")
    expect(tpage.get_by_role("link", name="Repairs promise workshop", exact=True)).to_be_visible()
    check(tpage, "tenant-home-invited")
    tpage.get_by_role("button", name=re.compile(r"^Coming\s+to Repairs")).click()
    expect(tpage.get_by_text("We have your reply")).to_be_visible()
    assert Invitation.objects.get().rsvp == Rsvp.YES
    check(tpage, "tenant-home-replied")
    tpage.get_by_role("link", name="Repairs promise workshop", exact=True).click()
    check(tpage, "tenant-session-detail")
    tenant.close()

    # The reply buttons are plain forms: they work with JavaScript switched off.
    no_js = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    npage = no_js.new_page()
    sign_in(npage, "alice@example.org")
    npage.get_by_role("button", name=re.compile(r"^Maybe\s+coming to Repairs")).click()
    expect(npage.get_by_text("We have your reply")).to_be_visible()
    assert Invitation.objects.get().rsvp == Rsvp.MAYBE
    no_js.close()
