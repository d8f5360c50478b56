"""Read a Tenant Satisfaction Measures perception survey file (.csv or .xlsx), all or nothing.

One row per respondent, column names on the first row (matched ignoring case, spaces and
hyphens, as the evidence reader does: the same files are read by both, once a `tenure_type`
column is added). Pure Python: no Django, no database. The format is in docs/tsm.md.

Scale convention (the demo's files and docs/evidence-formats.md): a number 1-5 where **5 is the
most positive** answer (very satisfied, strongly agree) and 1 the most negative.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from coproduce.core import tabular


class SurveyError(ValueError):
    """The file cannot be used; one message naming the file, line and column."""


TENURES = ("LCRA", "LCHO")
# What the database keeps (tsm.models): a longer id, or a weight with more digits, is refused
# here with a message rather than by the database with an error.
RESPONDENT_MAX = 100
WEIGHT_MIN = Decimal("0.000001")
WEIGHT_LIMIT = Decimal(1_000_000)
QUESTIONS = tuple(f"TP{number:02d}" for number in range(1, 13))
# Screening questions: only respondents answering "yes" are asked (and counted in) the measure.
SCREENING = {
    "repair_12m": ("TP02", "TP03"),
    "complaint_12m": ("TP09",),
    "communal_areas": ("TP10",),
}
PROFILE_COLUMNS = ("area", "age_band", "ethnic_group", "disability", "sex", "tenure")

SATISFACTION = (
    "very_dissatisfied",
    "fairly_dissatisfied",
    "neither",
    "fairly_satisfied",
    "very_satisfied",
)  # position + 1 is the number in the file: 5 is very satisfied
AGREEMENT = ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")
DONT_KNOW = "dont_know"

_ID_COLUMNS = ("id", "respondent_id", "respondent")
_DATE_COLUMNS = ("date", "survey_date")
_ALIASES = {
    "tenure_type": "tenure_type",
    "weight": "weight",
    "repair_12m": "repair_12m",
    "repair_last_12_months": "repair_12m",
    "tp02_filter": "repair_12m",
    "complaint_12m": "complaint_12m",
    "complaint_last_12_months": "complaint_12m",
    "tp09_filter": "complaint_12m",
    "communal_areas": "communal_areas",
    "tp10_filter": "communal_areas",
}
_QUESTION_KEY = re.compile(r"^tp0?(\d{1,2})$")

_DONT_KNOW_WORDS = {"dont_know", "dk", "not_applicable", "n/a", "na", "not_known", "unsure"}
_WORDS = {
    "very_satisfied": "very_satisfied",
    "fairly_satisfied": "fairly_satisfied",
    "satisfied": "fairly_satisfied",
    "neither": "neither",
    "neither_satisfied_nor_dissatisfied": "neither",
    "neither_satisfied_or_dissatisfied": "neither",
    "fairly_dissatisfied": "fairly_dissatisfied",
    "dissatisfied": "fairly_dissatisfied",
    "very_dissatisfied": "very_dissatisfied",
}
_AGREE_WORDS = {
    "strongly_agree": "strongly_agree",
    "agree": "agree",
    "neither": "neither",
    "neither_agree_nor_disagree": "neither",
    "neither_agree_or_disagree": "neither",
    "disagree": "disagree",
    "strongly_disagree": "strongly_disagree",
}
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class Response:
    line: int  # line (CSV) or row (XLSX) in the file; the header is 1
    respondent: str
    tenure: str  # "LCRA" | "LCHO"
    answers: dict[str, str]  # "TP01" or a screening key -> answer code; unanswered is absent
    weight: Decimal | None  # from a `weight` column when the file has one
    profile: dict[str, str]  # optional columns as written: area, age_band, ...
    date: dt.date | None


@dataclass(frozen=True)
class SurveyData:
    responses: list[Response]
    questions: list[str]  # question keys present as columns, e.g. ["TP01", "repair_12m"]


def _word(value: str) -> str:
    """ "Don't know" -> "dont_know", "Very Satisfied" -> "very_satisfied"."""
    text = value.strip().lower().replace("\u2019", "").replace("'", "").replace("-", " ")
    return "_".join(text.split())


def _column(key: str) -> str | None:
    """Our name for a normalised header, or None if the column is not known."""
    question = _QUESTION_KEY.match(key)
    if question and 1 <= int(question[1]) <= 12:
        return f"TP{int(question[1]):02d}"
    if key in _ALIASES:
        return _ALIASES[key]
    if key in _ID_COLUMNS or key in _DATE_COLUMNS or key in PROFILE_COLUMNS:
        return key
    if key.startswith("comment") or key.endswith(("_comment", "_comments")):
        return key
    return None


def _is_comment(key: str) -> bool:
    return key.startswith("comment") or key.endswith(("_comment", "_comments"))


_KNOWN_NAMES = [*_ID_COLUMNS, *_DATE_COLUMNS, *(q.lower() for q in QUESTIONS), *_ALIASES]
_KNOWN_NAMES += [*PROFILE_COLUMNS, "comment"]


def parse_answer(key: str, value: str) -> str | None:
    """The answer code for a cell, None when blank; SurveyError text (str) is raised by caller."""
    if not value:
        return None
    word = _word(value)
    number = word[:-2] if word.endswith(".0") else word
    if word in _DONT_KNOW_WORDS:
        return DONT_KNOW
    if key in SCREENING:
        if word in _YES:
            return "yes"
        if word in _NO:
            return "no"
        raise ValueError("must be yes, no, don't know or blank")
    scale = AGREEMENT if key == "TP08" else SATISFACTION
    if number in {"1", "2", "3", "4", "5"}:
        return scale[int(number) - 1]
    words = _AGREE_WORDS if key == "TP08" else _WORDS
    if word in words:
        return words[word]
    if key == "TP05" and (word in _YES or word in _NO):
        # Some contractors export TP05 as yes/no (docs/evidence-formats.md): kept as said.
        return "yes" if word in _YES else "no"
    if key == "TP08":
        raise ValueError(
            "must be 1 to 5 (5 is strongly agree), strongly agree, agree, neither, disagree, "
            "strongly disagree, don't know or blank"
        )
    raise ValueError(
        "must be 1 to 5 (5 is very satisfied), very satisfied, fairly satisfied, neither, "
        "fairly dissatisfied, very dissatisfied, don't know or blank"
    )


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


def _rows(data: bytes, filename: str) -> list[tabular.Row]:
    suffix = tabular.suffix_of(filename)
    if suffix not in tabular.SUFFIXES:
        shown = f"a {suffix} file" if suffix else "a file with no extension"
        raise SurveyError(
            f"{filename}: cannot read {shown} as a survey file; save it as 'CSV UTF-8 (.csv)' "
            "or 'Excel Workbook (.xlsx)'."
        )
    try:
        if suffix == ".csv":
            rows = list(tabular.csv_rows(data, name=filename))
        else:
            rows = list(tabular.xlsx_rows(data, name=filename))
    except tabular.TableError as exc:
        message = str(exc)
        raise SurveyError(
            f"{filename} {message}." if message.startswith("line ") else f"{message}."
        ) from None
    for row in rows:
        if row.problem:
            raise SurveyError(f"{filename} {row.problem}; save it as 'CSV UTF-8 (.csv)'.")
    return [row for row in rows if any(row.cells)]


def _header(row: tabular.Row, filename: str) -> list[str | None]:
    cells = row.cells
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        kind = "semicolons" if ";" in cells[0] else "tabs"
        raise SurveyError(
            f"{filename} uses {kind} between columns; save it with commas instead "
            "('CSV UTF-8 (.csv)' in your spreadsheet program)."
        )
    keys: list[str | None] = []
    unknown: list[str] = []
    for cell in cells:
        key = tabular.header_key(cell)
        if not key:
            keys.append(None)
            continue
        name = _column(key)
        if name is None:
            close = difflib.get_close_matches(key, _KNOWN_NAMES, n=1)
            unknown.append(f"'{cell}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        elif name in keys:
            raise SurveyError(f"{filename} line 1: the column '{cell}' appears more than once.")
        keys.append(name)
    if unknown:
        raise SurveyError(
            f"{filename} line 1: {'an unknown column' if len(unknown) == 1 else 'unknown columns'}"
            f": {', '.join(unknown)}; rename or remove {'it' if len(unknown) == 1 else 'them'} "
            "(docs/tsm.md lists the columns)."
        )
    return keys


def _one_of(keys: list[str | None], names: tuple[str, ...], what: str, filename: str) -> str | None:
    found = [key for key in keys if key in names]
    if len(found) > 1:
        raise SurveyError(
            f"{filename} has more than one {what} column ({', '.join(found)}); keep one."
        )
    return found[0] if found else None


def _weight(value: str, line: int, filename: str) -> Decimal | None:
    if not value:
        return None
    try:
        weight = Decimal(value.replace(",", ""))
    except InvalidOperation:
        weight = Decimal(-1)
    if not weight.is_finite() or weight <= 0:
        raise SurveyError(
            f"{filename} line {line}, column weight: '{value}' is not a positive number."
        )
    if weight < WEIGHT_MIN or weight >= WEIGHT_LIMIT:
        raise SurveyError(
            f"{filename} line {line}, column weight: '{value}' is not a weight we can use; "
            "give a number from 0.000001 to 999999."
        )
    return weight


def read_tsm_survey(data: bytes, filename: str) -> SurveyData:
    """Every respondent of the file, or SurveyError for the first problem found."""
    rows = _rows(data, filename)
    if not rows:
        raise SurveyError(f"{filename} has no column names and no rows.")
    header, *body = rows
    keys = _header(header, filename)
    id_key = _one_of(keys, _ID_COLUMNS, "respondent id", filename)
    if id_key is None:
        raise SurveyError(
            f"{filename} has no respondent id column; call it 'id', 'respondent_id' or "
            "'respondent'."
        )
    date_key = _one_of(keys, _DATE_COLUMNS, "date", filename)
    if "tenure_type" not in keys:
        raise SurveyError(
            f"{filename} has no tenure_type column; add one saying LCRA (rented) or LCHO "
            "(shared ownership) for each respondent."
        )
    if "TP01" not in keys:
        raise SurveyError(
            f"{filename} is missing a required question: TP01 (overall satisfaction); every "
            "TSM survey asks it."
        )
    questions = [key for key in keys if key in QUESTIONS or key in SCREENING]
    if not body:
        raise SurveyError(f"{filename} has column names but no rows.")
    has_weight = "weight" in keys
    responses: list[Response] = []
    first_line: dict[str, int] = {}
    weighted_line: int | None = None
    unweighted_line: int | None = None
    width = len(keys)
    for row in body:
        line, cells = row.line, row.cells
        if len(cells) > width and any(cells[width:]):
            raise SurveyError(
                f"{filename} line {line} has {len(cells)} values but the header has {width} "
                "columns."
            )
        if len(cells) < width and not row.padded:
            raise SurveyError(
                f"{filename} line {line} has {len(cells)} values but the header has {width} "
                "columns; check for a line break inside a value that is not in quotes."
            )
        cells = (cells + [""] * width)[:width]
        values: dict[str, str] = {}
        for position, (key, value) in enumerate(zip(keys, cells, strict=True)):
            if key is None:
                if value:
                    raise SurveyError(
                        f"{filename} line {line}: column {position + 1} has a value but no "
                        "column name."
                    )
                continue
            if not _is_comment(key) and _CONTROL.search(value):
                raise SurveyError(
                    f"{filename} line {line}, column {key}: use a single line: remove line "
                    "breaks and control characters."
                )
            values[key] = value
        respondent = values[id_key]
        if not respondent:
            raise SurveyError(
                f"{filename} line {line}, column {id_key}: the respondent id is empty."
            )
        if len(respondent) > RESPONDENT_MAX:
            raise SurveyError(
                f"{filename} line {line}, column {id_key}: the respondent id is longer than "
                f"{RESPONDENT_MAX} characters."
            )
        if respondent in first_line:
            raise SurveyError(
                f"{filename} line {line}, column {id_key}: respondent '{respondent}' appears "
                f"twice, on lines {first_line[respondent]} and {line}."
            )
        first_line[respondent] = line
        tenure = values["tenure_type"].upper()
        if not tenure:
            raise SurveyError(
                f"{filename} line {line}, column tenure_type: respondent '{respondent}' has no "
                "tenure type; write LCRA or LCHO."
            )
        if tenure not in TENURES:
            raise SurveyError(
                f"{filename} line {line}, column tenure_type: '{values['tenure_type']}' is not "
                "a tenure type we know; write LCRA (rented) or LCHO (shared ownership)."
            )
        date = None
        if date_key and values[date_key]:
            date = _parse_date(values[date_key])
            if date is None:
                raise SurveyError(
                    f"{filename} line {line}, column {date_key}: '{values[date_key]}' is not a "
                    "date like 2025-03-31 or 31/03/2025."
                )
        answers: dict[str, str] = {}
        for key in questions:
            try:
                answer = parse_answer(key, values[key])
            except ValueError as exc:
                raise SurveyError(
                    f"{filename} line {line}, column {key}: '{values[key]}' is outside the "
                    f"scale; it {exc}."
                ) from None
            if answer is not None:
                answers[key] = answer
        weight = _weight(values["weight"], line, filename) if has_weight else None
        if has_weight:
            if weight is None:
                unweighted_line = unweighted_line or line
            else:
                weighted_line = weighted_line or line
            if weighted_line and unweighted_line:
                raise SurveyError(
                    f"{filename} line {max(weighted_line, unweighted_line)}, column weight: "
                    f"line {weighted_line} has a weight but line {unweighted_line} has none; "
                    "give every respondent a weight or leave the column out."
                )
        responses.append(
            Response(
                line=line,
                respondent=respondent,
                tenure=tenure,
                answers=answers,
                weight=weight,
                profile={key: values[key] for key in PROFILE_COLUMNS if key in values},
                date=date,
            )
        )
    return SurveyData(responses=responses, questions=questions)
