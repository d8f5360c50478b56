"""Staff pages on messages: the outbox, one message, who could not be reached, the phone list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.messaging import kinds
from coproduce.messaging.models import Channel, Message, Status
from coproduce.people.models import Person

RECORDED: list[tuple[int, str]] = []


def _record(message, code, actor):
    if code == "broken":
        raise ValueError("That answer cannot be taken just now.")
    RECORDED.append((message.pk, code))
    return "Their answer was recorded."


ASKS = kinds.register(
    kinds.Kind(
        "staff_pages_test_question",
        "A test question",
        reply=kinds.Reply(
            options=lambda m: [("yes", "Yes"), ("no", "No"), ("broken", "Broken")],
            record=_record,
        ),
    )
)


@pytest.fixture(autouse=True)
def _clear_recorded():
    RECORDED.clear()


def person(**fields) -> Person:
    values = {"first_name": "Ada", "last_name": "Lovelace", "contact_consent": True} | fields
    return Person.objects.create(**values)


def message(who: Person, n: int = 1, **fields) -> Message:
    values = {
        "key": f"test:{n}",
        "kind": "invitation",
        "person": who,
        "channel": Channel.EMAIL,
        "status": Status.SENT,
        "to": "ada@example.org",
        "subject": "You are invited",
        "body": "Hello Ada,\n\nYou are invited to the repairs panel.",
    } | fields
    return Message.objects.create(**values)


def to_phone(who: Person, n: int = 1, **fields) -> Message:
    return message(
        who, n, channel=Channel.PHONE, status=Status.TO_PHONE, to="+441134960000", **fields
    )


# The outbox --------------------------------------------------------------------------------


def test_the_outbox_lists_every_message_newest_first(login):
    ada = person()
    message(ada, 1, subject="First")
    message(ada, 2, channel=Channel.TEXT, to="+447700900123", status=Status.QUEUED)
    body = login("carol").get(reverse("messaging:outbox")).content.decode()
    assert "2 messages found." in body
    assert body.index("Text message") < body.index("Email</td>")
    assert "app-table-scroll" in body


def test_the_outbox_filters(login):
    ada = person()
    message(ada, 1)
    message(ada, 2, channel=Channel.TEXT, to="+447700900123", status=Status.QUEUED)
    message(ada, 3, kind="reminder")
    client = login("adam")
    assert (
        "1 message found."
        in client.get(reverse("messaging:outbox"), {"channel": "text"}).content.decode()
    )
    assert (
        "1 message found."
        in client.get(reverse("messaging:outbox"), {"status": "queued"}).content.decode()
    )
    assert (
        "1 message found."
        in client.get(reverse("messaging:outbox"), {"kind": "reminder"}).content.decode()
    )
    # A crafted filter is ignored, never a crash.
    response = client.get(reverse("messaging:outbox"), {"channel": "pigeon", "page": "x"})
    assert response.status_code == 200
    # NUL is refused by the site for every request, with a plain page.
    response = client.get(reverse("messaging:outbox"), {"channel": "text\x00"})
    assert response.status_code == 400


def test_the_outbox_pages_by_fifty_in_a_fixed_number_of_queries(
    login, django_assert_max_num_queries
):
    client = login("carol")
    ada = person()
    message(ada, 0)
    client.get(reverse("messaging:outbox"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("messaging:outbox"))
    for n in range(1, 61):
        message(person(first_name=f"P{n}"), n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("messaging:outbox")).content.decode()
    assert "Page 1 of 2" in body
    assert "Page 2 of 2" in client.get(reverse("messaging:outbox"), {"page": 2}).content.decode()


def test_the_outbox_is_for_the_coordinator_and_admin_support(login):
    for name in ("fiona", "frank", "alice"):
        assert login(name).get(reverse("messaging:outbox")).status_code == 403


# One message ---------------------------------------------------------------------------------


def test_a_message_shows_the_words_as_sent_and_is_audited(login, users):
    ada = person()
    first = message(ada, 1, status=Status.BOUNCED, failure="The email address was refused.")
    second = message(
        ada,
        2,
        channel=Channel.LETTER,
        to="Ada Lovelace\n1 Oak St\nAB1 2CD",
        status=Status.TO_PRINT,
        fallback_of=first,
    )
    client = login("carol")
    body = client.get(reverse("messaging:message", args=[second.pk])).content.decode()
    assert "You are invited to the repairs panel." in body
    assert "1 Oak St" in body
    assert "Waiting to be printed" in body
    assert "The email address was refused." in body  # the chain shows why email failed
    assert reverse("messaging:message", args=[first.pk]) in body
    assert reverse("people:detail", args=[ada.pk]) in body
    entry = AuditEntry.objects.get(action="messages.viewed")
    assert entry.actor == users["carol"] and entry.object_id == str(ada.pk)


def test_a_missing_message_is_not_found(login):
    assert login("carol").get(reverse("messaging:message", args=[999])).status_code == 404


def test_text_in_a_message_is_escaped(login):
    ada = person(first_name="<script>alert(1)</script>")
    m = message(ada, body="<b>bold</b>")
    body = login("carol").get(reverse("messaging:message", args=[m.pk])).content.decode()
    assert "<script>alert" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body


# Who could not be reached --------------------------------------------------------------------


def test_who_could_not_be_reached(login):
    ada, bea = person(), person(first_name="Bea")
    message(ada, 1, status=Status.NOT_SENT, failure="No contact details we can use.", body="")
    message(bea, 2, status=Status.SENT)
    body = login("adam").get(reverse("messaging:unreached")).content.decode()
    assert "No contact details we can use." in body
    assert "Ada Lovelace" in body and "Bea Lovelace" not in body
    assert reverse("people:detail", args=[ada.pk]) in body


# The phone list ------------------------------------------------------------------------------


def outcome(client, m: Message, what: str, answer: str | None = None):
    data = {f"m{m.pk}-outcome": what}
    if answer is not None:
        data[f"m{m.pk}-answer"] = answer
    return client.post(reverse("messaging:phone_outcome", args=[m.pk]), data)


def test_the_phone_list_shows_name_number_and_script(login):
    m = to_phone(person())
    body = login("adam").get(reverse("messaging:phone_list")).content.decode()
    assert "Ada Lovelace" in body and "+441134960000" in body
    assert "You are invited to the repairs panel." in body
    assert reverse("messaging:phone_outcome", args=[m.pk]) in body
    assert "Phoned: told them" in body


def test_phoned_and_told_them(login, users):
    m = to_phone(person())
    response = outcome(login("adam"), m, "told")
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Status.PHONED and m.sent_at is not None
    assert AuditEntry.objects.filter(action="messages.phoned", actor=users["adam"]).count() == 1


def test_no_answer_keeps_them_on_the_list_with_a_note(login):
    m = to_phone(person())
    outcome(login("adam"), m, "no_answer")
    m.refresh_from_db()
    assert m.status == Status.TO_PHONE and m.failure.startswith("No answer on")
    assert m.attempts == 1


def test_could_not_reach_falls_back_to_the_next_channel(login):
    ada = person(address="1 Oak Street", postcode="AB1 2CD", phone="0113 496 0000")
    m = to_phone(ada, context={"title": "Repairs panel", "when": "Tuesday", "where": "Oak Hall"})
    client = login("carol")
    response = outcome(client, m, "unreachable")
    m.refresh_from_db()
    assert m.status == Status.FAILED
    letter = Message.objects.get(fallback_of=m)
    assert letter.channel == Channel.LETTER
    assert "goes by letter instead" in client.get(response.url).content.decode()


def test_an_answer_given_on_the_phone_is_recorded(login):
    m = to_phone(person(), kind=ASKS.name)
    body = login("adam").get(reverse("messaging:phone_list")).content.decode()
    assert "Their answer" in body and ">Yes<" in body.replace("\n", "").replace("  ", "")
    outcome(login("adam"), m, "told", answer="yes")
    m.refresh_from_db()
    assert m.status == Status.PHONED and RECORDED == [(m.pk, "yes")]


def test_an_answer_that_cannot_be_taken_changes_nothing(login):
    m = to_phone(person(), kind=ASKS.name)
    client = login("adam")
    response = outcome(client, m, "told", answer="broken")
    assert response.status_code == 302
    assert "cannot be taken" in client.get(response.url).content.decode()
    m.refresh_from_db()
    assert m.status == Status.TO_PHONE and RECORDED == []


@pytest.mark.parametrize(
    ("what", "answer", "error"),
    [
        ("", None, "Choose what happened when you phoned."),
        ("hung_up\x00", None, "NUL"),
        ("told", "maybe", "Select a valid choice"),
        ("no_answer", "yes", "Record an answer only when you spoke to them."),
        ("x" * 100_000, None, "Select a valid choice"),
    ],
)
def test_bad_outcomes_are_refused_plainly(login, what, answer, error):
    m = to_phone(person(), kind=ASKS.name)
    response = outcome(login("adam"), m, what, answer)
    assert response.status_code == 400
    assert error in response.content.decode()
    m.refresh_from_db()
    assert m.status == Status.TO_PHONE and m.attempts == 0 and RECORDED == []


def test_the_same_outcome_twice_is_one_outcome(login):
    ada = person(address="1 Oak Street", postcode="AB1 2CD")
    m = to_phone(ada, context={"title": "Repairs panel", "when": "Tuesday", "where": "Oak Hall"})
    client = login("adam")
    outcome(client, m, "unreachable")
    second = outcome(client, m, "unreachable")
    assert second.status_code == 302
    assert "already been recorded" in client.get(second.url).content.decode()
    assert Message.objects.filter(fallback_of=m).count() == 1
    assert AuditEntry.objects.filter(action="messages.phoned").count() == 1


def test_a_message_not_on_the_phone_list_cannot_be_marked(login):
    m = message(person())
    outcome(login("adam"), m, "told")
    m.refresh_from_db()
    assert m.status == Status.SENT


def test_staff_nav_has_messages_for_those_who_may_see_them(login):
    assert 'href="/messages/outbox/"' in login("carol").get(reverse("home:home")).content.decode()
    assert (
        'href="/messages/outbox/"' not in login("fiona").get(reverse("home:home")).content.decode()
    )
