"""Answers to a quick question that come back through messages: a ticked reply slip typed in by
admin support, a number texted back, an answer given on the phone.

Registered with messaging (`kinds.register_reply`) when the app starts. A quick question with
answers to choose from offers them as numbered options ("1", "2", ...); one asked in people's own
words offers none, so its reply slip has lines to write on and staff record the words on the
question's page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from coproduce.diversity.models import QuickQuestionRecipient, RecordedVia
from coproduce.messaging import kinds

if TYPE_CHECKING:
    from coproduce.messaging.models import Message

ABOUT = "diversity.quickquestionrecipient"

# How an answer came back, from the channel its question went out on.
VIA_CHANNEL = {
    "letter": RecordedVia.POST,
    "text": RecordedVia.TEXT,
    "phone": RecordedVia.PHONE,
    "email": RecordedVia.SELF,
}


def _recipient(message: Message) -> QuickQuestionRecipient:
    prefix, _, pk = message.about.partition(":")
    recipient = None
    if prefix == ABOUT and pk.isdigit():
        recipient = (
            QuickQuestionRecipient.objects.select_related("question", "person")
            .filter(pk=int(pk), person_id=message.person_id)
            .first()
        )
    if recipient is None:
        raise ValueError("The quick question this message asked is no longer here.")
    return recipient


def options(message: Message) -> list[tuple[str, str]]:
    # The choices travel in the message's context (a pack of 10,000 letters reads no question);
    # a message without them asks the database.
    context = message.context if isinstance(message.context, dict) else {}
    if "choices" in context:
        return [(str(n), str(label)) for n, label in enumerate(context["choices"] or [], start=1)]
    try:
        return _recipient(message).question.options
    except ValueError:
        return []


def several(message: Message) -> bool:
    context = message.context if isinstance(message.context, dict) else {}
    if "several" in context:
        return bool(context["several"])
    try:
        return _recipient(message).question.several
    except ValueError:
        return False


def answered(message: Message) -> dt.datetime | None:
    try:
        return _recipient(message).answered_at
    except ValueError:
        return None


def record(message: Message, code: str, actor: Any) -> str:
    from coproduce.diversity.services import quick_answer_record

    recipient = _recipient(message)
    labels = dict(recipient.question.options)
    codes = code.split(",")
    if not codes or any(c not in labels for c in codes):
        raise ValueError("That answer is not one of the choices on this question.")
    if len(codes) > 1 and not recipient.question.several:
        raise ValueError("Only one answer may be chosen for this question.")
    answer = "; ".join(labels[c] for c in codes)
    via = VIA_CHANNEL.get(message.channel, RecordedVia.PAPER)
    quick_answer_record(recipient=recipient, answers=[answer], recorded_via=via, actor=actor)
    return f"Recorded for {recipient.person.full_name}: {answer}"


def register() -> None:
    kinds.register_reply(
        "quick_question",
        kinds.Reply(options=options, record=record, several=several, answered=answered),
    )
