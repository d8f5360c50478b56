"""Texts coming back in: STOP, answers to what we texted, and everything else queued for a person.

The reading rules are pure functions (`inbound.py`, `callbacks.py`), tested first; then texts
arrive the way Notify sends them, through the signed callback.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.messaging import callbacks, inbound, kinds, services
from coproduce.messaging.kinds import Kind, Reply
from coproduce.messaging.models import (
    Channel,
    ContactPreference,
    InboundStatus,
    InboundText,
    Message,
    Status,
)
from coproduce.people.models import Person

RSVP = [("yes", "Yes, I'm coming"), ("no", "No, I can't come"), ("maybe", "Maybe")]
CONTEXT = {"title": "Repairs panel", "when": "Tuesday 8 December, 6pm", "where": "Oak Hall"}


# --- reading a text (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop", " Stop. ", "STOP ALL", "stop all!", "Unsubscribe", "StopAll", "STOP 🛑"],
)
def test_stop_in_its_usual_forms(text):
    assert inbound.is_stop(text)


@pytest.mark.parametrize("text", ["Don't stop", "STOP IT", "stopped", "", "please stop texting"])
def test_stop_is_not_guessed(text):
    assert not inbound.is_stop(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("YES", "yes"),
        ("yes!", "yes"),
        (" Y ", "yes"),
        ("Yeah 👍", "yes"),
        ("1", "yes"),
        ("1.", "yes"),
        ("no", "no"),
        ("N", "no"),
        ("nope", "no"),
        ("2", "no"),
        ("maybe", "maybe"),
        ("not sure", "maybe"),
        ("3", "maybe"),
        ("No, I can't come", "no"),
        ("no i cant come", None),  # not the label, not a saying: a person reads it
        ("4", None),
        ("yes and no", None),
        ("", None),
        ("Yes I'll be there", None),
    ],
)
def test_an_answer_is_read_against_the_choices(text, code):
    assert inbound.read_answer(text, RSVP) == code


def test_codes_and_labels_of_other_choices_count_but_sayings_only_for_yes_no_maybe():
    options = [("morning", "Mornings"), ("evening", "Evenings")]
    assert inbound.read_answer("Evenings", options) == "evening"
    assert inbound.read_answer("MORNING", options) == "morning"
    assert inbound.read_answer("yes", options) is None
    # Two choices that fit the same words: not guessed.
    assert inbound.read_answer("1", [("1", "One"), ("2", "1")]) is None


def test_the_senders_number_is_read_as_we_store_numbers():
    assert inbound.sender_number("447700912345") == "+447700912345"
    assert inbound.sender_number("07700 912345") == "+447700912345"
    assert inbound.sender_number("+447700912345") == "+447700912345"
    assert inbound.sender_number("GOVUK") == ""


def test_choices_in_words():
    assert inbound.choices_in_words(RSVP) == "Yes, I'm coming, No, I can't come or Maybe"
    assert inbound.choices_in_words([("a", "A")]) == "A"


def test_a_received_text_callback_is_read():
    text = callbacks.read_received_text(
        {
            "id": "a1",
            "source_number": "447700912345",
            "destination_number": "07700987654",
            "message": "Yes",
            "date_received": "2026-12-04T12:15:30.000000Z",
        }
    )
    assert text.received_at == dt.datetime(2026, 12, 4, 12, 15, 30, tzinfo=dt.UTC)
    assert (text.provider_id, text.from_number, text.body) == ("a1", "447700912345", "Yes")


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"id": None}, "no 'id'"),
        ({"source_number": ""}, "no 'source_number'"),
        ({"message": None}, "no 'message'"),
        ({"message": 12}, "no 'message'"),
        ({"date_received": "yesterday"}, "'date_received' is not a date"),
        ({"date_received": None}, "no 'date_received'"),
    ],
)
def test_a_received_text_callback_with_a_field_missing_is_refused(change, detail):
    data = {
        "id": "a1",
        "source_number": "447700912345",
        "message": "Yes",
        "date_received": "2026-12-04T12:15:30.000000Z",
    } | change
    with pytest.raises(callbacks.CallbackError, match=detail):
        callbacks.read_received_text({k: v for k, v in data.items() if v is not None})


def test_notify_statuses_map_to_ours():
    def status(name):
        return callbacks.read_status({"id": "n1", "status": name}).status

    assert status("delivered") == Status.DELIVERED
    assert status("permanent-failure") == Status.FAILED
    assert status("temporary-failure") == Status.FAILED
    assert status("technical-failure") == Status.FAILED
    assert status("returned-letter") == Status.RETURNED
    assert status("sending") is None
    report = callbacks.read_status({"id": "n1", "status": "new-status-from-notify"})
    assert report.status is None and not report.known
    returned = callbacks.read_status({"notification_id": "n2", "reference": "invitation:1"})
    assert (returned.provider_id, returned.status, returned.reference) == (
        "n2",
        Status.RETURNED,
        "invitation:1",
    )


def test_the_bearer_token_is_checked_exactly():
    assert callbacks.bearer_ok("Bearer s3cret-token", "s3cret-token")
    assert callbacks.bearer_ok("bearer  s3cret-token ", "s3cret-token")
    assert not callbacks.bearer_ok("Bearer s3cret-tokenx", "s3cret-token")
    assert not callbacks.bearer_ok("Bearer", "s3cret-token")
    assert not callbacks.bearer_ok("Bearer é", "s3cret-token")  # not ASCII: no crash
    assert not callbacks.bearer_ok("Bearer ", "")
    assert not callbacks.bearer_ok(None, "s3cret-token")


# --- texts arriving through the callback -------------------------------------------------------


@pytest.fixture
def replies(monkeypatch):
    """Invitations take replies (yes / no / maybe), recorded into this list. "maybe" is refused
    for a session marked full, as a real reply might refuse an answer."""
    recorded: list[tuple[int, str, object]] = []

    def record(message, code, actor):
        if code == "maybe" and message.context.get("full"):
            raise ValueError("The session is full, so 'maybe' cannot be taken.")
        recorded.append((message.pk, code, actor))
        return f"Recorded: {code}."

    monkeypatch.setattr(kinds.get("invitation"), "reply", Reply(lambda m: RSVP, record))
    return recorded


@pytest.fixture
def poll(monkeypatch, replies):
    """A second kind that takes replies, registered for the test (its texts are made directly,
    as it has no templates)."""
    kind = Kind(
        "test_poll",
        "Test poll",
        channels=(Channel.TEXT,),
        reply=Reply(
            lambda m: [("yes", "Yes"), ("no", "No")],
            lambda m, code, actor: replies.append((m.pk, code, actor)) or "Poll answered.",
        ),
    )
    monkeypatch.setitem(kinds._KINDS, "test_poll", kind)
    return kind


def ada(**fields) -> Person:
    values = {"first_name": "Ada", "last_name": "Lovelace", "contact_consent": True}
    who = Person.objects.create(**(values | {"phone": "07700 900123"} | fields))
    ContactPreference.objects.create(person=who, channels=["text", "email"])
    return who


def texted(who: Person, key: str = "invitation:1", *, ago: dt.timedelta = dt.timedelta(hours=1),
           context: dict | None = None) -> Message:  # fmt: skip
    """An invitation texted to `who` (`ago` before now), through the outbox sender."""
    now = timezone.now() - ago
    noon = timezone.localtime(now).replace(hour=12)
    m = services.send(kind="invitation", person=who, key=key, context=context or CONTEXT, now=noon)
    assert services.deliver(m.pk, now=now) == Status.SENT
    m.refresh_from_db()
    return m


def arrive(client, notify, number: str, words: str, **kw) -> InboundText:
    payload = notify.received_text_payload(number, words, **kw)
    response = client.post(
        reverse("messaging:notify_inbound"),
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {notify.callback_token}",
    )
    assert response.status_code == 200, response.content
    return InboundText.objects.get(provider_id=payload["id"])


@pytest.fixture
def outbox_texts(settings):
    settings.NOTIFY_API_KEY = ""  # texts "sent" to the outbox; callbacks still signed


def test_stop_stops_texts_and_the_next_message_skips_them(db, client, notify, outbox_texts):
    who = ada(email="ada@example.org")
    texted(who)
    text = arrive(client, notify, "447700900123", " stop! ")
    assert text.status == InboundStatus.MATCHED
    assert text.person == who and text.outcome == "Texts stopped (1 person at this number)."
    assert ContactPreference.objects.get(person=who).text_opted_out_at is not None
    assert AuditEntry.objects.filter(action="messages.opted_out_text").count() == 1
    nxt = services.send(kind="invitation", person=who, key="invitation:2", context=CONTEXT)
    assert nxt.channel == Channel.EMAIL
    again = arrive(client, notify, "447700900123", "STOP")
    assert again.outcome == "Texts were already stopped (1 person at this number)."


def test_stop_from_a_number_we_never_texted_waits_for_a_person(db, client, notify):
    text = arrive(client, notify, "447700900555", "STOP")
    assert text.status == InboundStatus.WAITING and text.person is None
    assert "never texted" in text.outcome


def test_a_yes_is_recorded_as_the_answer(db, client, notify, outbox_texts, replies):
    who = ada()
    m = texted(who)
    text = arrive(client, notify, "447700900123", "Yes!")
    assert replies == [(m.pk, "yes", None)]  # recorded as the person's own answer
    assert (text.status, text.person, text.message) == (InboundStatus.MATCHED, who, m)
    assert text.outcome == "Recorded: yes."
    m.refresh_from_db()
    assert m.replied_at is not None


def test_the_same_text_twice_is_one_row_and_one_answer(db, client, notify, outbox_texts, replies):
    texted(ada())
    text_id = str(uuid.uuid4())
    first = arrive(client, notify, "447700900123", "YES", text_id=text_id)
    second = arrive(client, notify, "447700900123", "YES", text_id=text_id)
    assert first.pk == second.pk
    assert InboundText.objects.count() == 1 and len(replies) == 1


def test_an_unknown_numbers_text_is_queued(db, client, notify, replies):
    text = arrive(client, notify, "447700900999", "Yes")
    assert text.status == InboundStatus.WAITING and text.person is None
    assert text.outcome == "We do not know this number: we have never texted it."
    assert replies == []


def test_a_text_we_cannot_read_waits_with_the_reason(db, client, notify, outbox_texts, replies):
    who = ada()
    m = texted(who)
    text = arrive(client, notify, "447700900123", "Can I bring my daughter?")
    assert (text.status, text.person, text.message) == (InboundStatus.WAITING, who, m)
    assert text.outcome.startswith(
        "We could not read this as one of the choices (Yes, I'm coming, No, I can't come or "
        "Maybe) on the session invitation texted on"
    )
    assert replies == []


def test_an_answer_the_reply_refuses_waits_with_its_reason(
    db, client, notify, outbox_texts, replies
):
    texted(ada(), context=CONTEXT | {"full": True})
    text = arrive(client, notify, "447700900123", "maybe")
    assert text.status == InboundStatus.WAITING
    assert text.outcome == (
        "The answer could not be recorded: The session is full, so 'maybe' cannot be taken."
    )


def test_a_reply_to_a_text_older_than_30_days_is_queued(db, client, notify, outbox_texts, replies):
    who = ada()
    texted(who, ago=dt.timedelta(days=31))
    text = arrive(client, notify, "447700900123", "yes")
    assert text.status == InboundStatus.WAITING and text.person == who
    assert "not texted this number anything to reply to in the last 30 days" in text.outcome
    assert replies == []


def test_a_yes_that_could_answer_two_messages_is_not_guessed(
    db, client, notify, outbox_texts, poll, replies
):
    who = ada()
    texted(who)
    Message.objects.create(
        key="poll:1",
        kind="test_poll",
        person=who,
        channel=Channel.TEXT,
        to="+447700900123",
        body="Do you like the new bins? Reply YES or NO",
        status=Status.SENT,
        sent_at=timezone.now(),
    )
    text = arrive(client, notify, "447700900123", "yes")
    assert text.status == InboundStatus.WAITING
    assert text.outcome == (
        "This could answer more than one message (session invitation, test poll): choose which."
    )
    assert replies == []
    # "maybe" fits only the invitation.
    arrive(client, notify, "447700900123", "maybe")
    assert [code for _, code, _ in replies] == ["maybe"]


def test_once_answered_a_new_reply_changes_the_latest_answer(
    db, client, notify, outbox_texts, replies
):
    m = texted(ada())
    arrive(client, notify, "447700900123", "yes")
    arrive(client, notify, "447700900123", "no")
    assert [(pk, code) for pk, code, _ in replies] == [(m.pk, "yes"), (m.pk, "no")]


def test_a_fault_while_reading_leaves_the_text_in_the_queue(
    db, client, notify, outbox_texts, monkeypatch, caplog
):
    texted(ada())

    def broken(message, code, actor):
        raise RuntimeError("a bug in a reply")

    monkeypatch.setattr(kinds.get("invitation"), "reply", Reply(lambda m: RSVP, broken))
    text = arrive(client, notify, "447700900123", "yes")
    assert text.status == InboundStatus.WAITING
    assert text.outcome.startswith("Something went wrong reading this text")
    assert "a bug in a reply" in caplog.text


def test_a_text_with_a_nul_character_is_stored_without_it(db, client, notify):
    text = arrive(client, notify, "447700900999", "hello\x00there")
    assert text.body == "hellothere"


# --- the queue page ----------------------------------------------------------------------------


def waiting(who: Person | None = None, words: str = "Who is this?", **fields) -> InboundText:
    return InboundText.objects.create(
        provider_id=str(uuid.uuid4()),
        from_number="+447700900123",
        body=words,
        received_at=fields.pop("received_at", timezone.now()),
        status=InboundStatus.WAITING,
        person=who,
        outcome="We could not read this.",
        **fields,
    )


def test_the_queue_lists_waiting_texts_newest_first_in_constant_queries(
    db, login, outbox_texts, replies, django_assert_max_num_queries
):
    client = login("adam")
    now = timezone.now()
    for i in range(12):
        who = ada(phone=f"07700 9001{i:02d}", last_name=f"L{i}")
        texted(who, key=f"invitation:{i}")
        waiting(who, words=f"text {i}", received_at=now - dt.timedelta(minutes=i))
    waiting(None, words="unknown", received_at=now - dt.timedelta(hours=1))
    InboundText.objects.create(
        provider_id="done", from_number="+4477", body="old", received_at=now,
        status=InboundStatus.RESOLVED,
    )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = client.get(reverse("messaging:inbound"))
    assert response.status_code == 200
    cards = response.context["cards"]
    assert [c["text"].body for c in cards][:3] == ["text 0", "text 1", "text 2"]
    assert len(cards) == 13 and cards[-1]["has_choices"] is False
    assert b"Yes, I&#x27;m coming" in response.content
    assert b"old" not in response.content
    assert AuditEntry.objects.filter(action="messages.texts_viewed").count() == 1


def test_staff_record_the_answer_a_text_gives_on_the_persons_behalf(
    db, login, users, outbox_texts, replies
):
    who = ada()
    m = texted(who)
    text = waiting(who, words="Defo coming x")
    response = login("carol").post(
        reverse("messaging:inbound_resolve", args=[text.pk]),
        {"action": "answer", f"t{text.pk}a-answer": f"{m.pk}:yes"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("messaging:inbound")
    assert replies == [(m.pk, "yes", users["carol"])]
    text.refresh_from_db()
    assert (text.status, text.message, text.resolved_by) == (
        InboundStatus.RESOLVED,
        m,
        users["carol"],
    )
    assert text.outcome == "Answer recorded by staff: Recorded: yes."
    assert AuditEntry.objects.filter(action="messages.text_answered", actor=users["carol"]).exists()
    # The same form again (a double click): one answer, and a plain message.
    again = login("carol").post(
        reverse("messaging:inbound_resolve", args=[text.pk]),
        {"action": "answer", f"t{text.pk}a-answer": f"{m.pk}:yes"},
        follow=True,
    )
    assert b"That text has already been dealt with." in again.content
    assert len(replies) == 1


def test_an_answer_for_someone_elses_message_is_refused(db, login, outbox_texts, replies):
    who, other = ada(), ada(phone="07700 900456", first_name="Bo")
    theirs = texted(other, key="invitation:other")
    texted(who)
    text = waiting(who)
    response = login("carol").post(
        reverse("messaging:inbound_resolve", args=[text.pk]),
        {"action": "answer", f"t{text.pk}a-answer": f"{theirs.pk}:yes"},
    )
    assert response.status_code == 400
    assert b"Choose one of the answers in the list." in response.content
    assert replies == []
    text.refresh_from_db()
    assert text.status == InboundStatus.WAITING


def test_an_answer_must_be_chosen(db, login, outbox_texts, replies):
    who = ada()
    texted(who)
    text = waiting(who)
    response = login("adam").post(
        reverse("messaging:inbound_resolve", args=[text.pk]), {"action": "answer"}
    )
    assert response.status_code == 400
    assert b"Choose the answer this text gives." in response.content
    assert b"govuk-error-summary" in response.content


def test_the_reply_refusing_an_answer_shows_its_reason_beside_the_field(
    db, login, outbox_texts, replies
):
    who = ada()
    m = texted(who, context=CONTEXT | {"full": True})
    text = waiting(who)
    response = login("adam").post(
        reverse("messaging:inbound_resolve", args=[text.pk]),
        {"action": "answer", f"t{text.pk}a-answer": f"{m.pk}:maybe"},
    )
    assert response.status_code == 400
    assert b"The session is full" in response.content


def test_staff_mark_a_text_dealt_with_and_say_how(db, login, users):
    text = waiting(None)
    url = reverse("messaging:inbound_resolve", args=[text.pk])
    empty = login("carol").post(url, {"action": "close", f"t{text.pk}d-note": "  "})
    assert empty.status_code == 400 and b"Say what you did about this text." in empty.content
    broken = login("carol").post(url, {"action": "close", f"t{text.pk}d-note": "a\nb"})
    assert broken.status_code == 400
    done = login("carol").post(url, {"action": "close", f"t{text.pk}d-note": "Rang them back"})
    assert done.status_code == 302
    text.refresh_from_db()
    assert text.status == InboundStatus.RESOLVED
    assert text.outcome == "Dealt with by staff: Rang them back"
    assert AuditEntry.objects.filter(action="messages.text_dealt_with").exists()


def test_one_text_has_its_own_page(db, login):
    text = waiting(None, words="Is the meeting still on?")
    response = login("adam").get(reverse("messaging:inbound_resolve", args=[text.pk]))
    assert response.status_code == 200
    assert b"Is the meeting still on?" in response.content
    assert b"What does the text answer?" not in response.content  # nobody to answer for


def test_the_queue_is_on_the_home_page_and_in_the_menu(db, login):
    waiting(None)
    response = login("carol").get(reverse("home:home"))
    assert b"1 text to read" in response.content
    assert reverse("messaging:inbound").encode() in response.content
    fiona = login("fiona").get(reverse("home:home"))
    assert reverse("messaging:inbound").encode() not in fiona.content


@pytest.mark.django_db(transaction=True)
def test_the_same_text_at_the_same_moment_is_taken_in_once(settings, replies):
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is one connection; PostgreSQL runs this")
    settings.NOTIFY_API_KEY = ""
    texted(ada())
    results, barrier = [], threading.Barrier(4)

    def go():
        barrier.wait()
        try:
            results.append(
                services.inbound_text_receive(
                    provider_id="same-text",
                    from_number="447700900123",
                    body="yes",
                    received_at=timezone.now(),
                ).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(results)) == 1 and InboundText.objects.count() == 1
    assert [code for _, code, _ in replies] == ["yes"]
