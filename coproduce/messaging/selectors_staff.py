"""Reads for the staff pages on messages: the outbox, who could not be reached, the phone list."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from coproduce.messaging.models import UNREACHED, Message, Status

UNREACHED_DAYS = 30


def outbox(*, channel: str = "", status: str = "", kind: str = "") -> QuerySet[Message]:
    """Every message, newest first, with the person (one query a page)."""
    messages = Message.objects.select_related("person").order_by("-created_at", "-pk")
    if channel:
        messages = messages.filter(channel=channel)
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    return messages


def unreached() -> QuerySet[Message]:
    return (
        Message.objects.filter(status__in=UNREACHED)
        .select_related("person")
        .order_by("-created_at", "-pk")
    )


def unreached_recently(now: dt.datetime | None = None) -> int:
    since = (now or timezone.now()) - dt.timedelta(days=UNREACHED_DAYS)
    return Message.objects.filter(status__in=UNREACHED, created_at__gte=since).count()


def phone_list() -> QuerySet[Message]:
    """Messages waiting for a call, oldest first (first in, first rung)."""
    return (
        Message.objects.filter(status=Status.TO_PHONE)
        .select_related("person")
        .order_by("created_at", "pk")
    )


def to_phone_count() -> int:
    return Message.objects.filter(status=Status.TO_PHONE).count()


def chain(message: Message) -> list[Message]:
    """The message, the ones it fell back from (oldest first) and the ones after it."""
    before: list[Message] = []
    current = message
    while current.fallback_of_id:
        parent = Message.objects.filter(pk=current.fallback_of_id).first()
        if parent is None or len(before) > 10:
            break
        before.insert(0, parent)
        current = parent
    after: list[Message] = []
    current = message
    while len(after) <= 10:
        child = Message.objects.filter(fallback_of=current).first()
        if child is None:
            break
        after.append(child)
        current = child
    return [*before, message, *after]
