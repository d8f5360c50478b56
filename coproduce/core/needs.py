"""Things waiting for a member of staff, for the "what needs you today" list on the home page.

The home page counts most of them itself from the apps beneath it. An app on the home page's own
layer (privacy) cannot be imported by it, so it registers a counter here when it starts
(`register` in its AppConfig.ready) and the home page asks `counted_for`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Need:
    """`count` things to do, in plain words ("3 sign-ups to check"), and where to do them."""

    count: int
    one: str
    many: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.count} {self.one if self.count == 1 else self.many}"


# Each counter answers for one signed-in user: None if their role may not act on it.
Counter = Callable[[Any], Need | None]
_COUNTERS: list[Counter] = []


def register(counter: Counter) -> Counter:
    if counter not in _COUNTERS:
        _COUNTERS.append(counter)
    return counter


def counted_for(user: Any) -> list[Need]:
    return [need for need in (counter(user) for counter in _COUNTERS) if need is not None]
