"""Read a meeting or interview transcript into speaker turns: the one transcript reader.

Evidence imports (`coproduce.evaluation.parsing.read_transcript`) and the story splitter
(`coproduce.stories.split`) read transcripts here. The accepted formats are described in
docs/evidence-formats.md:

* WebVTT (.vtt): cues with timings; the speaker from a `<v Name>` voice tag or a `Name:` prefix;
* SubRip (.srt): numbered cues; the speaker from a `Name:` prefix;
* plain text: `Name: text` labels (optionally after a time), the Teams "Name 0:03" heading,
  or, with too few labels, notes with no speaker.

`read_transcript` gives one `Turn` per speaker turn, merging consecutive cues or lines by the
same named speaker (cues keep their start and end times); with `merge=False` it gives one
`Turn` per cue (per voice in it) or per line, so a caller can point into the source. Every
`Turn` says where it comes from: `offset` (plain text) or `cue` (.vtt and .srt).

Plain text is read one of two ways, chosen by the caller with `plain` (the one rule the
evidence import and the story splitter do not share; docs/evidence-formats.md and
docs/stories.md describe each):

* `"paragraphs"` (evidence): the file is a labelled transcript when at least half of its
  paragraphs start with a label; otherwise each paragraph is one turn with no speaker;
* `"lines"` (stories): it is a labelled transcript when at least two names each start two or
  more lines and those lines are at least 30% of all lines, and only those names are
  speakers; otherwise each line is one turn with no speaker.

Every problem raises `TranscriptError`, one plain-English line that names the file and, where
it can, the line. Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

FORMATS = ("vtt", "srt", "txt")
PlainText = Literal["paragraphs", "lines"]


class TranscriptError(ValueError):
    """A transcript cannot be read. The message is one plain-English line."""


@dataclass(frozen=True)
class Turn:
    """One speaker's turn (or one cue) in a transcript."""

    speaker: str  # "" when the transcript does not say who is speaking
    text: str
    start: float | None = None  # seconds from the start, when the file has times
    end: float | None = None  # seconds, for cues
    # Where the turn starts in the source. Plain text: the character offset of `text` in the
    # decoded text (exact for a line: `source[offset:].startswith(text)`). Cues: the 0-based
    # index of its first cue, counting only cues with spoken text.
    offset: int | None = None
    cue: int | None = None


def decode_text(data: bytes, filename: str, *, windows_1252: bool = False) -> str:
    """UTF-8 text (a byte-order mark is fine) with line endings made "\\n".

    With `windows_1252`, text that is not UTF-8 is read as Windows-1252, what older Windows
    editors save (the story import has always taken it; evidence asks for UTF-8).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            if not windows_1252:
                raise
            text = data.decode("cp1252")  # five byte values are not Windows-1252 either
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise TranscriptError(
                f"{filename} is not UTF-8 text (the first problem is on line {line}); "
                "save it as UTF-8 and try again."
            ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TranscriptError(
            f"{filename} has a NUL character on line {line}, so it is not a plain text file."
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean(text: str) -> str:
    return " ".join(text.split())


_VTT_TIME = re.compile(r"^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_SRT_TIME = re.compile(r"^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{1,3})$")
_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[^>\s][^>]*>")
# "Jane Smith: ...", "Speaker 2: ...", "Cllr O'Neill: ..." - up to five words before the colon.
_LABEL = re.compile(
    r"^(?P<speaker>[^\W\d_][\w.'’()&\-]*(?:[ \t]+[\w.'’()&\-]+){0,4})[ \t]*:[ \t]*(?P<text>.*)$"
)
# "[00:01:02] Jane: ...", "(00:01:02) Jane: ..." or "00:01:02 Jane: ..." in plain text.
_TXT_TIME = re.compile(r"^[\[(]?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?[\])]?[ \t]+")
# Microsoft Teams-style heading: "Jane Smith   0:03" or "Jane Smith 1:02:03" on its own line.
_TEAMS_HEADING = re.compile(
    r"^(?P<speaker>[^\W\d_][\w.'’()&\-]*(?:[ \t]+[^\W\d_][\w.'’()&\-]*){0,4})[ \t]+"
    r"(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})$"
)
# Words that often end a label-looking phrase but are not speakers.
_NOT_SPEAKERS = frozenset(
    {"note", "notes", "re", "fw", "fwd", "subject", "date", "time", "ps", "nb", "http", "https"}
)
# "I said to them: ..." is a sentence, not a speaker's label.
_SPEECH_WORDS = frozenset(
    "said says told tells asked asks is was are were will would think thinks feel feels".split()
)


def _split_label(text: str) -> tuple[str, str, int] | None:
    """(speaker, what they said, where that starts in `text`) for a `Name: text` line."""
    match = _LABEL.match(text)
    if not match:
        return None
    speaker = _clean(match["speaker"])
    if (
        not speaker[0].isupper()
        or speaker.lower() in _NOT_SPEAKERS
        or any(word in _SPEECH_WORDS for word in speaker.lower().split())
    ):
        return None
    return speaker, match["text"].strip(), match.start("text")


def _vtt_seconds(stamp: str) -> float | None:
    match = _VTT_TIME.match(stamp)
    if not match:
        return None
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _srt_seconds(stamp: str) -> float | None:
    match = _SRT_TIME.match(stamp)
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")) / 1000


def _blocks(lines: list[str], first: int = 0) -> Iterator[list[tuple[int, str]]]:
    """Groups of non-blank lines separated by blank lines, with 1-based line numbers."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines[first:], first + 1):
        if line.strip():
            block.append((number, line.rstrip()))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _parse_timing(
    number: int, line: str, filename: str, seconds: Any, example: str
) -> tuple[float, float]:
    match = _TIMING.match(line)
    start = end = None
    if match:
        start, end = seconds(match[1]), seconds(match[2])
    if start is None or end is None:
        raise TranscriptError(
            f"{filename} line {number}: '{line.strip()[:60]}' is not a valid cue timing "
            f"(expected something like '{example}')."
        )
    if end < start:
        raise TranscriptError(
            f"{filename} line {number}: the cue ends before it starts ('{line.strip()[:60]}')."
        )
    return start, end


