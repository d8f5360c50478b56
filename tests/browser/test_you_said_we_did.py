"""The coordinator tells a project's members what was done about a decision ("you said, we
did"): the button sits beside the feedback, works at 320 px, and the message goes out once."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from coproduce.messaging.models import Message
from coproduce.people.models import Person
from coproduce.projects.models import Decision, Project, ProjectMember
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_sessions import sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_tells_members_what_we_did(browser, live_server, page, users):
    project = Project.objects.create(
        title="Customer promises", purpose="Write them together", owner=users["carol"]
    )
    alice = Person.objects.get(user=users["alice"])
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    ProjectMember.objects.create(project=project, person=alice, joined_on=dt.date(2025, 1, 1))
    Decision.objects.create(
        project=project,
        decided_on=dt.date(2025, 2, 1),
        summary="Six promises, not ten",
        decided_by="tenants",
        tenant_views="Ten was too many to remember.",
        feedback="We kept six, and put them on every letter.",
    )
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "carol@example.org")
    page.goto(f"/projects/{project.pk}/#decisions")
    button = page.get_by_role("button", name="Tell participants about Six promises, not ten")
    expect(button).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "decision-tell-320")
    assert axe_violations(page) == []
    button.click()
    expect(page.get_by_text("is on its way to 1 person")).to_be_visible()
    expect(page.get_by_text("Members told on")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "decision-told-320")
    assert axe_violations(page) == []
    assert Message.objects.filter(kind="you_said_we_did", person=alice).count() == 1
