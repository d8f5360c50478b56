"""A letter as a PDF, for GOV.UK Notify's precompiled letters (LETTERS_BY_NOTIFY).

PLACEHOLDER: a minimal one-page letter (address, date, subject, words) so that sending by Notify
works end to end. The letter-pack work (window-envelope layout, large print, reply slip) replaces
this module and keeps `letter_pdf(message) -> bytes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.html import format_html, format_html_join

if TYPE_CHECKING:
    from coproduce.messaging.models import Message

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm }}
body {{ font-family: sans-serif; font-size: {size}pt; line-height: 1.4 }}
.address {{ margin-top: 30mm; margin-bottom: 15mm; white-space: pre-line }}
</style></head><body>{content}</body></html>"""


def letter_pdf(message: Message) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    paragraphs = [p for p in message.body.split("\n\n") if p.strip()]
    content = format_html(
        '<p class="address">{}</p><p>{}</p><h1>{}</h1>{}',
        message.to,
        f"{timezone.localdate():%d %B %Y}",
        message.subject,
        format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs)),
    )
    html = _PAGE.format(size=16 if message.large_print else 12, content=content)
    return bytes(HTML(string=html).write_pdf())
