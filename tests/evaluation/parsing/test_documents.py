"""Documents (.pdf, .docx, .txt) and what every reader does with junk."""

from __future__ import annotations

import io

import pytest

from coproduce.evaluation.parsing import (
    EvidenceError,
    read_document,
    read_survey,
    read_transcript,
    read_tsm_figures,
)
from tests.evaluation.parsing.builders import error_of, make_docx, make_pdf, make_xlsx

# --------------------------------------------------------------------------- documents


def test_pdf_text():
    data = make_pdf("Repairs policy (2025)", "Page two: damp and mould")
    text = read_document(data, "policy.pdf")
    assert "Repairs policy (2025)" in text and "Page two: damp and mould" in text


def test_pdf_without_text_is_probably_a_scan():
    message = error_of(read_document, make_pdf(""), "scan.pdf")
    assert "has no text we can read (is it a scan?)" in message


def test_corrupt_pdfs():
    assert "not a PDF" in error_of(read_document, b"hello, world", "fake.pdf")
    truncated = make_pdf("Some text")[:60]
    assert "damaged" in error_of(read_document, truncated, "broken.pdf")


def test_docx_paragraphs_and_tables_in_order():
    data = make_docx(
        ["Estate inspection", "The stairwell lights are out."],
        table=[["Block", "Issue"], ["Brunel House", "Lift broken"]],
    )
    assert read_document(data, "inspection.docx") == (
        "Estate inspection\nThe stairwell lights are out.\nBlock | Issue\n"
        "Brunel House | Lift broken\nAfter the table."
    )


def test_corrupt_and_empty_docx():
    assert "not a Word document" in error_of(read_document, b"plain text", "notes.docx")
    assert "damaged" in error_of(read_document, make_xlsx([["x"]]), "notes.docx")
    assert "no text" in error_of(read_document, make_docx([""]), "blank.docx")


def test_txt_document_and_bad_input():
    assert read_document("\ufeff  Caf\u00e9 notes\r\n".encode(), "notes.txt") == "Caf\u00e9 notes"
    assert error_of(read_document, b"", "notes.pdf") == "The file is empty."
    assert "not UTF-8" in error_of(read_document, b"caf\xe9", "notes.txt")
    message = error_of(read_document, b"x", "notes.doc")
    assert ".pdf, .docx or .txt" in message


@pytest.mark.parametrize("reader", [read_transcript, read_survey, read_tsm_figures, read_document])
@pytest.mark.parametrize("junk", [b"\x00\x01\x02", b"PK\x03\x04garbage", b"%PDF-1.4 junk"])
@pytest.mark.parametrize("name", ["f.vtt", "f.srt", "f.txt", "f.csv", "f.xlsx", "f.pdf", "f.docx"])
def test_garbage_only_ever_raises_evidence_error(reader, junk, name):
    try:
        reader(junk, name)
    except EvidenceError as exc:
        assert str(exc) and "\n" not in str(exc)


def _encrypted(data: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdfs():
    plain = make_pdf("Board minutes")
    assert "Board minutes" in read_document(_encrypted(plain, ""), "open.pdf")
    message = error_of(read_document, _encrypted(plain, "secret"), "locked.pdf")
    assert "password" in message
