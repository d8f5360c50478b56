"""The text of a document (.pdf, .docx, .txt); .docx transcripts are read with it too."""

from __future__ import annotations

import io
from typing import Any

from coproduce.evaluation.parsing.common import (
    EvidenceError,
    _check_archive,
    _decode,
    _looks_like_zip,
    _require_bytes,
    _suffix,
)

_DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt")


def _pdf_text(data: bytes, filename: str) -> str:
    import logging

    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise EvidenceError(f"{filename} is not a PDF file.")
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf warns about every small flaw it repairs
    try:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise EvidenceError(
                    f"{filename} is protected with a password; save a copy without one."
                )
            from coproduce.core.uploads import PDF_MAX_PAGES, TEXT_MAX_CHARS

            if len(reader.pages) > PDF_MAX_PAGES:
                raise EvidenceError(
                    f"{filename} has {len(reader.pages):,} pages; the most we read is "
                    f"{PDF_MAX_PAGES:,}. Split it into smaller documents."
                )
            pages: list[str] = []
            read = 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                read += len(pages[-1])
                if read > TEXT_MAX_CHARS:
                    raise EvidenceError(
                        f"{filename} holds more text than we can read at once; split it into "
                        "smaller documents."
                    )
        except EvidenceError:
            raise
        except Exception:  # PdfReadError, struct/zlib errors, recursion in broken files ...
            raise EvidenceError(
                f"{filename} is damaged and cannot be read as a PDF; save or export it again."
            ) from None
    finally:
        logger.setLevel(level)
    text = "\n\n".join(page.strip() for page in pages if page.strip()).replace("\x00", "")
    if not text.strip():
        raise EvidenceError(
            f"{filename} has no text we can read (is it a scan?); use a PDF with selectable text "
            "or type up the content."
        )
    return text


def _docx_text(data: bytes, filename: str) -> str:
    import docx

    if not _looks_like_zip(data):
        raise EvidenceError(
            f"{filename} is not a Word document (.docx); if it is an old .doc file, save it "
            "as .docx."
        )
    _check_archive(
        data,
        filename,
        f"{filename} is damaged or is not a Word document (.docx); save it again as .docx.",
    )
    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        _docx_blocks(document, parts)
    except Exception:  # PackageNotFoundError, BadZipFile, KeyError, XML errors ...
        raise EvidenceError(
            f"{filename} is damaged or is not a Word document (.docx); save it again as .docx."
        ) from None
    text = "\n".join(parts).replace("\x00", "").strip()
    if not text:
        raise EvidenceError(f"{filename} has no text in it.")
    return text


def _docx_blocks(container: Any, parts: list[str]) -> None:
    """Paragraphs and tables in document order; each table row becomes one line."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is repeated across the row
                        continue
                    seen.add(id(cell._tc))
                    inner: list[str] = []
                    _docx_blocks(cell, inner)
                    text = " ".join(part for part in inner if part.strip())
                    if text:
                        cells.append(text)
                if cells:
                    parts.append(" | ".join(cells))
        else:
            parts.append(block.text)


def read_document(data: bytes, filename: str) -> str:
    """The text of a .pdf, .docx or .txt document."""
    suffix = _suffix(filename)
    if suffix not in _DOCUMENT_SUFFIXES:
        shown = f"a {suffix} file" if suffix else "a file with no extension"
        raise EvidenceError(
            f"{filename}: cannot read {shown}; documents must be .pdf, .docx or .txt."
        )
    _require_bytes(data)
    if suffix == ".pdf":
        return _pdf_text(data, filename)
    if suffix == ".docx":
        return _docx_text(data, filename)
    text = _decode(data, filename).strip()
    if not text:
        raise EvidenceError(f"{filename} has no text in it.")
    return text
