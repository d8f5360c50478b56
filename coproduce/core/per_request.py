"""Facts about the signed-in person worked out once per request (issue #20).

A page and its permission checks often ask the same question ("is this login a member of the
group?", "which evaluator is this?") two or three times; each asking was a query. The answer is
kept on the request object, so it lives exactly as long as the request and is never stale for
the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.http import HttpRequest

T = TypeVar("T")

_ATTRIBUTE = "_coproduce_per_request"


def once_per_request(request: HttpRequest, key: Hashable, work_out: Callable[[], T]) -> T:
    """`work_out()` the first time `key` is asked for during this request; the same answer after."""
    kept: dict[Hashable, object] = request.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in kept:
        kept[key] = work_out()
    return kept[key]  # type: ignore[return-value]
