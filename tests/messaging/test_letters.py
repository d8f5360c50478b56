"""Letters as PDF: Notify's layout for a window envelope, large print, the reply slip, packs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from coproduce.messaging import letters, references
from coproduce.messaging.models import Message, Status
from tests.messaging.conftest import CHOICES, ask, poster, read_pdf, text_items

# GOV.UK Notify's letter specification (mm from the page's top left corner).
ADDRESS_LEFT, ADDRESS_RIGHT, ADDRESS_TOP, ADDRESS_BOTTOM = 24.6, 120.0, 39.5, 66.3
BODY_TOP = 95.0
A4 = (595.28, 841.89)


def test_a_letter_is_one_a4_page_with_the_address_in_the_window(question):
    message = ask(question, poster(1, address="Flat 3, 1 Oak Street, Hillside, Leeds"))
    pdf = read_pdf(letters.letter_pdf(message))
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
        round(A4[0], 1),
        round(A4[1], 1),
    )
    items = text_items(page)
    window = [
        text
        for x, y, _, text in items
        if ADDRESS_LEFT - 0.1 <= x < ADDRESS_RIGHT and ADDRESS_TOP < y <= ADDRESS_BOTTOM + 3
    ]
    # The address and nothing else in the window, the postcode last.
    assert window == ["Ada Lovelace1", "Flat 3", "1 Oak Street", "Hillside", "Leeds", "NF1 2AB"]
    for x, y, _, text in items:
        if text in window and x < ADDRESS_RIGHT:
            assert x == pytest.approx(ADDRESS_LEFT, abs=0.2)
            # A baseline at least one line below the top, and inside the bottom edge.
            assert ADDRESS_TOP + 2.5 < y <= ADDRESS_BOTTOM
        # Everything inside Notify's printable area: 15 mm in at the sides, 5 mm top and bottom.
        assert 15 - 0.1 <= x < 195 and 5 < y < 292, text
    heading = next(y for x, y, _, text in items if text.startswith("A quick question"))
    assert heading > BODY_TOP
    # The organisation's address and the date in the contact block, from 125 mm.
    contact = [(x, text) for x, y, _, text in items if 30 <= y <= 95 and x >= 125 - 0.1]
    assert ("Involvement team" in [t for _, t in contact]) and all(
        x == pytest.approx(125, abs=0.2) for x, _ in contact
    )


def test_the_reply_slip_is_at_the_foot_with_the_code_and_numbered_boxes(question):
    message = ask(question, poster(1))
    page = read_pdf(letters.letter_pdf(message)).pages[0]
    items = text_items(page)
    texts = [text for _, _, _, text in items]
    code = references.shown(message.reference)
    assert "Reply slip" in texts and code in texts
    assert "From Ada Lovelace1" in texts and "Tick one box." in texts
    for number, label in enumerate(CHOICES, start=1):
        assert str(number) in texts and label in texts
    assert any("Post this back to us free of charge" in t for t in texts)
    assert "Freepost RIVERSIDE HOMES" in " ".join(texts)
    # The code is large, and the slip sits at the bottom of the page, below the letter.
    size = max(s for _, _, s, text in items if text == code)
    assert size >= 20
    slip_top = next(y for _, y, _, text in items if text == "Reply slip")
    thanks = next(y for _, y, _, text in items if text == "Thank you.")
    last = max(y for _, y, _, _ in items)
    assert thanks < slip_top and last > 280


def test_large_print_is_18_point_with_a_bigger_slip(question):
    normal = ask(question, poster(1))
    large = ask(question, poster(2, large_print=True))
    assert large.large_print and not normal.large_print

    def sizes(message: Message) -> tuple[float, float]:
        pdf = read_pdf(letters.letter_pdf(message))
        items = [item for page in pdf.pages for item in text_items(page)]
        body = next(s for _, _, s, text in items if text == "Thank you.")
        code = max(s for _, _, s, text in items if text == references.shown(message.reference))
        return body, code

    assert sizes(normal)[0] == pytest.approx(12)
    body, code = sizes(large)
    assert body == pytest.approx(18) and code > sizes(normal)[1]


def test_text_is_escaped_and_control_characters_dropped(question):
    message = ask(question, poster(1))
    message.body = "Dear Ada,\n\n<b>Not bold</b> & <script>x</script>\x00 end"
    message.subject = "Q <i>1</i>"
    html = letters.letters_html([letters.letter_for(message)])
    assert "&lt;b&gt;Not bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<script>" not in html and "\x00" not in html
    page = read_pdf(letters.letter_pdf(message)).pages[0]
    texts = " ".join(text for _, _, _, text in text_items(page))
    assert "<b>Not bold</b> & <script>x</script> end" in texts
    assert "Q <i>1</i>" in texts


def test_a_long_address_keeps_seven_lines_and_the_postcode_last():
    lines = [f"Line {n}" for n in range(9)] + ["NF1 2AB"]
    assert letters._address(lines) == (
        "Line 0",
        "Line 1",
        "Line 2",
        "Line 3",
        "Line 4",
        "Line 5, Line 6, Line 7, Line 8",
        "NF1 2AB",
    )


def test_a_letter_that_takes_no_replies_has_no_slip(db):
    who = poster(1)
    # Reminders have no templates on this branch: the letter is made by hand.
    message = Message.objects.create(
        key="x:1",
        kind="reminder",
        person=who,
        channel="letter",
        status=Status.TO_PRINT,
        to="Ada Lovelace1\n1 Oak Street\nNF1 2AB",
        subject="Reminder",
        body="Dear Ada,\n\nSee you on Tuesday.",
    )
    texts = [t for _, _, _, t in text_items(read_pdf(letters.letter_pdf(message)).pages[0])]
    assert "Reminder" in texts and "Reply slip" not in texts


def test_a_question_in_peoples_own_words_has_lines_to_write_on(question):
    question.choices = []
    question.question_2 = "What would make it better?"
    question.save()
    message = ask(question, poster(1))
    assert message.reference  # the slip still comes back with its code
    pdf = read_pdf(letters.letter_pdf(message))
    texts = [t for page in pdf.pages for _, _, _, t in text_items(page)]
    assert "Reply slip" in texts
    assert "Are your bins collected on the right day?" in texts
    assert "What would make it better?" in texts
    assert not any(t.startswith("Tick") for t in texts)


def test_a_pack_is_one_pdf_with_every_letter_in_order(letters_waiting, tmp_path):
    out = tmp_path / "pack.pdf"
    pack = letters.letter_pack(letters_waiting, out, chunk=2)
    reader = PdfReader(str(out))
    assert pack.letters == 3 and pack.pages == len(reader.pages) >= 3
    names = [
        next(t for _, _, _, t in text_items(page) if t.startswith("Ada Lovelace"))
        for page in reader.pages
        if any(t == "A quick question: Bin collections" for _, _, _, t in text_items(page))
    ]
    assert names == ["Ada Lovelace1", "Ada Lovelace2", "Ada Lovelace3"]


def test_a_stamped_pack_puts_every_line_where_a_full_layout_does(question):
    """Each shape laid out once with the personal lines stamped on gives the same pages as
    laying every letter out in full: the same words, and the person's lines in the same places."""
    messages = [
        ask(question, poster(n, large_print=n == 2, address=address))
        for n, address in enumerate(
            ["Flat 1, 1 Oak Street", "2 Mill Lane, Hillside, Leeds", "Ty Gwyn, Ffordd Ŵyn"],
            start=1,
        )
    ]
    stamped, full = io.BytesIO(), io.BytesIO()
    letters.letter_pack(messages, stamped)
    letters.letter_pack(messages, full, stamp=False)
    stamped_pdf, full_pdf = PdfReader(stamped), PdfReader(full)
    assert len(stamped_pdf.pages) == len(full_pdf.pages) == 4
    for page in stamped_pdf.pages:  # each page is the shape (a form) with lines stamped on
        assert page.get_contents().get_data().startswith(b"q /CpPage Do Q")
    for ours, theirs in zip(stamped_pdf.pages, full_pdf.pages, strict=True):
        assert sorted(ours.extract_text().split()) == sorted(theirs.extract_text().split())
        laid_out = text_items(theirs)
        for x, y, size, text in text_items(ours):
            if text == "From" or text.startswith("Ada Lovelace") and x > 20:
                continue  # the slip's "From Ada" is one run laid out, two stamped
            assert any(
                t == text and abs(x - lx) < 0.3 and abs(y - ly) < 0.3 and abs(size - ls) < 0.1
                for lx, ly, ls, t in laid_out
            ), (text, x, y)


def test_a_letter_that_cannot_be_stamped_is_laid_out_in_full_in_its_place(question):
    names = [("Ada", "Lovelace"), ("سارة", "Khan"), ("Grace", "Hopper"), ("Ada", "X" * 90)]
    messages = [
        ask(question, poster(n, first_name=first, last_name=last))
        for n, (first, last) in enumerate(names)
    ]
    out = io.BytesIO()
    pack = letters.letter_pack(messages, out)
    pdf = PdfReader(out)
    assert pack.letters == 4 and len(pdf.pages) >= 4
    stamped = [p.get_contents().get_data().startswith(b"q /CpPage") for p in pdf.pages]
    # A right-to-left name (stamping would not shape it), and one too long for its line, are
    # laid out in full (the long one over two pages, its name wrapping).
    assert stamped[:3] == [True, False, True] and not any(stamped[3:])
    texts = [p.extract_text() for p in pdf.pages]
    assert "Lovelace" in texts[0] and "Khan" in texts[1] and "Hopper" in texts[2]
