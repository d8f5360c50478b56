"""Read evidence files for the annual health check: pure Python, no Django.

Four readers, each taking the file's bytes and its name (the name picks the format and is
used in messages):

* `read_transcript`: a meeting transcript (.vtt, .srt, .txt, .docx) split into speaker turns;
* `read_survey`: the Tenant Satisfaction Measures perception survey export (.csv, .xlsx);
* `read_tsm_figures`: TSM management figures (RP, BS, CH, NM codes) (.csv, .xlsx);
* `read_document`: the text of a .pdf, .docx or .txt document.

Every problem with a file raises `EvidenceError`, a `ValueError` whose message is one
plain-English line that names the file and, where it can, the line and column. A reader
either returns everything in the file or raises: there is never a partial result, so the
caller can import all-or-nothing. The accepted formats are described in
docs/evidence-formats.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from coproduce.core.text import (
    MULTILINE_MESSAGE,
    SINGLE_LINE_MESSAGE,
    multiline_problem,
    single_line_problem,
)

__all__ = [
    "TSM_MEASURES",
    "EvidenceError",
    "Figure",
    "SurveyFile",
    "SurveyRow",
    "Turn",
    "read_document",
    "read_survey",
    "read_transcript",
    "read_tsm_figures",
]


class EvidenceError(ValueError):
    """A file cannot be read as evidence. The message is one plain-English line."""


# The 22 Tenant Satisfaction Measures (Regulator of Social Housing, from April 2023).
TSM_MEASURES: dict[str, str] = {
    "TP01": "Overall satisfaction",
    "TP02": "Satisfaction with repairs",
    "TP03": "Satisfaction with time taken to complete most recent repair",
    "TP04": "Satisfaction that the home is well maintained",
    "TP05": "Satisfaction that the home is safe",
    "TP06": "Satisfaction that the landlord listens to tenant views and acts upon them",
    "TP07": (
        "Satisfaction that the landlord keeps tenants informed about things that matter to them"
    ),
    "TP08": "Agreement that the landlord treats tenants fairly and with respect",
    "TP09": "Satisfaction with the landlord's approach to handling complaints",
    "TP10": "Satisfaction that the landlord keeps communal areas clean and well maintained",
    "TP11": "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
    "TP12": "Satisfaction with the landlord's approach to handling anti-social behaviour",
    "RP01": "Homes that do not meet the Decent Homes Standard",
    "RP02": "Repairs completed within target timescale",
    "BS01": "Gas safety checks",
    "BS02": "Fire safety checks",
    "BS03": "Asbestos safety checks",
    "BS04": "Water safety checks",
    "BS05": "Lift safety checks",
    "CH01": "Complaints relative to the size of the landlord",
    "CH02": "Complaints responded to within Complaint Handling Code timescales",
    "NM01": "Anti-social behaviour cases relative to the size of the landlord",
}

SCORE_CODES = tuple(f"TP{number:02d}" for number in range(1, 13))
FIGURE_CODES = ("RP01", "RP02", "BS01", "BS02", "BS03", "BS04", "BS05", "CH01", "CH02", "NM01")
# Management figures that are percentages (0-100). CH01 and NM01 are rates per 1,000 homes.
PERCENT_CODES = frozenset({"RP01", "RP02", "BS01", "BS02", "BS03", "BS04", "BS05", "CH02"})
# Measures the regulator splits into two parts, e.g. "CH01(1)" stage one and "CH01(2)" stage
# two complaints. This format takes one value per measure, so parts are refused with a message.
PART_CODES = frozenset({"RP02", "CH01", "CH02", "NM01"})


@dataclass(frozen=True)
class Turn:
    """One speaker's turn in a transcript. `index` counts from 0 in file order."""

    speaker: str  # "" when the transcript does not say who is speaking
    text: str
    start_seconds: float | None
    index: int


@dataclass(frozen=True)
class SurveyRow:
    line: int  # the line (CSV) or row (XLSX) the respondent is on; the header is line 1
    respondent: str
    date: dt.date | None
    scores: dict[str, int | None]  # "TP01" -> 1..5 (TP05 also 0), None when blank
    comments: dict[str, str]  # comment column name -> text ("" when blank)
    context: dict[str, str]  # "area", "tenure", "age_band" when the file has them


@dataclass(frozen=True)
class SurveyFile:
    rows: list[SurveyRow]
    comment_columns: list[str]  # normalised names, in file order, e.g. ["comment", "tp01_comment"]
    score_columns: list[str] = field(default_factory=list)  # e.g. ["TP01", "TP05"]


