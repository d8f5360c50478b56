"""The fast screen for reply slips: the reference and the ticked boxes, recorded on behalf."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.diversity.models import QuickQuestionRecipient, RecordedVia
from coproduce.messaging import references, services
from coproduce.messaging.forms import read_boxes
from coproduce.messaging.models import Message, Status
from tests.messaging.conftest import ask, poster

URL = "messaging:reply_slips"


def recipient_of(message: Message) -> QuickQuestionRecipient:
    return QuickQuestionRecipient.objects.get(pk=int(message.about.rpartition(":")[2]))


def typed(message: Message) -> str:
    """The code as someone might type it: small letters, no dash."""
    return message.reference.lower()


def enter(client, reference: str, ticked: str, **more):
    return client.post(reverse(URL), {"reference": reference, "ticked": ticked, **more})


def test_a_slip_is_recorded_on_behalf_and_the_blank_form_comes_back(login, letters_waiting):
    message = letters_waiting[0]
    client = login("adam")
    response = enter(client, typed(message), "2")
    assert response.status_code == 302 and response["Location"] == reverse(URL)
    page = client.get(reverse(URL))
    html = page.content.decode()
    assert "Recorded for Ada Lovelace1: Most weeks" in html
    # The cursor is back in the reference box, and the form is empty.
    assert re.search(r'<input[^>]*name="reference"[^>]*autofocus', html)
    assert 'value="' + typed(message) not in html
    recipient = recipient_of(message)
    assert recipient.answer_1 == "Most weeks" and recipient.answered_at
    assert recipient.recorded_via == RecordedVia.POST
    assert recipient.recorded_by.email == "adam@example.org"
    message.refresh_from_db()
    assert message.replied_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"messages.reply_recorded", "quick_question.answer_recorded"} <= actions


def test_a_pile_of_slips_goes_one_after_another(login, letters_waiting):
    client = login("adam")
    for message, box in zip(letters_waiting, ("1", "3", "4"), strict=True):
        shown = references.shown(message.reference)
        assert enter(client, shown, box).status_code == 302
    answers = [recipient_of(m).answer_1 for m in letters_waiting]
    assert answers == ["Yes, always", "No, often late", "Not sure"]
    assert b"Slips entered so far: 3" in client.get(reverse(URL)).content


def test_the_same_code_twice_says_when_and_keeps_the_first_answer(login, letters_waiting):
    message = letters_waiting[0]
    client = login("adam")
    enter(client, typed(message), "1")
    again = enter(client, typed(message), "2")
    assert again.status_code == 200
    html = again.content.decode()
    assert "An answer was already recorded on" in html
    assert "Change the answer already recorded to this one" in html
    assert re.search(r'<input[^>]*name="change"[^>]*autofocus', html)
    assert recipient_of(message).answer_1 == "Yes, always"
    # Staff confirm the change: the answer is replaced, once.
    changed = enter(client, typed(message), "2", change="on")
    assert changed.status_code == 302
    assert recipient_of(message).answer_1 == "Most weeks"


def test_an_answer_given_online_first_is_not_overwritten_by_a_slip(login, letters_waiting):
    message = letters_waiting[0]
    recipient = recipient_of(message)
    Client().post(  # the person's own link: no sign-in
        reverse("diversity:quick_answer_public", args=[recipient.token]), {"answer_1": "Not sure"}
    )
    response = enter(login("adam"), typed(message), "1")
    assert b"already recorded on" in response.content
    assert recipient_of(message).answer_1 == "Not sure"


@pytest.mark.parametrize(
    ("reference", "ticked", "says"),
    [
        ("", "1", "This field is required"),
        ("ABC", "1", "A reference has 7 letters and numbers"),
        ("ABC-DEF0", "1", "character that is not used"),
        ("ABC-DEFG", "1", None),  # a wrong check character, worked out below
        ("OK", "", "This field is required"),
        ("OK", "5", "This slip has boxes 1 to 4: there is no box 5."),
        ("OK", "0", "there is no box 0"),
        ("OK", "two", "Type box numbers only"),
        ("OK", "1, 3", "Only one box may be ticked on this slip"),
        ("OK", "-1", "Type box numbers only"),
        ("OK" * 50_000, "1", "at most 20 characters"),
        ("OK", "1" * 100_000, "at most 40 characters"),
        ("OK", "1\x002", None),
        ("OK\x00", "1", None),
    ],
)
def test_bad_slips_are_refused_plainly_and_record_nothing(
    login, letters_waiting, reference, ticked, says
):
    message = letters_waiting[0]
    if reference.startswith("OK"):
        reference = reference.replace("OK", references.shown(message.reference), 1)
    if reference == "ABC-DEFG":  # seven good characters with a wrong check character
        good = message.reference
        reference = good[:6] + ("A" if good[6] != "A" else "B")
        says = "That reference is not right"
    response = enter(login("adam"), reference, ticked)
    if "\x00" in reference + ticked:
        assert response.status_code == 400  # the middleware refuses a NUL anywhere
    else:
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert says in response.content.decode()
    assert recipient_of(message).answered_at is None
    message.refresh_from_db()
    assert message.replied_at is None


def test_a_code_that_no_letter_has(login, letters_waiting):
    code = references.new_reference()
    while Message.objects.filter(reference=code).exists():
        code = references.new_reference()
    response = enter(login("adam"), code, "1")
    assert f"No letter has the reference {references.shown(code)}".encode() in response.content


def test_a_letter_that_takes_no_replies(login, db, users):
    who = poster(1)
    letter = Message.objects.create(
        key="reward_issued:1",
        kind="reward_issued",
        person=who,
        channel="letter",
        status=Status.PRINTED,
        to="Ada Lovelace1\n1 Oak Street\nNF1 2AB",
        body="Your reward has been paid.",
        reference=references.new_reference(),
    )
    response = enter(login("adam"), letter.reference, "1")
    assert b"This letter does not take replies." in response.content
    with pytest.raises(ValueError, match="does not take replies"):
        services.record_reply(message=letter, code="1", actor=users["adam"])


def test_several_boxes_when_the_question_allows_them(login, question):
    question.several = True
    question.save()
    message = ask(question, poster(1))
    assert enter(login("adam"), typed(message), "1, 3").status_code == 302
    assert recipient_of(message).answer_1 == "Yes, always; No, often late"
    assert read_boxes("1 and 3") == [1, 3] == read_boxes("1 3") == read_boxes("3,1,3")[::-1]


def test_a_slip_with_written_answers_is_sent_to_the_questions_page(login, question):
    question.choices = []
    question.save()
    message = ask(question, poster(1))
    response = enter(login("adam"), typed(message), "1")
    assert b"lines to write on, not boxes to tick" in response.content
    assert recipient_of(message).answered_at is None


def test_only_the_coordinator_and_admin_support_enter_slips(login, letters_waiting):
    message = letters_waiting[0]
    for name in ("fiona", "brenda", "bob"):
        client = login(name)
        assert client.get(reverse(URL)).status_code == 403
        assert enter(client, typed(message), "1").status_code == 403
    assert recipient_of(message).answered_at is None
    assert login("carol").get(reverse(URL)).status_code == 200
