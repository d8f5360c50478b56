"""The one way to send: channel choice, consent, idempotency, quiet hours, retries, fallback."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from coproduce.messaging import channels, references, services
from coproduce.messaging.models import Channel, ContactPreference, Message, Status
from coproduce.messaging.senders import SENDERS, PermanentFailure, TemporaryFailure
from coproduce.people.models import Person

UK = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=UK)
CONTEXT = {
    "title": "Repairs panel",
    "when": "Tuesday 8 December, 6pm",
    "where": "Oak Hall",
    "reply_url": "http://localhost:8000/sessions/invitations/1/reply/",
}


def person(**fields) -> Person:
    values = {"first_name": "Ada", "last_name": "Lovelace", "contact_consent": True} | fields
    return Person.objects.create(**values)


def send(who: Person, key: str = "invitation:1", now=NOON) -> Message:
    return services.send(kind="invitation", person=who, key=key, context=CONTEXT, now=now)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_API_KEY = ""
    return mail.outbox


def test_email_first_when_nothing_is_said(db, outbox):
    m = send(
        person(
            email="ada@example.org", phone="07700 900123", address="1 Oak St", postcode="AB1 2CD"
        )
    )
    assert (m.channel, m.to, m.status) == (Channel.EMAIL, "ada@example.org", Status.QUEUED)
    assert m.subject == "You are invited: Repairs panel, Tuesday 8 December, 6pm"
    assert services.deliver(m.pk, now=NOON) == Status.SENT
    assert len(outbox) == 1 and outbox[0].to == ["ada@example.org"]
    assert outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_person_who_chose_post_gets_a_letter_waiting_to_print(db, outbox):
    who = person(email="ada@example.org", address="1 Oak Street, Northfield", postcode="ab1 2cd")
    ContactPreference.objects.create(person=who, channels=["letter", "email"], large_print=True)
    m = send(who)
    assert m.channel == Channel.LETTER and m.large_print
    assert m.to == "Ada Lovelace\n1 Oak Street\nNorthfield\nAB1 2CD"
    assert services.deliver(m.pk, now=NOON) == Status.TO_PRINT
    assert outbox == []


def test_the_same_key_never_sends_twice(db, outbox):
    who = person(email="ada@example.org")
    first, second = send(who), send(who)
    assert first.pk == second.pk
    services.deliver(first.pk, now=NOON)
    services.deliver(first.pk, now=NOON)
    assert len(outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_the_same_moment_makes_one_message(outbox):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is one connection; PostgreSQL runs this")
    who = person(email="ada@example.org")
    results, barrier = [], threading.Barrier(4)

    def go():
        barrier.wait()
        try:
            results.append(send(who).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(results)) == 1 and Message.objects.count() == 1


def test_no_consent_is_recorded_as_not_sent(db, outbox):
    m = send(person(email="ada@example.org", contact_consent=False))
    assert m.status == Status.NOT_SENT and "not agreed" in m.failure
    assert services.deliver(m.pk, now=NOON) == Status.NOT_SENT and outbox == []


def test_no_details_is_recorded_with_the_reason(db, outbox):
    m = send(person())
    assert m.status == Status.NOT_SENT
    assert m.failure.startswith("No contact details we can use")


def test_texts_wait_for_the_end_of_quiet_hours(db, outbox):
    who = person(phone="07700 900123")
    late = dt.datetime(2026, 12, 4, 22, 30, tzinfo=UK)
    m = send(who, now=late)
    assert m.channel == Channel.TEXT and m.to == "+447700900123"
    assert m.send_after == dt.datetime(2026, 12, 5, 8, 0, tzinfo=UK)
    assert services.deliver(m.pk, now=late) == Status.QUEUED
    assert services.deliver(m.pk, now=dt.datetime(2026, 12, 5, 8, 1, tzinfo=UK)) == Status.SENT
    m.refresh_from_db()
    assert m.provider_id == "outbox"  # no Notify key: it stays in the outbox


def test_a_landline_is_not_texted_but_rung(db, outbox):
    m = send(person(phone="0113 496 0000"))
    assert (m.channel, m.to) == (Channel.PHONE, "+441134960000")
    assert services.deliver(m.pk, now=NOON) == Status.TO_PHONE


def test_a_failing_channel_is_retried_then_falls_back(db, outbox, monkeypatch):
    who = person(phone="07700 900123", address="1 Oak St", postcode="AB1 2CD")
    ContactPreference.objects.create(person=who, channels=["text", "letter"])

    def down(message):
        raise TemporaryFailure("Notify answered 500")

    monkeypatch.setitem(SENDERS, Channel.TEXT, down)
    m = send(who)
    now = NOON
    for expected_wait in services.BACKOFF:
        assert services.deliver(m.pk, now=now) == Status.QUEUED
        m.refresh_from_db()
        assert m.send_after == now + expected_wait
        now = m.send_after
    assert services.deliver(m.pk, now=now) == Status.FAILED
    fallback = Message.objects.get(fallback_of=m)
    assert (fallback.channel, fallback.key) == (Channel.LETTER, "invitation:1~letter")
    assert fallback.subject == "You are invited: Repairs panel"  # the letter's own template
    assert services.deliver(fallback.pk, now=now) == Status.TO_PRINT


def test_a_bounce_stops_email_and_falls_back(db, outbox, monkeypatch):
    who = person(email="gone@example.org", phone="07700 900123")

    def refused(message):
        raise PermanentFailure("The email address was refused.", bounced=True)

    monkeypatch.setitem(SENDERS, Channel.EMAIL, refused)
    m = send(who)
    assert services.deliver(m.pk, now=NOON) == Status.BOUNCED
    assert ContactPreference.objects.get(person=who).email_bounced_at is not None
    assert Message.objects.get(fallback_of=m).channel == Channel.TEXT
    # The next message skips email altogether.
    assert send(who, key="invitation:2").channel == Channel.TEXT


def test_phone_numbers_are_read_as_uk_numbers():
    assert channels.mobile_number("07700 900123") == "+447700900123"
    assert channels.mobile_number("+44 (0)7700 900123") == ""  # ambiguous: not guessed
    assert channels.mobile_number("0044 7700 900123") == "+447700900123"
    assert channels.mobile_number("0113 496 0000") == ""
    assert channels.normalise_phone("call me") == ""


def test_references_catch_a_mistyped_character():
    code = references.new_reference()
    assert references.read(references.shown(code).lower()) == code
    wrong = code[:2] + ("A" if code[2] != "A" else "B") + code[3:]
    with pytest.raises(ValueError, match="not right"):
        references.read(wrong)
    swapped = code[1] + code[0] + code[2:]
    if swapped != code:
        with pytest.raises(ValueError):
            references.read(swapped)
    with pytest.raises(ValueError, match="7 letters"):
        references.read("ABC")
