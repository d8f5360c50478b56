"""Laying letters out as PDF with WeasyPrint, from the HTML `letters.py` makes: the reply slip
moved to the foot of its page, and where a shape's blank personal lines are (`stamp.py`)."""

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
    """Lay out and write one PDF of one or more letters."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = HTML(string=html).render()
    slips_to_the_foot(document)
    return document.write_pdf()  # type: ignore[no-any-return]


def _text_in(box: Any, block: Any) -> tuple[Any, Any] | None:
    """The first text box inside `box`, and the block its lines are laid out in."""
    if type(box).__name__ == "BlockBox":
        block = box
    if type(box).__name__ == "TextBox":
        return box, block
    for child in getattr(box, "children", None) or ():
        found = _text_in(child, block)
        if found is not None:
            return found
    return None


def _slots(box: Any, block: Any, found: dict[str, tuple[Any, Any]]) -> None:
    if type(box).__name__ == "BlockBox":
        block = box
    element = getattr(box, "element", None)
    name = element.get("data-slot") if element is not None else None
    if name and name not in found:
        text = _text_in(box, block)
        if text is not None:
            found[name] = text
            return
    for child in getattr(box, "children", None) or ():
        _slots(child, block, found)


def pdf_and_slots(html: str, make_slot: Any) -> tuple[bytes, dict[str, Any]]:
    """Lay out one letter whose personal lines are blank placeholders (`data-slot`), and say
    where each placeholder's text is: `make_slot(text_box, block, page, page_height_pt)`, the
    block being the one whose width the text's lines have."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    slips_to_the_foot(document)
    slots: dict[str, Any] = {}
    for index, page in enumerate(document.pages):
        found: dict[str, tuple[Any, Any]] = {}  # slot -> (text box, block)
        _slots(page._page_box, None, found)
        for margin in page._page_box.children:
            # The line at the foot of each page (the person's name and reference).
            if getattr(margin, "at_keyword", "") == "@bottom-left" and "footer" not in found:
                text = _text_in(margin, margin)
                if text is not None:
                    found["footer"] = text
        height = page.height * 0.75
        for name, (text, block) in found.items():
            if name not in slots:
                slot = make_slot(text, block, index, height)
                if slot is not None:
                    slots[name] = slot
    return document.write_pdf(), slots
