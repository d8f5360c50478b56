"""Reads for the messages pages: the letters waiting to print, the packs printed before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.core.needs import Need
from coproduce.messaging import kinds
from coproduce.messaging.models import Channel, LetterPack, Message, Status

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
