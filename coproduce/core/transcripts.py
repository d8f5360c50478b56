"""Read a meeting or interview transcript into speaker turns: the one transcript reader.

Evidence imports (`coproduce.evaluation.parsing.read_transcript`) and the story splitter
(`coproduce.stories.split`) read transcripts here. The accepted formats are described in
docs/evidence-formats.md:

* WebVTT (.vtt): cues with timings; the speaker from a `<v Name>` voice tag or a `Name:` prefix;
* SubRip (.srt): numbered cues; the speaker from a `Name:` prefix;
* plain text: `Name: text` labels (optionally after a time), the Teams "Name 0:03" heading,
  or, with too few labels, paragraphs with no speaker.

`read_transcript` gives one `Turn` per speaker turn, merging consecutive cues or lines by the
same named speaker (cues keep their start and end times). Every problem raises
`TranscriptError`, one plain-English line that names the file and, where it can, the line.
Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FORMATS = ("vtt", "srt", "txt")


class TranscriptError(ValueError):
    """A transcript cannot be read. The message is one plain-English line."""


@dataclass(frozen=True)
class Turn:
    """One speaker's turn (or one cue) in a transcript."""

    speaker: str  # "" when the transcript does not say who is speaking
    text: str
    start: float | None = None  # seconds from the start, when the file has times
    end: float | None = None  # seconds, for cues


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 text (a byte-order mark is fine) with line endings made "\\n"."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
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
# "[00:01:02] Jane: ..." or "00:01:02 Jane: ..." in plain-text transcripts.
_TXT_TIME = re.compile(r"^\[?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\]?[ \t]+")
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


def _split_label(text: str) -> tuple[str, str] | None:
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
    return speaker, match["text"].strip()


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
                speaker, part = labelled
        if part:
            cleaned.append((speaker, part))
    return cleaned


class _Turns:
    """Collects turns, merging consecutive pieces by the same named speaker."""

    def __init__(self) -> None:
        self.turns: list[tuple[str, list[str], float | None, float | None]] = []

    def add(
        self,
        speaker: str | None,
        text: str,
        start: float | None,
        *,
        merge: bool,
        end: float | None = None,
    ) -> None:
        speaker = speaker or ""
        if merge and speaker and self.turns and self.turns[-1][0] == speaker:
            last = self.turns[-1]
            last[1].append(text)
            self.turns[-1] = (last[0], last[1], last[2], end if end is not None else last[3])
            return
        self.turns.append((speaker, [text], start, end))

    def result(self, filename: str) -> list[Turn]:
        if not self.turns:
            raise TranscriptError(f"{filename} has no spoken text in it.")
        return [
            Turn(speaker=speaker, text=" ".join(parts), start=start, end=end)
            for speaker, parts, start, end in self.turns
        ]


def _read_vtt(text: str, filename: str) -> list[Turn]:
    lines = text.split("\n")
    header = lines[0] if lines else ""
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", header):
        raise TranscriptError(
            f"{filename} line 1: a WebVTT file must start with 'WEBVTT' "
            f"but this one starts with '{header.strip()[:40]}'."
        )
    turns = _Turns()
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
        body = " ".join(line for _, line in block[timing_at + 1 :])
        for speaker, part in _cue_segments(body):
            turns.add(speaker, part, start, merge=True, end=end)
    return turns.result(filename)


def _read_srt(text: str, filename: str) -> list[Turn]:
    turns = _Turns()
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
        body = " ".join(line for _, line in block[timing_at + 1 :])
        for speaker, part in _cue_segments(body):
            turns.add(speaker, part, start, merge=True, end=end)
    return turns.result(filename)


def _txt_time(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()[:3]
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


def _read_txt_transcript(text: str, filename: str) -> list[Turn]:
    lines = [line.strip() for line in text.split("\n")]
    if not any(lines):
        raise TranscriptError(f"{filename} has no text in it.")

    # Each non-blank line: (time or None, speaker or None, text). A Teams-style heading
    # "Jane Smith 0:03" on its own line names the speaker of the lines below it.
    parsed: list[tuple[float | None, str | None, str] | None] = []
    labelled = 0
    for line in lines:
        if not line:
            parsed.append(None)
            continue
        heading = _TEAMS_HEADING.match(line)
        if heading and heading["speaker"].lower() not in _NOT_SPEAKERS:
            seconds = int(heading["h"] or 0) * 3600 + int(heading["m"]) * 60 + int(heading["s"])
            parsed.append((float(seconds), _clean(heading["speaker"]), ""))
            labelled += 1
            continue
        start = None
        stamp = _TXT_TIME.match(line)
        if stamp:
            start, line = float(_txt_time(stamp)), line[stamp.end() :]
        split = _split_label(line)
        if split:
            labelled += 1
            parsed.append((start, split[0], split[1]))
        else:
            parsed.append((start, None, line))

    turns = _Turns()
    paragraphs = sum(
        1
        for position, item in enumerate(parsed)
        if item and (position == 0 or not parsed[position - 1])
    )
    if labelled and labelled * 2 >= paragraphs:
        # Labelled transcript: a label starts a turn; unlabelled lines continue it.
        current: tuple[str, list[str], float | None] | None = None

        def flush() -> None:
            if current and current[1]:
                turns.add(current[0], " ".join(current[1]), current[2], merge=True)

        for item in parsed:
            if item is None:
                continue
            start, speaker, body = item
            if speaker is not None:
                flush()
                current = (speaker, [body] if body else [], start)
            elif current is None:
                current = ("", [body], start)
            else:
                current[1].append(body)
        flush()
    else:
        # No labels: each paragraph (lines separated by a blank line) is a turn.
        block: list[str] = []
        block_start: float | None = None
        for item in [*parsed, None]:
            if item is None:
                if block:
                    turns.add("", " ".join(block), block_start, merge=False)
                block, block_start = [], None
                continue
            start, speaker, body = item
            if not block:
                block_start = start
            block.append(f"{speaker}: {body}" if speaker else body)
    return turns.result(filename)


def read_transcript(text: str, fmt: str, filename: str) -> list[Turn]:
    """The speaker turns of a decoded transcript; `fmt` is "vtt", "srt" or "txt"."""
    if not text.strip():
        raise TranscriptError(f"{filename} has no text in it.")
    if fmt == "vtt":
        return _read_vtt(text, filename)
    if fmt == "srt":
        return _read_srt(text, filename)
    return _read_txt_transcript(text, filename)
