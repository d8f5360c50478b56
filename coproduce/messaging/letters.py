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

Rendering cost is WeasyPrint's layout, about 20 to 30 ms a letter. `letter_pack` renders a pack
in chunks and joins them with pypdf, so memory stays bounded however many letters there are, and
can lay chunks out in several processes at once (`workers`).
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
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
CHUNK = 100  # letters laid out at once: bounds memory, keeps the per-document overhead small

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Letter:
    """Everything printed on one letter, as plain values (it crosses to worker processes)."""

    address: tuple[str, ...]
    name: str
    date: str
    subject: str
    paragraphs: tuple[tuple[str, ...], ...]
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
    return Letter(
        address=_address(lines),
        name=name,
        date=_date(message.sent_at or when or timezone.now()),
        subject=_clean(message.subject),
        paragraphs=_paragraphs(message.body),
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


def letters_html(letters: Sequence[Letter], *, title: str = "Letters") -> str:
    return render_to_string(
        "messaging/letters/pack.html",
        {
            "letters": letters,
            "title": title,
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


def _chunks(letters: Iterable[Letter], size: int) -> Iterator[list[Letter]]:
    batch: list[Letter] = []
    for letter in letters:
        batch.append(letter)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pdfs(htmls: Iterator[str], workers: int) -> Iterator[bytes]:
    """Each HTML chunk as a PDF, in order; with `workers` > 1, that many at once."""
    if workers <= 1:
        for html in htmls:
            yield pdf_from_html(html)
        return
    # "spawn": fresh processes that never share this one's database connections or threads.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        waiting: deque[Future[bytes]] = deque()
        for html in htmls:
            waiting.append(pool.submit(pdf_from_html, html))
            if len(waiting) >= workers * 2:  # a bounded queue: memory stays flat
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def letter_pack(
    messages: Iterable[Message],
    out: IO[bytes] | str | Path,
    *,
    workers: int = 1,
    chunk: int = CHUNK,
    when: dt.datetime | None = None,
) -> Pack:
    """Write every letter in `messages` into ONE PDF at `out` (a path or a binary file), in order.

    `messages` may be a queryset's `.iterator()`: letters are read, laid out and added a chunk at
    a time, so memory does not grow with the pack beyond the joined PDF itself.
    """
    from pypdf import PdfReader, PdfWriter

    counted = 0

    def letters() -> Iterator[Letter]:
        nonlocal counted
        for message in messages:
            counted += 1
            yield letter_for(message, when=when)

    htmls = (letters_html(batch) for batch in _chunks(letters(), chunk))
    writer = PdfWriter()
    writer.add_metadata({"/Title": "Letters to print", "/Author": settings.ORGANISATION_NAME})
    for pdf in _pdfs(htmls, workers):
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    pages = len(writer.pages)
    if isinstance(out, str | Path):
        with open(out, "wb") as binary:
            writer.write(binary)
    else:
        writer.write(out)
    return Pack(letters=counted, pages=pages)
