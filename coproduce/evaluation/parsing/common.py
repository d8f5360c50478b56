"""What every evidence reader shares: the error, the file's extension, UTF-8 text."""

from __future__ import annotations

from coproduce.core.transcripts import TranscriptError, decode_text


class EvidenceError(ValueError):
    """A file cannot be read as evidence. The message is one plain-English line."""


def _suffix(filename: str) -> str:
    from coproduce.core.tabular import suffix_of

    return suffix_of(filename)


def _require_bytes(data: bytes) -> None:
    if not data:
        raise EvidenceError("The file is empty.")


def _decode(data: bytes, filename: str) -> str:
    """UTF-8 text (a byte-order mark is fine) with line endings made "\\n"."""
    try:
        return decode_text(data, filename)
    except TranscriptError as exc:
        raise EvidenceError(str(exc)) from None


def _looks_like_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _check_archive(data: bytes, filename: str, damaged: str) -> None:
    """Refuse a zip bomb before openpyxl or python-docx open the file (core.uploads)."""
    from coproduce.core.uploads import ArchiveError, check_archive

    try:
        check_archive(data, name=filename)
    except ArchiveError as exc:
        raise EvidenceError(damaged if exc.damaged else str(exc)) from None