def _cue_segments(text: str) -> list[tuple[str | None, str]]:
    """Split cue text into (speaker or None, text) by <v> voice tags, then clean it."""
    segments: list[tuple[str | None, str]] = []
    matches = list(_VOICE.finditer(text))
    if not matches:
        segments.append((None, text))
    else:
        if text[: matches[0].start()].strip():
            segments.append((None, text[: matches[0].start()]))
        for position, match in enumerate(matches):
            stop = matches[position + 1].start() if position + 1 < len(matches) else len(text)
            segments.append((_clean(match[1] or ""), text[match.end() : stop]))
    cleaned = []
    for speaker, part in segments:
        part = _clean(html.unescape(_TAG.sub("", part)))
        if speaker is None:
            labelled = _split_label(part)
            if labelled:
                speaker, part, _ = labelled
        if part:
            cleaned.append((speaker, part))
    return cleaned


@dataclass(frozen=True)
class _Piece:
    """One cue's (or voice's) text, or one line's, before turns are merged."""

    turn: Turn
    continues: bool = False  # joins the turn before it whoever speaks (a continuation line)


def _merge(pieces: list[_Piece]) -> list[Turn]:
    """Join continuation pieces to the turn before them, and consecutive pieces by the same
    named speaker; a merged turn starts where its first piece starts and ends at its last."""
    turns: list[Turn] = []
    for piece in pieces:
        turn = piece.turn
        last = turns[-1] if turns else None
        if last and (piece.continues or (turn.speaker and turn.speaker == last.speaker)):
            end = turn.end if turn.end is not None else last.end
            turns[-1] = replace(last, text=f"{last.text} {turn.text}", end=end)
        else:
            turns.append(turn)
    return turns


