"""Reads for the messages pages: texts waiting to be read, the letters waiting to print, the
packs printed before."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.core.needs import Need
from coproduce.messaging import kinds
from coproduce.messaging.models import (
    Channel,
    InboundStatus,
    InboundText,
    LetterPack,
    Message,
    Status,
)

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


PACK_LIMIT = 500  # letters in one pack: one print run, made while admin support waits


@dataclass
class LetterGroup:
    """Letters of one kind, made on one day, waiting to print."""

    kind: str
    label: str
    day: dt.date
    count: int
    ids: list[int] = field(default_factory=list)  # the first PACK_LIMIT of them, oldest first

    @property
    def in_pack(self) -> int:
        return len(self.ids)


def letters_waiting() -> QuerySet[Message]:
    return Message.objects.filter(channel=Channel.LETTER, status=Status.TO_PRINT)


def letters_to_print() -> list[LetterGroup]:
    """Letters waiting to print, grouped by kind and the day they were made, oldest day first.
    Two queries however many letters wait."""
    day = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    rows = letters_waiting().annotate(day=day).order_by("day", "kind", "pk")
    groups: dict[tuple[str, dt.date], LetterGroup] = {}
    for pk, kind, made in rows.values_list("pk", "kind", "day").iterator(chunk_size=2000):
        group = groups.get((kind, made))
        if group is None:
            group = groups[(kind, made)] = LetterGroup(kind, kinds.label_for(kind), made, 0)
        group.count += 1
        if len(group.ids) < PACK_LIMIT:
            group.ids.append(pk)
    return list(groups.values())


def recent_packs(limit: int = 20) -> list[LetterPack]:
    return list(LetterPack.objects.select_related("printed_by")[:limit])


def pack_letters(pack: LetterPack) -> QuerySet[Message]:
    return Message.objects.filter(letter_pack=pack).order_by("pk")


def letters_need(user: Any) -> Need | None:
    """For the home page's "what needs you today": letters waiting to print."""
    if not roles.can_print_letters(user):
        return None
    return Need(
        letters_waiting().count(),
        "letter to print",
        "letters to print",
        reverse("messaging:letters"),
    )
