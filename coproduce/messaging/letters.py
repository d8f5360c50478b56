"""Letters on paper: one PDF per letter (GOV.UK Notify's precompiled letters take it as it is),
or one pack of many for admin support to print, fold into window envelopes and post.

The page follows GOV.UK Notify's letter specification (A4 portrait), so one layout fits a
standard UK DL window envelope (A4 folded in three) or a C5 one (folded in half), and passes
Notify's precompiled-letter check. The millimetres, measured from the page's top left corner,
come from Notify's "Letter specification" page (notifications-admin,
app/templates/views/guidance/letter-specification.html) and the constants its validator checks
(notifications-template-preview, app/precompiled.py):

- printable area: 15 mm in from the left and right edges, 5 mm from the top and bottom;
- address block: 24.6 mm from the left, 39.5 mm from the top, 95.4 mm wide, 26.8 mm high
  (so it ends 120 mm from the left and 66.3 mm from the top): the recipient's address and
  nothing else, at most 7 lines, the postcode last;
- logo area: 15 mm to 125 mm from the left, 5 mm to 30 mm from the top (our organisation's name);
- letter contact block: from 125 mm from the left, 30 mm from the top, 65 mm by 65 mm (our
  address, the date and the reply slip's reference);
- the body starts 95 mm from the top.

A letter whose kind takes replies ends with a reply slip: a dashed cut line, the person's name,
the reference code printed large, one numbered tick box per option (or lines to write on when
the question wants words), and the free address to post it back to. The slip is laid out after
the text, then moved down to the foot of the last page (`layout.py`), so it is always at
the bottom edge, ready to cut off, however long the letter is.

What a letter's slip asks comes from the kind's `Reply` (the options, whether several may be
ticked) and two optional values in the message's context: "question" (printed above the tick
boxes) and "write_in" (questions answered in words, each with lines to write on).

WeasyPrint takes 20 to 40 ms to lay a letter out. A pack (`letter_pack`) lays each shape of
letter out once and stamps each person's lines on it (`stamp.py`): 10,000 letters take seconds,
not minutes (benchmarks/bench_letters.py). Letters are read one at a time, so memory holds the
joined PDF and little else.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from coproduce.messaging import kinds, references
from coproduce.messaging.layout import pdf_from_html

if TYPE_CHECKING:
    import datetime as dt

    from coproduce.messaging.models import Message

ADDRESS_LINES = 7  # the most Notify (and a window) takes; the postcode is always the last
CHUNK = 100  # letters laid out in full at once, when they cannot be stamped

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
GREETING = re.compile(r"Dear [^,]{1,60},")


@dataclass(frozen=True)
class Letter:
    """Everything printed on one letter, as plain values."""

    address: tuple[str, ...]
    name: str
    date: str
    subject: str
    paragraphs: tuple[tuple[str, ...], ...]
    greeting: str = ""  # "Dear Ada,": the body's first line, when it is one
    reference: str = ""
    large_print: bool = False
    slip: bool = False
    question: str = ""
    options: tuple[tuple[int, str], ...] = ()
    several: bool = False
    write_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    letters: int
    pages: int


def _clean(text: Any) -> str:
    """Text safe to lay out: control characters (NUL and the like) dropped, tabs as spaces."""
    return _CONTROL.sub("", str(text or "").replace("\t", " "))


def _address(lines: list[str]) -> tuple[str, ...]:
    """At most 7 lines with the postcode last: extra middle lines are joined with commas."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) > ADDRESS_LINES:
        keep = ADDRESS_LINES - 2
        lines = [*lines[:keep], ", ".join(lines[keep:-1]), lines[-1]]
    return tuple(lines)


def _paragraphs(body: str) -> tuple[tuple[str, ...], ...]:
    text = _clean(body.replace("\r\n", "\n"))
    return tuple(
        tuple(line.strip() for line in block.split("\n"))
        for block in re.split(r"\n\s*\n", text)
        if block.strip()
    )


def _greeting(
    paragraphs: tuple[tuple[str, ...], ...],
) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """("Dear Ada,", the rest) when the letter opens so; the greeting is personal in a pack."""
    if paragraphs and len(paragraphs[0]) == 1 and GREETING.fullmatch(paragraphs[0][0]):
        return paragraphs[0][0], paragraphs[1:]
    return "", paragraphs


def _date(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.day} {local:%B %Y}"


