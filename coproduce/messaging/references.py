"""Short reference codes printed on reply slips: 6 letters or digits and a check character,
shown as ABC-DEFG. The alphabet leaves out characters people mix up (0/O, 1/I/L, U/V), and the
check character catches any one mistyped character and any two swapped neighbours.

References are drawn with `secrets`. A build that must give the same data for the same seed
(the demo) draws them from its own generator instead, inside `drawn_from(rng)`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"  # 29 characters: a prime, so the check is strong
BODY = 6


def _check(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


_GENERATOR: ContextVar[random.Random | None] = ContextVar("reference_generator", default=None)


@contextmanager
def drawn_from(rng: random.Random) -> Iterator[None]:
    """Inside this block, new references come from `rng` (repeatable) instead of `secrets`."""
    token = _GENERATOR.set(rng)
    try:
        yield
    finally:
        _GENERATOR.reset(token)


def new_reference() -> str:
    rng = _GENERATOR.get()
    choice = rng.choice if rng is not None else secrets.choice
    body = "".join(choice(ALPHABET) for _ in range(BODY))
    return body + _check(body)


def shown(reference: str) -> str:
    return f"{reference[:3]}-{reference[3:]}"


def read(typed: str) -> str:
    """The stored form of a typed reference; ValueError with a plain message if it is wrong."""
    cleaned = "".join(typed.split()).replace("-", "").upper()
    if len(cleaned) != BODY + 1:
        raise ValueError("A reference has 7 letters and numbers, like ABC-DEFG.")
    if any(c not in ALPHABET for c in cleaned):
        raise ValueError("That reference has a character that is not used in references.")
    if _check(cleaned[:BODY]) != cleaned[BODY]:
        raise ValueError("That reference is not right: check each character on the slip.")
    return cleaned
