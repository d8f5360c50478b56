"""Word-level differences between two wordings, for people to read."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "removed", "added"
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    old = TOKEN.findall(before or "")
    new = TOKEN.findall(after or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if tag in ("replace", "insert"):
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return [p for p in pieces if p.text]
