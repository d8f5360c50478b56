"""Reads for the message pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from coproduce.messaging import kinds
from coproduce.messaging.models import InboundStatus, InboundText, Message, Status

# A text counts as an answer to a message we sent this long ago at most.
REPLY_WINDOW = dt.timedelta(days=30)


def reply_kinds() -> list[str]:
    """The kinds of message that take replies (an app registered a `Reply` for them)."""
    return [kind.name for kind in kinds.all_kinds() if kind.reply is not None]


def waiting_texts() -> QuerySet[InboundText]:
    """Texts that came in and wait for a person, newest first."""
    return (
        InboundText.objects.filter(status=InboundStatus.WAITING)
        .select_related("person", "message")
        .order_by("-received_at", "-pk")
    )


def answerable_messages(
    person_ids: Iterable[int], *, now: dt.datetime | None = None
) -> QuerySet[Message]:
    """The messages a waiting text from these people may answer: of a kind that takes replies,
    sent on any channel in the last 30 days, newest first."""
    now = now or timezone.now()
    return (
        Message.objects.filter(
            person_id__in=list(person_ids),
            kind__in=reply_kinds(),
            created_at__gte=now - REPLY_WINDOW,
        )
        .exclude(status__in=(Status.NOT_SENT, Status.QUEUED))
        .order_by("-created_at", "-pk")
    )


def answer_choices(messages: Iterable[Message]) -> list[tuple[str, str]]:
    """("<message id>:<code>", "Session invitation, text, 4 Dec: Yes") for each choice of each
    message, for staff to pick the answer a text gives."""
    choices = []
    for message in messages:
        reply = kinds.get(message.kind).reply
        if reply is None:
            continue
        sent = timezone.localtime(message.sent_at or message.created_at)
        channel = message.get_channel_display().lower()
        about = f"{message.get_kind_display()} ({channel}, {sent.day} {sent:%b})"
        for code, label in reply.options(message):
            choices.append((f"{message.pk}:{code}", f"{about}: {label}"))
    return choices


def answer_choices_by_person(
    person_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, list[tuple[str, str]]]:
    """The answer choices for each of several people, in one query."""
    by_person: dict[int, list[Message]] = defaultdict(list)
    for message in answerable_messages(set(person_ids), now=now):
        by_person[message.person_id].append(message)
    return {pk: answer_choices(found) for pk, found in by_person.items()}
