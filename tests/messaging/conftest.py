"""`notify`: a local server that speaks GOV.UK Notify's API (tests/support/notify_server.py),
started for the test, with the settings pointing the real Notify client at it.

Letters for the tests: people who asked for post, asked a quick question through the real
`messaging.services.send`, their letters waiting to print."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from coproduce.diversity.models import QuickQuestion, QuickQuestionRecipient
from coproduce.diversity.services import quick_question_context
from coproduce.messaging import services
from coproduce.messaging.models import ContactPreference, Message
from coproduce.people.models import Person
from coproduce.projects.models import Project
from tests.support.notify_server import NotifyServer

UK = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=UK)
CHOICES = ["Yes, always", "Most weeks", "No, often late", "Not sure"]
MM = 25.4 / 72  # millimetres in a PDF point


def poster(n: int = 1, *, large_print: bool = False, **fields) -> Person:
    values = {
        "first_name": "Ada",
        "last_name": f"Lovelace{n}",
        "contact_consent": True,
        "address": f"Flat {n}, 1 Oak Street, Northfield",
        "postcode": "NF1 2AB",
    } | fields
    person = Person.objects.create(**values)
    ContactPreference.objects.create(person=person, channels=["letter"], large_print=large_print)
    return person


@pytest.fixture
def question(users) -> QuickQuestion:
    project = Project.objects.create(title="Bins", purpose="Better bins", owner=users["carol"])
    return QuickQuestion.objects.create(
        project=project,
        title="Bin collections",
        question_1="Are your bins collected on the right day?",
        choices=CHOICES,
        sample_size=10,
        created_by=users["carol"],
    )


def ask(question: QuickQuestion, person: Person, *, now=NOON) -> Message:
    """Ask `person` the question through messages, as the quick question's task does."""
    recipient, _ = QuickQuestionRecipient.objects.get_or_create(
        question=question, person=person, defaults={"channel": "post"}
    )
    message = services.send(
        kind="quick_question",
        person=person,
        key=f"quick_question:{recipient.pk}",
        context=quick_question_context(recipient),
        about=f"diversity.quickquestionrecipient:{recipient.pk}",
        now=now,
    )
    services.deliver(message.pk, now=now)
    message.refresh_from_db()
    return message


@pytest.fixture
def letters_waiting(question):
    """Three letters to print (the second in large print), oldest first."""
    return [ask(question, poster(n, large_print=n == 2)) for n in (1, 2, 3)]


def text_items(page) -> list[tuple[float, float, float, str]]:
    """(x mm from the left, baseline y mm from the top, size in pt, text) of each text run."""
    height = float(page.mediabox.height)
    items = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x * MM, (height - y) * MM, size * tm[0] * cm[0], text.strip()))

    page.extract_text(visitor_text=visit)
    return items


def read_pdf(data: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(data))


@pytest.fixture
def notify(settings):
    server = NotifyServer().start()
    settings.NOTIFY_API_KEY = server.api_key
    settings.NOTIFY_BASE_URL = server.base_url
    settings.NOTIFY_SMS_TEMPLATE_ID = server.sms_template_id
    settings.NOTIFY_CALLBACK_TOKEN = server.callback_token
    settings.LETTERS_BY_NOTIFY = False
    yield server
    server.stop()