def letter_for(message: Message, *, when: dt.datetime | None = None) -> Letter:
    """The printed letter for `message`, dated when it was sent (or `when`, or today)."""
    lines = [_clean(line) for line in message.to.split("\n")]
    name = lines[0] if lines else ""
    spec = kinds.get(message.kind)
    reply = spec.reply
    slip = bool(reply is not None and message.reference)
    options: tuple[tuple[int, str], ...] = ()
    several = False
    if slip and reply is not None:
        options = tuple(
            (number, _clean(label))
            for number, (_, label) in enumerate(reply.options(message), start=1)
        )
        several = reply.allows_several(message)
    context = message.context if isinstance(message.context, dict) else {}
    write_in = context.get("write_in") if slip else None
    greeting, paragraphs = _greeting(_paragraphs(message.body))
    return Letter(
        address=_address(lines),
        name=name,
        date=_date(message.sent_at or when or timezone.now()),
        subject=_clean(message.subject),
        paragraphs=paragraphs,
        greeting=greeting,
        reference=references.shown(message.reference) if message.reference else "",
        large_print=message.large_print,
        slip=slip,
        question=_clean(context.get("question", "")) if slip else "",
        options=options,
        several=several,
        write_in=tuple(_clean(q) for q in write_in) if isinstance(write_in, list) else (),
    )


def _lines(setting: str) -> list[str]:
    return [part.strip() for part in setting.split("|") if part.strip()]


def letters_html(letters: Sequence[Letter], *, title: str = "Letters", blank: bool = False) -> str:
    """The letters as one HTML document; `blank`: personal lines hidden (a pack's shape)."""
    return render_to_string(
        "messaging/letters/pack.html",
        {
            "letters": letters,
            "title": title,
            "blank": blank,
            "organisation": settings.ORGANISATION_NAME,
            "return_address": _lines(settings.LETTER_RETURN_ADDRESS),
            "phone": settings.LETTER_PHONE,
            "reply_address": _lines(settings.LETTER_REPLY_ADDRESS),
        },
    )


def letter_pdf(message: Message) -> bytes:
    """One letter as a PDF (A4, Notify's precompiled-letter layout)."""
    letter = letter_for(message)
    return pdf_from_html(letters_html([letter], title=letter.subject))


def _blank(letter: Letter) -> Letter:
    """The letter's shape: the same letter with placeholders for the personal lines."""
    return replace(
        letter,
        address=("X",) * ADDRESS_LINES,
        name="X",
        reference="XXX-XXXX" if letter.reference else "",
        greeting="Dear X," if letter.greeting else "",
    )


def _personal(letter: Letter) -> tuple[dict[str, str], str]:
    """The lines stamped on a letter's shape (slot -> text), and the line at its foot."""
    lines = {f"address-{n}": line for n, line in enumerate(letter.address)}
    lines |= {
        "greeting": letter.greeting,
        "name": letter.name if letter.slip else "",
        "ref": letter.reference,
        "code": letter.reference if letter.slip else "",
    }
    footer = letter.name + (f" · {letter.reference}" if letter.reference else "")
    return lines, footer


def letter_pack(
    messages: Iterable[Message],
    out: IO[bytes] | str | Path,
    *,
    chunk: int = CHUNK,
    when: dt.datetime | None = None,
    stamp: bool = True,
) -> Pack:
    """Write every letter in `messages` into ONE PDF at `out` (a path or a binary file), in order.

    `messages` may be a queryset's `.iterator()`: letters are read and added one at a time, so
    memory does not grow with the pack beyond the joined PDF itself. Each shape of letter is
    laid out once and each person's lines stamped on it (`stamp.py`); a letter that cannot be
    stamped (or every letter, with `stamp=False`) is laid out in full, `chunk` at a time.
    """
    from pypdf import PdfReader, PdfWriter

    from coproduce.messaging import stamp as stamping

    stamp = stamp and stamping.available()
    writer = PdfWriter()
    writer.add_metadata({"/Title": "Letters to print", "/Author": settings.ORGANISATION_NAME})
    stamper = stamping.Stamper(writer, lambda letter: letters_html([_blank(letter)], blank=True))
    waiting: list[Letter] = []

    def lay_out_waiting() -> None:
        if waiting:
            pdf = pdf_from_html(letters_html(waiting))
            writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
            waiting.clear()

    count = 0
    for message in messages:
        letter = letter_for(message, when=when)
        count += 1
        if stamp:
            lay_out_waiting()  # in order: the letters before this one go first
            lines, footer = _personal(letter)
            if stamper.add(_blank(letter), letter, lines, footer):
                continue
        waiting.append(letter)
        if len(waiting) >= chunk:
            lay_out_waiting()
    lay_out_waiting()
    pages = len(writer.pages)
    if isinstance(out, str | Path):
        with open(out, "wb") as binary:
            writer.write(binary)
    else:
        writer.write(out)
    return Pack(letters=count, pages=pages)
