"""Shared pieces of the operations' signatures: the responses each can give."""

from __future__ import annotations

from typing import Any

from coproduce.api.problems import Problem

# Every authenticated operation can answer these.
ALWAYS = (400, 401, 403, 422, 429)


def responses(ok: dict[int, Any], *extra: int) -> dict[int, Any]:
    """``{200: Out}`` plus a Problem for 400/401/403/422/429 and each of ``extra``."""
    out: dict[int, Any] = dict(ok)
    for code in (*ALWAYS, *extra):
        out[code] = Problem
    return out
