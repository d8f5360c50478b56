"""Laying out letters as PDF with WeasyPrint. No Django here: `letters.letter_pack` runs this in
worker processes that never set Django up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def slips_to_the_foot(document: Any) -> int:
    """Move each reply slip down into the empty space below it, to the foot of its page.
    Returns how many were moved.

    Each letter starts on a new page and its slip is the last thing in it, so everything below a
    slip on its page is empty: moving it there can never cover any text. (This reaches into
    WeasyPrint's laid-out boxes, `Page._page_box` and `Box.translate`; if they ever change, the
    slip simply stays where the text ends.)
    """
    moved = 0
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)
        if page_box is None:
            continue
        bottom = page_box.content_box_y() + page_box.height
        for box in _boxes(page_box):
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", "") != "div":
                continue
            if "slip" in (element.get("class") or "").split():
                gap = bottom - (box.position_y + box.margin_height())
                if gap > 0:
                    box.translate(0, gap)
                    moved += 1
                break  # one slip a page at most
    return moved


def pdf_from_html(html: str) -> bytes:
    """Lay out and write one PDF (in this process, or in a worker of `letter_pack`)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = HTML(string=html).render()
    slips_to_the_foot(document)
    return document.write_pdf()  # type: ignore[no-any-return]
