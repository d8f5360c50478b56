"""The queue of texts received, in Chromium: readable at 320 px with no sideways scroll, no
serious accessibility faults, and an answer recorded from it by pressing the button."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from coproduce.messaging import kinds, services
from coproduce.messaging.kinds import Reply
from coproduce.messaging.models import ContactPreference, InboundStatus, InboundText, Status
from coproduce.people.models import Person
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

RSVP = [("yes", "Yes, I'm coming"), ("no", "No, I can't come"), ("maybe", "Maybe")]


@pytest.fixture
def queue(transactional_db, users, monkeypatch):
    monkeypatch.setattr(settings, "NOTIFY_API_KEY", "")
    recorded: list[str] = []
    reply = Reply(lambda m: RSVP, lambda m, code, actor: recorded.append(code) or "Recorded.")
    monkeypatch.setattr(kinds.get("invitation"), "reply", reply)
    ada = Person.objects.create(
        first_name="Ada", last_name="Lovelace", phone="07700 900123", contact_consent=True
    )
    ContactPreference.objects.create(person=ada, channels=["text"])
    now = timezone.now()
    noon = timezone.localtime(now).replace(hour=12)
    context = {"title": "Repairs panel", "when": "Tuesday 8 December, 6pm", "where": "Oak Hall"}
    message = services.send(
        kind="invitation", person=ada, key="invitation:1", context=context, now=noon
    )
    assert services.deliver(message.pk, now=now) == Status.SENT
    services.inbound_text_receive(
        provider_id=str(uuid.uuid4()),
        from_number="447700900123",
        body="Is there a lift at Oak Hall? My knees are bad, but I'd love to come along",
        received_at=now,
    )
    services.inbound_text_receive(
        provider_id=str(uuid.uuid4()),
        from_number="447700900999",
        body="Who is this please",
        received_at=now - dt.timedelta(minutes=5),
    )
    assert InboundText.objects.filter(status=InboundStatus.WAITING).count() == 2
    return recorded


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_admin_support_reads_the_queue_and_records_an_answer(page, live_server, users, queue):
    sign_in(page, live_server, users["adam"])
    page.goto("/")
    page.get_by_role("link", name="2 texts to read").click()
    assert page.get_by_role("heading", name="Texts received", level=1).is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "texts-queue-320")
    page.set_viewport_size({"width": 1024, "height": 800})
    screenshot(page, "texts-queue")
    card = page.locator(".govuk-summary-card", has_text="Is there a lift")
    card.get_by_label("What does the text answer?").select_option(label=None, index=1)
    card.get_by_role("button", name="Record this answer").click()
    assert page.get_by_text("Answer recorded.").is_visible()
    assert queue == ["yes"]
    assert page.locator(".govuk-summary-card").count() == 1
    # The other one: no one to answer for, so only "dealt with", and it says why.
    page.get_by_role("button", name="Mark as dealt with").click()
    assert page.get_by_text("Say what you did about this text.").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "texts-queue-error")
    page.get_by_label("What did you do?").fill("Rang back: a wrong number")
    page.get_by_role("button", name="Mark as dealt with").click()
    assert page.get_by_text("No texts are waiting.").is_visible()
