"""The Tenant Satisfaction Measures perception survey export (.csv, .xlsx)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from coproduce.evaluation.parsing.common import EvidenceError
from coproduce.evaluation.parsing.measures import SCORE_CODES
from coproduce.evaluation.parsing.tables import _check_header, _check_text, _fit, _table_rows


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
