"""Reading a text message a person sent us: pure rules, no database.

- "STOP" (also "STOP ALL", "UNSUBSCRIBE"; any case, with spaces or punctuation around it) stops
  texts to that number.
- An answer is read against the choices of the message it replies to: the choice's number
  ("1", "2", ...), its code or its label, in any case and with punctuation or an emoji around it.
  For choices whose codes are yes, no and maybe, the usual short ways of saying them count too
  ("Y", "yeah", "nope", "not sure", ...).
- Anything else is not guessed: the text waits for a person to read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from coproduce.messaging.channels import normalise_phone

STOP_WORDS = frozenset({"STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE"})
SAYINGS = {
    "yes": frozenset({"YES", "Y", "YEAH", "YEP", "YUP", "YES PLEASE", "AYE"}),
    "no": frozenset({"NO", "N", "NOPE", "NAH", "NO THANKS", "NO THANK YOU"}),
    "maybe": frozenset({"MAYBE", "PERHAPS", "POSSIBLY", "NOT SURE", "DON T KNOW", "DONT KNOW"}),
}
_NOT_WORD = re.compile(r"[^0-9A-Z]+")


def words(text: str) -> str:
    """The text as plain capital words: accents, punctuation and emoji gone, one space between."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return _NOT_WORD.sub(" ", plain).strip()


def is_stop(text: str) -> bool:
    return words(text) in STOP_WORDS


def read_answer(text: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The code of the one choice `text` gives, or None (no choice, or more than one fits)."""
    said = words(text)
    if not said:
        return None
    found = {
        code
        for number, (code, label) in enumerate(options, start=1)
        if said in (str(number), words(code), words(label))
        or said in SAYINGS.get(code.strip().lower(), ())
    }
    return found.pop() if len(found) == 1 else None


def choices_in_words(options: Sequence[tuple[str, str]]) -> str:
    """'Yes, No or Maybe', for a sentence about what a reply may say."""
    labels = [label for _, label in options]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def sender_number(raw: str) -> str:
    """The sender's number as we store numbers (+44...), or "" if it is not a number.

    Notify gives UK numbers as 447700912345 (no plus), which `normalise_phone` alone would not
    read as international."""
    raw = (raw or "").strip()
    if raw.isdigit() and raw.startswith("44"):
        raw = "+" + raw
    return normalise_phone(raw)
