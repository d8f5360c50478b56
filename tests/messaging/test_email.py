"""Email over real SMTP: what actually arrives, bounces, try-later and one-click unsubscribe.

A local aiosmtpd server takes the mail; Django's SMTP backend sends it, as in production.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from coproduce.core.models import AuditEntry
from coproduce.messaging import services
from coproduce.messaging.models import Channel, ContactPreference, Message, Status
from coproduce.people.models import Person
from tests.support.smtp_server import HARD_BOUNCE, TRY_LATER, SMTPServer

UK = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=UK)
CONTEXT = {
    "title": "Repairs panel",
    "when": "Tuesday 8 December, 6pm",
    "where": "Oak Hall",
    "reply_url": "http://localhost:8000/sessions/invitations/1/reply/",
}


@pytest.fixture
def smtp(settings):
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.NOTIFY_API_KEY = ""
    settings.SITE_URL = "https://coproduce.example.org"
    yield server
    server.stop()


def person(**fields) -> Person:
    values = {"first_name": "Ada", "last_name": "Lovelace", "contact_consent": True} | fields
    return Person.objects.create(**values)


def send(who: Person, key: str = "invitation:1") -> Message:
    return services.send(kind="invitation", person=who, key=key, context=CONTEXT, now=NOON)


def unsubscribe_link(smtp) -> str:
    return str(smtp.received[0].message["List-Unsubscribe"]).strip()[1:-1]


def test_the_email_that_arrives(db, smtp):
    who = person(email="ada@example.org")
    ContactPreference.objects.create(
        person=who, supporter_name="Grace Hopper", supporter_email="grace@example.org"
    )
    m = send(who)
    assert services.deliver(m.pk, now=NOON) == Status.SENT
    assert len(smtp.received) == 1
    got = smtp.received[0]
    assert sorted(got.rcpt_tos) == ["ada@example.org", "grace@example.org"]
    mail = got.message
    assert mail["To"] == "ada@example.org"
    assert mail["Cc"] == "grace@example.org"
    assert mail["Subject"] == "You are invited: Repairs panel, Tuesday 8 December, 6pm"
    body = mail.get_content()
    assert "Hello Ada," in body and 'You are invited to "Repairs panel"' in body
    unsubscribe = str(mail["List-Unsubscribe"]).strip()  # a long header may be folded
    assert unsubscribe.startswith("<https://coproduce.example.org/") and unsubscribe.endswith(">")
    assert unsubscribe[1:-1] in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    m.refresh_from_db()
    assert m.provider_id == mail["Message-ID"] and m.provider_id.startswith("<")
    assert m.sent_at == NOON


def test_a_hard_bounce_falls_back_to_the_next_channel(db, smtp):
    who = person(email="gone@example.org", address="1 Oak Street", postcode="AB1 2CD")
    smtp.refuse("gone@example.org", HARD_BOUNCE)
    m = send(who)
    assert services.deliver(m.pk, now=NOON) == Status.BOUNCED
    m.refresh_from_db()
    assert m.status == Status.BOUNCED and "refused" in m.failure
    assert smtp.received == []
    assert ContactPreference.objects.get(person=who).email_bounced_at == NOON
    letter = Message.objects.get(fallback_of=m)
    assert (letter.channel, letter.status) == (Channel.LETTER, Status.QUEUED)
    assert AuditEntry.objects.filter(action="messages.email_bounced").count() == 1
    # The next message does not try email at all.
    assert send(who, key="invitation:2").channel == Channel.LETTER


def test_try_later_is_retried(db, smtp):
    who = person(email="busy@example.org", address="1 Oak Street", postcode="AB1 2CD")
    smtp.refuse("busy@example.org", TRY_LATER)
    m = send(who)
    assert services.deliver(m.pk, now=NOON) == Status.QUEUED
    m.refresh_from_db()
    assert m.status == Status.QUEUED and m.attempts == 1
    assert m.send_after == NOON + services.BACKOFF[0]
    assert not Message.objects.filter(fallback_of=m).exists()
    assert ContactPreference.objects.filter(person=who, email_bounced_at__isnull=False).count() == 0
    # The server takes it now: the retry goes through.
    smtp.handler.refuse.clear()
    later = NOON + dt.timedelta(minutes=2)
    assert services.deliver(m.pk, now=later) == Status.SENT
    assert len(smtp.received) == 1


def test_one_click_unsubscribe_from_the_header(db, smtp):
    who = person(email="ada@example.org", phone="07700 900123")
    m = send(who)
    services.deliver(m.pk, now=NOON)
    url = unsubscribe_link(smtp)
    mail_program = Client(enforce_csrf_checks=True)  # no cookies, no CSRF token
    response = mail_program.post(
        urlsplit(url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ContactPreference.objects.get(person=who).email_opted_out_at is not None
    again = send(who, key="invitation:2")
    assert again.channel == Channel.TEXT


def test_a_tampered_unsubscribe_token_changes_nothing(db, smtp):
    who = person(email="ada@example.org")
    m = send(who)
    services.deliver(m.pk, now=NOON)
    path = urlsplit(unsubscribe_link(smtp)).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    response = Client(enforce_csrf_checks=True).post(
        tampered,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 404
    assert not ContactPreference.objects.filter(person=who, email_opted_out_at__isnull=False)
    assert not AuditEntry.objects.filter(action__startswith="messages.opted_out").exists()
