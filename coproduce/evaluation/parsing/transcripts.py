"""Meeting transcripts as evidence (.vtt, .srt, .txt, .docx), read by `core.transcripts`."""

from __future__ import annotations

from coproduce.core import transcripts
from coproduce.core.transcripts import Turn
from coproduce.evaluation.parsing.common import EvidenceError, _decode, _require_bytes, _suffix
from coproduce.evaluation.parsing.documents import _docx_text

_TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx")


def read_transcript(data: bytes, filename: str) -> list[Turn]:
    """Split a meeting transcript into speaker turns, in order.

    .vtt (WebVTT, from Teams/Zoom/Meet), .srt (SubRip) and .txt are read; a .docx transcript
    is read as text (its paragraphs as lines). Consecutive cues or lines by the same named
    speaker are merged into one turn.
    """
    suffix = _suffix(filename)
    if suffix not in _TRANSCRIPT_SUFFIXES:
        raise EvidenceError(
            f"{filename}: a transcript must be a .vtt, .srt or .txt file (or a .docx); "
            "download the transcript from your video-call service in one of those formats."
        )
    _require_bytes(data)
    if suffix == ".docx":
        text, fmt = _docx_text(data, filename), "txt"
    else:
        text, fmt = _decode(data, filename), suffix.lstrip(".")
    try:
        return transcripts.read_transcript(text, fmt, filename)
    except transcripts.TranscriptError as exc:
        raise EvidenceError(str(exc)) from None