@dataclass(frozen=True)
class Figure:
    code: str  # one of FIGURE_CODES, e.g. "RP01"
    value: float
    year: str  # as written in the file, e.g. "2024/25"; "" when not given
    description: str


# --------------------------------------------------------------------------- helpers


def _suffix(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _require_bytes(data: bytes) -> None:
    if not data:
        raise EvidenceError("The file is empty.")


def _decode(data: bytes, filename: str) -> str:
    """UTF-8 text (a byte-order mark is fine) with line endings made "\\n"."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EvidenceError(
            f"{filename} is not UTF-8 text (the first problem is on line {line}); "
            "save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise EvidenceError(
            f"{filename} has a NUL character on line {line}, so it is not a plain text file."
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _looks_like_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _check_archive(data: bytes, filename: str, damaged: str) -> None:
    """Refuse a zip bomb before openpyxl or python-docx open the file (core.uploads)."""
    from coproduce.core.uploads import ArchiveError, check_archive

    try:
        check_archive(data, name=filename)
    except ArchiveError as exc:
        raise EvidenceError(damaged if exc.damaged else str(exc)) from None


# --------------------------------------------------------------------------- transcripts

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
_TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx")


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
        raise EvidenceError(
            f"{filename} line {number}: '{line.strip()[:60]}' is not a valid cue timing "
            f"(expected something like '{example}')."
        )
    if end < start:
        raise EvidenceError(
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
        self.turns: list[tuple[str, list[str], float | None]] = []

    def add(self, speaker: str | None, text: str, start: float | None, *, merge: bool) -> None:
        speaker = speaker or ""
        if merge and speaker and self.turns and self.turns[-1][0] == speaker:
            self.turns[-1][1].append(text)
            return
        self.turns.append((speaker, [text], start))

    def result(self, filename: str) -> list[Turn]:
        if not self.turns:
            raise EvidenceError(f"{filename} has no spoken text in it.")
        return [
            Turn(speaker=speaker, text=" ".join(parts), start_seconds=start, index=index)
            for index, (speaker, parts, start) in enumerate(self.turns)
        ]


def _read_vtt(text: str, filename: str) -> list[Turn]:
    lines = text.split("\n")
    header = lines[0] if lines else ""
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", header):
        raise EvidenceError(
            f"{filename} line 1: a WebVTT file must start with 'WEBVTT' "
            f"but this one starts with '{header.strip()[:40]}'."
        )
    turns = _Turns()
    blocks = _blocks(lines)
    for number, line in next(blocks, []):  # the header block: WEBVTT and metadata lines
        if "-->" in line:
            raise EvidenceError(
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
            raise EvidenceError(
                f"{filename} line {first_number}: expected a cue timing like "
                f"'00:00:01.000 --> 00:00:04.000' but found '{first_line.strip()[:60]}'."
            )
        number, timing = block[timing_at]
        start, _ = _parse_timing(
            number, timing, filename, _vtt_seconds, "00:01:02.500 --> 00:01:05.000"
        )
        body = " ".join(line for _, line in block[timing_at + 1 :])
        for speaker, part in _cue_segments(body):
            turns.add(speaker, part, start, merge=True)
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
            raise EvidenceError(
                f"{filename} line {first_number}: expected a cue number or a timing like "
                f"'00:00:01,000 --> 00:00:04,000' but found '{first_line.strip()[:60]}'."
            )
        number, timing = block[timing_at]
        start, _ = _parse_timing(
            number, timing, filename, _srt_seconds, "00:01:02,500 --> 00:01:05,000"
        )
        body = " ".join(line for _, line in block[timing_at + 1 :])
        for speaker, part in _cue_segments(body):
            turns.add(speaker, part, start, merge=True)
    return turns.result(filename)


def _txt_time(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()[:3]
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


def _read_txt_transcript(text: str, filename: str) -> list[Turn]:
    lines = [line.strip() for line in text.split("\n")]
    if not any(lines):
        raise EvidenceError(f"{filename} has no text in it.")

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
        return _read_txt_transcript(_docx_text(data, filename), filename)
    text = _decode(data, filename)
    if not text.strip():
        raise EvidenceError(f"{filename} has no text in it.")
    if suffix == ".vtt":
        return _read_vtt(text, filename)
    if suffix == ".srt":
        return _read_srt(text, filename)
    return _read_txt_transcript(text, filename)


# --------------------------------------------------------------------------- tables


def _cell_text(value: Any, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and "%" in (number_format or ""):
        value = round(value * 100, 6)  # a cell formatted as a percentage holds 0.85 for 85%
        return f"{int(value) if float(value).is_integer() else value}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes, filename: str) -> list[tuple[int, list[str], bool]]:
    if _looks_like_zip(data):
        raise EvidenceError(
            f"{filename} is an Excel workbook, not a CSV file; rename it to .xlsx or save it "
            "as 'CSV UTF-8 (.csv)'."
        )
    text = _decode(data, filename)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [cell.strip() for cell in cells], False))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise EvidenceError(
            f"{filename} line {start} cannot be read as CSV ({exc}); "
            "check for a missing closing quote."
        ) from None
    return rows


def _xlsx_rows(data: bytes, filename: str) -> list[tuple[int, list[str], bool]]:
    from openpyxl import load_workbook

    not_excel = (
        f"{filename} is not an Excel spreadsheet (.xlsx); open it in a spreadsheet "
        "program and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8 (.csv)'."
    )
    _check_archive(data, filename, not_excel)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, InvalidFileException, XML errors ...
        raise EvidenceError(not_excel) from None
    try:
        if not book.worksheets:
            raise EvidenceError(f"{filename} has no worksheets.")
        rows = []
        for number, row in enumerate(book.worksheets[0].iter_rows(), 1):
            cells = [
                _cell_text(getattr(cell, "value", None), getattr(cell, "number_format", ""))
                for cell in row
            ]
            while cells and cells[-1] == "":
                cells.pop()
            rows.append((number, cells, True))
        return rows
    except EvidenceError:
        raise
    except Exception:
        raise EvidenceError(
            f"{filename} is damaged and cannot be read as a spreadsheet; save it again from "
            "your spreadsheet program."
        ) from None
    finally:
        book.close()


def _table_rows(data: bytes, filename: str, what: str) -> list[tuple[int, list[str], bool]]:
    suffix = _suffix(filename)
    if suffix not in (".csv", ".xlsx"):
        shown = f"a {suffix} file" if suffix else "a file with no extension"
        raise EvidenceError(
            f"{filename}: cannot read {shown} as {what}; save it as 'CSV UTF-8 (.csv)' or "
            "'Excel Workbook (.xlsx)'."
        )
    _require_bytes(data)
    rows = _csv_rows(data, filename) if suffix == ".csv" else _xlsx_rows(data, filename)
    return [(line, cells, padded) for line, cells, padded in rows if any(cells)]


def _header_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _check_header(
    cells: list[str], line: int, filename: str, known: Any
) -> tuple[list[str], set[int]]:
    """Normalised column names, and the positions of unnamed columns (allowed if empty)."""
    if len(cells) == 1 and ";" in cells[0]:
        raise EvidenceError(
            f"{filename} uses semicolons between columns; save it with commas instead "
            "('CSV UTF-8 (.csv)' in your spreadsheet program)."
        )
    if len(cells) == 1 and "\t" in cells[0]:
        raise EvidenceError(
            f"{filename} uses tabs between columns; save it with commas instead "
            "('CSV UTF-8 (.csv)' in your spreadsheet program)."
        )
    keys = [known(_header_key(cell)) or _header_key(cell) for cell in cells]
    blank = {position for position, key in enumerate(keys) if not key}
    seen: dict[str, int] = {}
    for position, key in enumerate(keys):
        if not key:
            continue
        if key in seen:
            raise EvidenceError(
                f"{filename} line {line}: the column {cells[position]!r} appears more than once."
            )
        seen[key] = position
    unknown = [cells[position] for position, key in enumerate(keys) if key and not known(key)]
    if unknown:
        names = []
        for name in unknown:
            close = difflib.get_close_matches(_header_key(name), known.names, n=1)
            names.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        raise EvidenceError(
            f"{filename} has {'an unknown column' if len(names) == 1 else 'unknown columns'}: "
            + ", ".join(names)
            + "; rename or remove "
            + ("it" if len(names) == 1 else "them")
            + " (see the list of accepted columns)."
        )
    return keys, blank


def _fit(row: tuple[int, list[str], bool], width: int, blank: set[int], filename: str) -> list[str]:
    line, cells, padded = row
    if len(cells) > width and any(cells[width:]):
        raise EvidenceError(
            f"{filename} line {line} has {len(cells)} values but the header has {width} columns."
        )
    if len(cells) < width and not padded:
        raise EvidenceError(
            f"{filename} line {line} has {len(cells)} values but the header has {width} "
            "columns; check for a line break inside a value that is not in quotes."
        )
    cells = (cells + [""] * width)[:width]
    for position in blank:
        if cells[position]:
            raise EvidenceError(
                f"{filename} line {line}: column {position + 1} has a value but no column name."
            )
    return cells


def _check_text(
    values: dict[str, str], line: int, filename: str, multiline: Callable[[str], bool]
) -> dict[str, str]:
    """Refuse control characters: none at all in one-line columns, only line breaks and tabs
    in free-text ones (comments, descriptions)."""
    for key, value in values.items():
        if multiline(key):
            if multiline_problem(value):
                raise EvidenceError(f"{filename} line {line}: {key}: {MULTILINE_MESSAGE}")
        elif single_line_problem(value):
            raise EvidenceError(f"{filename} line {line}: {key}: {SINGLE_LINE_MESSAGE}")
    return values


# --------------------------------------------------------------------------- survey

_ID_COLUMNS = ("id", "respondent_id", "respondent")
_DATE_COLUMNS = ("date", "survey_date")
_CONTEXT_COLUMNS = ("area", "tenure", "age_band")
_SCORE_KEY = re.compile(r"^tp0?(\d{1,2})$", re.IGNORECASE)
_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


class _SurveyColumns:
    names = [*_ID_COLUMNS, *_DATE_COLUMNS, *(c.lower() for c in SCORE_CODES), "comment"]
    names += [*_CONTEXT_COLUMNS]

    def __call__(self, key: str) -> str | None:
        score = _SCORE_KEY.match(key)
        if score and 1 <= int(score[1]) <= 12:
            return f"TP{int(score[1]):02d}"
        if key in _ID_COLUMNS or key in _DATE_COLUMNS or key in _CONTEXT_COLUMNS:
            return key
        if _is_comment(key):
            return key
        return None


def _is_comment(key: str) -> bool:
    return key.startswith("comment") or key.endswith("_comment") or key.endswith("_comments")


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SCORES = {str(number): number for number in range(1, 6)} | {
    f"{number}.0": number for number in range(1, 6)
}
_TP05_WORDS = dict.fromkeys(_YES, 1) | dict.fromkeys(_NO, 0)


def _parse_date(value: str) -> dt.date | None:
    iso = _ISO_DATE.fullmatch(value)
    uk = None if iso else _UK_DATE.fullmatch(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:  # 31/02/2025
        return None
    return None


def _parse_score(code: str, value: str) -> int | None | str:
    """The score, None for blank, or a string saying what is wrong."""
    if not value:
        return None
    score = _SCORES.get(value)
    if score is not None:
        return score
    if code == "TP05" and value.strip().lower() in _TP05_WORDS:
        return _TP05_WORDS[value.strip().lower()]
    allowed = (
        "1 to 5, yes, no or blank" if code == "TP05" else "a whole number from 1 to 5 or blank"
    )
    return f"{code} is '{value}' but must be {allowed}"


def read_survey(data: bytes, filename: str) -> SurveyFile:
    """Read a Tenant Satisfaction Measures survey export (.csv or .xlsx), all or nothing."""
    rows = _table_rows(data, filename, "a survey file")
    if not rows:
        raise EvidenceError(f"{filename} has no column names and no rows.")
    header, *body = rows
    known = _SurveyColumns()
    keys, blank = _check_header(header[1], header[0], filename, known)
    id_columns = [key for key in keys if key in _ID_COLUMNS]
    if not id_columns:
        raise EvidenceError(
            f"{filename} has no respondent id column; call it 'id', 'respondent_id' or "
            "'respondent'."
        )
    if len(id_columns) > 1:
        raise EvidenceError(
            f"{filename} has more than one respondent id column ({', '.join(id_columns)}); "
            "keep one."
        )
    date_columns = [key for key in keys if key in _DATE_COLUMNS]
    if len(date_columns) > 1:
        raise EvidenceError(
            f"{filename} has more than one date column ({', '.join(date_columns)}); keep one."
        )
    score_columns = [key for key in keys if key in SCORE_CODES]
    comment_columns = [key for key in keys if key and _is_comment(key)]
    if not score_columns and not comment_columns:
        raise EvidenceError(
            f"{filename} has no score columns (TP01 to TP12) and no comment columns, "
            "so there is nothing to import."
        )
    if not body:
        raise EvidenceError(f"{filename} has column names but no rows.")

    result: list[SurveyRow] = []
    first_line: dict[str, int] = {}
    for row in body:
        line = row[0]
        values = dict(zip(keys, _fit(row, len(keys), blank, filename), strict=True))
        _check_text(values, line, filename, _is_comment)
        respondent = values[id_columns[0]]
        if not respondent:
            raise EvidenceError(f"{filename} line {line}: the respondent id is empty.")
        if respondent in first_line:
            raise EvidenceError(
                f"{filename}: respondent '{respondent}' appears twice, on lines "
                f"{first_line[respondent]} and {line}."
            )
        first_line[respondent] = line
        date = None
        if date_columns and values[date_columns[0]]:
            date = _parse_date(values[date_columns[0]])
            if date is None:
                raise EvidenceError(
                    f"{filename} line {line}: the {date_columns[0]} "
                    f"'{values[date_columns[0]]}' is not a date like 2025-03-31 or 31/03/2025."
                )
        scores: dict[str, int | None] = {}
        for code in score_columns:
            score = _parse_score(code, values[code])
            if isinstance(score, str):
                raise EvidenceError(f"{filename} line {line}: {score}.")
            scores[code] = score
        result.append(
            SurveyRow(
                line=line,
                respondent=respondent,
                date=date,
                scores=scores,
                comments={key: values[key] for key in comment_columns},
                context={key: values[key] for key in _CONTEXT_COLUMNS if key in values},
            )
        )
    return SurveyFile(rows=result, comment_columns=comment_columns, score_columns=score_columns)


# --------------------------------------------------------------------------- TSM figures

_FIGURE_COLUMNS = ("code", "value", "year", "description")
_CODE = re.compile(r"^([A-Za-z]{2})\s*0?(\d{1,2})(?:\s*[(_.\-\s]\s*([12])\s*\)?)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


class _FigureColumns:
    names = list(_FIGURE_COLUMNS)

    def __call__(self, key: str) -> str | None:
        return key if key in _FIGURE_COLUMNS else None


def _figure_code(text: str, line: int, filename: str) -> str:
    match = _CODE.match(text.strip())
    code = f"{match[1].upper()}{int(match[2]):02d}" if match else ""
    if code not in FIGURE_CODES or (match and match[3] and code not in PART_CODES):
        raise EvidenceError(
            f"{filename} line {line}: '{text}' is not a TSM management measure code "
            "(use RP01, RP02, BS01 to BS05, CH01, CH02 or NM01)."
        )
    if match and match[3]:
        raise EvidenceError(
            f"{filename} line {line}: '{text}' is one part of {code}; give one value for "
            f"{code} as a whole (one row per measure)."
        )
    return code


def read_tsm_figures(data: bytes, filename: str) -> list[Figure]:
    """Read TSM management figures (columns code, value, optional year and description)."""
    rows = _table_rows(data, filename, "TSM figures")
    if not rows:
        raise EvidenceError(f"{filename} has no column names and no rows.")
    header, *body = rows
    keys, blank = _check_header(header[1], header[0], filename, _FigureColumns())
    missing = [name for name in ("code", "value") if name not in keys]
    if missing:
        raise EvidenceError(
            f"{filename} has no {' or '.join(repr(name) for name in missing)} column; "
            "the columns are code, value and (optionally) year and description."
        )
    if not body:
        raise EvidenceError(f"{filename} has column names but no rows.")
    figures: list[Figure] = []
    first_line: dict[tuple[str, str], int] = {}
    for row in body:
        line = row[0]
        values = dict(zip(keys, _fit(row, len(keys), blank, filename), strict=True))
        _check_text(values, line, filename, lambda key: key == "description")
        code = _figure_code(values["code"], line, filename)
        raw = values["value"]
        text = raw.strip().removesuffix("%").strip()
        if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
            raise EvidenceError(
                f"{filename} line {line}: the value for {code} is '{raw}' but must be a number "
                "such as 85, 85.0 or 85%."
            )
        value = float(text.replace(",", ""))
        if value < 0:
            raise EvidenceError(f"{filename} line {line}: the value for {code} is negative.")
        if code in PERCENT_CODES and value > 100:
            raise EvidenceError(
                f"{filename} line {line}: {code} is a percentage, so {raw} is more than 100."
            )
        year = values.get("year", "")
        if (code, year) in first_line:
            raise EvidenceError(
                f"{filename}: {code}{f' for {year}' if year else ''} appears twice, on lines "
                f"{first_line[(code, year)]} and {line}."
            )
        first_line[(code, year)] = line
        figures.append(
            Figure(code=code, value=value, year=year, description=values.get("description", ""))
        )
    return figures


# --------------------------------------------------------------------------- documents

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
