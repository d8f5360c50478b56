"""Cursor pagination: stable under inserts and updates, unlike page numbers.

A cursor is opaque to the client (base64 of the last row's ordering values). Lists are ordered
by ``(updated_at, id)`` where they have ``updated_since``, otherwise by ``id``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from coproduce.api.problems import ApiProblem

M = TypeVar("M", bound=Model)
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# The largest id a database column holds (a signed 64-bit integer): larger ones name nothing,
# and SQLite cannot even be asked about them.
MAX_ID = 2**63 - 1


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def in_utc(moment: dt.datetime, *, name: str) -> dt.datetime:
    """``moment`` in UTC, so the database never sees an offset it cannot hold (PostgreSQL's go
    to ±15:59; ISO 8601 allows up to ±23:59). A time with no zone, or one that leaves the
    calendar once moved to UTC, is a 400."""
    if moment.tzinfo is None:
        raise ApiProblem(
            400, f"{name} needs a time zone, e.g. 2026-01-31T09:00:00Z.", slug="no-zone"
        )
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise ApiProblem(400, f"{name} is out of range.", slug="no-zone") from error


def _decode(cursor: str, fields: Sequence[str]) -> list[Any]:
    bad = ApiProblem(400, "The cursor is not one this API gave out.", slug="bad-cursor")
    if len(cursor) > 200:
        raise bad
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise bad from error
    if not isinstance(raw, list) or len(raw) != len(fields):
        raise bad
    values: list[Any] = []
    for field, value in zip(fields, raw, strict=True):
        if field == "id":
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad
            values.append(value)
        else:
            try:
                parsed = dt.datetime.fromisoformat(str(value))
            except ValueError as error:
                raise bad from error
            if parsed.tzinfo is None:
                raise bad
            try:
                values.append(parsed.astimezone(dt.UTC))
            except OverflowError as error:
                raise bad from error
    return values


def page(
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    limit: int,
    fields: Sequence[str] = ("id",),
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` after ``cursor``, and the cursor for the next (None at the end)."""
    queryset = queryset.order_by(*fields)
    if cursor:
        values = _decode(cursor, fields)
        if len(fields) == 1:
            queryset = queryset.filter(**{f"{fields[0]}__gt": values[0]})
        else:
            first, second = fields
            queryset = queryset.filter(
                Q(**{f"{first}__gt": values[0]})
                | Q(**{first: values[0], f"{second}__gt": values[1]})
            )
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode([getattr(last, name) for name in fields])


def changed_page(
    queryset: QuerySet[M], *, updated_since: dt.datetime | None, cursor: str | None, limit: int
) -> dict[str, Any]:
    """A list answer for records kept in step by ``updated_since``: oldest change first, paged
    by ``(updated_at, id)``, so a sync can carry on from the last change it saw."""
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=in_utc(updated_since, name="updated_since"))
    rows, next_cursor = page(queryset, cursor=cursor, limit=limit, fields=("updated_at", "id"))
    return {"items": rows, "next_cursor": next_cursor}