class _Cues:
    """Collects the pieces of cue text, numbering the cues that have spoken text."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.count = 0

    def add(self, body: str, start: float, end: float) -> None:
        segments = _cue_segments(body)
        for speaker, part in segments:
            turn = Turn(speaker or "", part, start, end, cue=self.count)
            self.pieces.append(_Piece(turn))
        if segments:
            self.count += 1


def _read_vtt(text: str, filename: str) -> list[_Piece]:
    lines = text.split("\n")
    header = lines[0] if lines else ""
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", header):
        raise TranscriptError(
            f"{filename} line 1: a WebVTT file must start with 'WEBVTT' "
            f"but this one starts with '{header[:40]}'."
        )
    cues = _Cues()
    blocks = _blocks(lines)
    for number, line in next(blocks, []):  # the header block: WEBVTT and metadata lines
        if "-->" in line:
            raise TranscriptError(
                f"{filename} line {number}: a blank line is needed between the WEBVTT header "
                "and the first cue."
            )
    for block in blocks:
        first_number, first_line = block[0]
        keyword = first_line.split(None, 1)[0] if first_line.split() else ""
        if keyword in {"NOTE", "STYLE", "REGION"} and "-->" not in first_line:
            continue
        if "-->" in first_line:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1][1]:
            timing_at = 1  # the first line is the cue's identifier
        else:
            raise TranscriptError(
                f"{filename} line {first_number}: expected a cue timing like "
                f"'00:00:01.000 --> 00:00:04.000' but found '{first_line.strip()[:60]}'."
            )
        number, timing = block[timing_at]
        start, end = _parse_timing(
            number, timing, filename, _vtt_seconds, "00:01:02.500 --> 00:01:05.000"
        )
        cues.add(" ".join(line for _, line in block[timing_at + 1 :]), start, end)
    return cues.pieces


def _read_srt(text: str, filename: str) -> list[_Piece]:
    cues = _Cues()
    for block in _blocks(text.split("\n")):
        first_number, first_line = block[0]
        if first_line.strip().isdigit() and len(block) > 1:
            timing_at = 1
        elif "-->" in first_line:
            timing_at = 0  # some tools leave out the cue numbers
        else:
            raise TranscriptError(
                f"{filename} line {first_number}: expected a cue number or a timing like "
                f"'00:00:01,000 --> 00:00:04,000' but found '{first_line.strip()[:60]}'."
            )
        number, timing = block[timing_at]
        start, end = _parse_timing(
            number, timing, filename, _srt_seconds, "00:01:02,500 --> 00:01:05,000"
        )
        cues.add(" ".join(line for _, line in block[timing_at + 1 :]), start, end)
    return cues.pieces


def _txt_time(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()[:3]
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


@dataclass(frozen=True)
class _Line:
    """One non-blank line of a plain-text transcript."""

    paragraph: int  # which paragraph (lines between blank lines) it is in, from 0
    start: float | None  # the time written at its start, if any
    text: str  # the line without that time, stripped
    offset: int  # where `text` starts in the decoded text
    speaker: str | None = None  # the label's name, when the line starts with one
    body: str = ""  # what follows the label
    body_offset: int = 0


def _txt_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset, paragraph = 0, 0
    for raw in text.split("\n"):
        line, at = raw.strip(), offset + len(raw) - len(raw.lstrip())
        offset += len(raw) + 1
        if not line:
            paragraph += 1 if lines and lines[-1].paragraph == paragraph else 0
            continue
        # A Teams-style heading "Jane Smith 0:03" on its own line names the speaker of the
        # lines below it.
        heading = _TEAMS_HEADING.match(line)
        if heading and heading["speaker"].lower() not in _NOT_SPEAKERS:
            seconds = int(heading["h"] or 0) * 3600 + int(heading["m"]) * 60 + int(heading["s"])
            speaker = _clean(heading["speaker"])
            lines.append(_Line(paragraph, float(seconds), line, at, speaker, "", at + len(line)))
            continue
        start = None
        stamp = _TXT_TIME.match(line)
        if stamp:
            start, line, at = float(_txt_time(stamp)), line[stamp.end() :], at + stamp.end()
        label = _split_label(line)
        if label:
            speaker, body, body_at = label
            lines.append(_Line(paragraph, start, line, at, speaker, body, at + body_at))
        else:
            lines.append(_Line(paragraph, start, line, at))
    return lines


def _speakers(lines: list[_Line], plain: PlainText) -> set[str]:
    """The names that make this a labelled transcript (none: it is read as notes)."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.speaker is not None:
            counts[line.speaker] = counts.get(line.speaker, 0) + 1
    if plain == "lines":
        speakers = {name for name, n in counts.items() if n >= 2}
        labelled_lines = sum(counts[name] for name in speakers)
        return speakers if len(speakers) >= 2 and labelled_lines >= 0.3 * len(lines) else set()
    paragraphs = len({line.paragraph for line in lines})
    labelled = sum(counts.values())
    return set(counts) if labelled and labelled * 2 >= paragraphs else set()


def _read_txt(text: str, filename: str, plain: PlainText) -> list[_Piece]:
    lines = _txt_lines(text)
    if not lines:
        raise TranscriptError(f"{filename} has no text in it.")
    speakers = _speakers(lines, plain)
    pieces: list[_Piece] = []
    if not speakers:
        # Notes: each paragraph (or each line) is a turn with no speaker.
        for index, line in enumerate(lines):
            joins = index > 0 and lines[index - 1].paragraph == line.paragraph
            turn = Turn("", line.text, line.start, offset=line.offset)
            pieces.append(_Piece(turn, continues=plain == "paragraphs" and joins))
        return pieces
    # Labelled transcript: a label starts a turn; unlabelled lines continue it.
    speaker, start = "", None
    first = True  # the next line with text starts the turn
    for line in lines:
        if line.speaker in speakers:
            speaker, start, first = line.speaker, line.start, True
            if not line.body:
                continue  # the label is a heading: its turn is the lines below it
            turn = Turn(speaker, line.body, start, offset=line.body_offset)
        else:
            turn = Turn(speaker, line.text, start if first else line.start, offset=line.offset)
        pieces.append(_Piece(turn, continues=not first))
        first = False
    return pieces


def read_transcript(
    text: str,
    fmt: str,
    filename: str,
    *,
    plain: PlainText = "paragraphs",
    merge: bool = True,
) -> list[Turn]:
    """The speaker turns of a decoded transcript; `fmt` is "vtt", "srt" or "txt".

    `plain` chooses how plain text without enough labels is read (see the module's
    docstring). With `merge=False` every cue (every voice in it) or every line is its own
    turn, with its own position; labelled lines carry the speaker of the turn they are in.
    """
    if not text.strip():
        raise TranscriptError(f"{filename} has no text in it.")
    if fmt == "vtt":
        pieces = _read_vtt(text, filename)
    elif fmt == "srt":
        pieces = _read_srt(text, filename)
    else:
        pieces = _read_txt(text, filename, plain)
    if not pieces:
        raise TranscriptError(f"{filename} has no spoken text in it.")
    return _merge(pieces) if merge else [piece.turn for piece in pieces]
