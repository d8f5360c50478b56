"""A quick question goes to every person asked on their own channel, through messages, and the
answers that come back by post and text stand beside the online ones."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.diversity import services
from coproduce.diversity.models import QuickQuestion, QuickQuestionRecipient, RecordedVia
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Channel, ContactPreference, Message, Status
from coproduce.people.models import Person

CHOICES = ["Yes", "No", "Not sure"]


def person(n: int, channels: list[str] | None = None, **fields) -> Person:
    values = {"first_name": f"P{n}", "last_name": "Example", "contact_consent": True} | fields
    made = Person.objects.create(**values)
    if channels:
        ContactPreference.objects.create(person=made, channels=channels)
    return made


@pytest.fixture
def asked(users, settings, django_capture_on_commit_callbacks):
    """One person for each channel, and one who wants post but has no address."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://involve.example.org"
    from coproduce.projects.models import Project

    project = Project.objects.create(title="Bins", purpose="x", owner=users["carol"])
    people = {
        "email": person(1, email="p1@example.org"),
        "text": person(2, ["text"], phone="07700 900002"),
        "letter": person(3, ["letter"], address="3 Oak Street", postcode="NF1 2AB"),
        "phone": person(4, ["phone"], phone="0113 496 0004"),
        "no_address": person(5, ["letter"]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        question = services.quick_question_send(
            project=project,
            title="Bins",
            questions=["Are bins collected on the right day?"],
            choices=CHOICES,
            sample_size=5,
            strata=[],
            pool=[(p.pk, "", "email") for p in people.values()],
            actor=users["carol"],
        )
    return question, people


def message_for(question: QuickQuestion, who: Person) -> Message:
    recipient = question.recipients.get(person=who)
    return Message.objects.get(key=f"quick_question:{recipient.pk}")


def test_each_person_is_asked_once_on_their_own_channel(asked):
    question, people = asked
    assert Message.objects.filter(kind="quick_question").count() == 5
    for channel in ("email", "text", "letter", "phone"):
        message = message_for(question, people[channel])
        assert message.channel == channel, channel
    email = message_for(question, people["email"])
    recipient = question.recipients.get(person=people["email"])
    link = f"https://involve.example.org/diversity/ask/r/{recipient.token}/"
    assert link in email.body and "1. Yes" in email.body
    text = message_for(question, people["text"])
    assert "Reply with the number of your answer: 1 Yes, 2 No, 3 Not sure." in text.body
    letter = message_for(question, people["letter"])
    assert letter.reference and "tick one box on the reply slip" in letter.body
    phone = message_for(question, people["phone"])
    assert phone.subject == "Ring to ask: Bins" and "1 Yes, 2 No, 3 Not sure" in phone.body
    # Sending again (a retried task) makes nothing new.
    assert services.quick_question_deliver(question_id=question.pk) == 0
    assert Message.objects.filter(kind="quick_question").count() == 5


def test_someone_who_wants_post_but_has_no_address_is_recorded_as_not_sent(asked):
    question, people = asked
    message = message_for(question, people["no_address"])
    assert message.status == Status.NOT_SENT
    assert (
        message.failure
        == "No contact details we can use for the ways this person accepts (letter)."
    )
    assert messaging.deliver(message.pk) == Status.NOT_SENT
    page_people = [r.person for r in question.recipients.all()]
    assert people["no_address"] in page_people


def test_answers_by_post_and_text_stand_beside_the_online_ones(asked, users, login, client):
    question, people = asked
    # Online, through the link in the email.
    recipient = question.recipients.get(person=people["email"])
    client.post(
        reverse("diversity:quick_answer_public", args=[recipient.token]), {"answer_1": "No"}
    )
    # By text, taken in with no one at a desk.
    messaging.record_reply(message=message_for(question, people["text"]), code="1")
    # By post, a reply slip typed in by admin support.
    messaging.record_reply(
        message=message_for(question, people["letter"]), code="3", actor=users["adam"]
    )
    vias = dict(question.recipients.values_list("person__first_name", "recorded_via"))
    assert vias["P1"] == RecordedVia.SELF
    assert vias["P2"] == RecordedVia.TEXT
    assert vias["P3"] == RecordedVia.POST
    assert QuickQuestionRecipient.objects.get(person=people["text"]).recorded_by is None
    page = login("carol").get(reverse("diversity:quick_question", args=[question.pk]))
    html = page.content.decode()
    assert "What people chose" in html
    assert "By post, on a reply slip" in html and "By text message" in html
    assert "By the person, online" in html
    assert "Adam Example (written down by staff)" in html
    assert "Not sent: No contact details we can use" in html


def test_the_online_form_offers_the_same_choices(asked, client):
    question, people = asked
    recipient = question.recipients.get(person=people["email"])
    url = reverse("diversity:quick_answer_public", args=[recipient.token])
    page = client.get(url)
    assert b'type="radio"' in page.content and b"Not sure" in page.content
    refused = client.post(url, {"answer_1": "Maybe"})
    assert b"Select a valid choice" in refused.content
    recipient.refresh_from_db()
    assert recipient.answered_at is None


@pytest.mark.parametrize(
    ("choices", "extra", "says"),
    [
        ("Yes", {}, "Give between 2 and 6 answers"),
        ("A\nB\nC\nD\nE\nF\nG", {}, "Give between 2 and 6 answers"),
        ("Yes\nyes", {}, "Each answer must be different"),
        ("Yes\nNo", {"question_2": "And?"}, "asked on its own"),
        ("", {"several": "on"}, "Give the answers to choose from first"),
        ("Yes; mostly\nNo", {}, "Leave semicolons out"),
        ("x" * 100_000, {}, "at most 600 characters"),
    ],
)
def test_bad_choices_are_refused_plainly(login, users, choices, extra, says):
    from coproduce.projects.models import Project

    project = Project.objects.create(title="Bins", purpose="x", owner=users["carol"])
    data = {
        "project": project.pk,
        "title": "Bins",
        "question_1": "Are bins collected?",
        "question_2": "",
        "question_3": "",
        "choices": choices,
        "sample_size": 5,
        "strata": [],
    } | extra
    response = login("carol").post(reverse("diversity:quick_questions"), data)
    assert response.status_code == 200 and says in response.content.decode()
    assert not QuickQuestion.objects.exists()


def test_a_text_answer_to_a_question_with_several_choices(asked, users):
    question, people = asked
    question.several = True
    question.save()
    message = message_for(question, people["text"])
    with pytest.raises(ValueError, match="Only one answer"):
        # The message still says one answer (its context), so the text takes one.
        messaging.record_reply(message=message, code=["1", "2"])
    assert message.channel == Channel.TEXT
