"""TSM management figures (RP, BS, CH, NM codes) (.csv, .xlsx)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coproduce.evaluation.parsing.common import EvidenceError
from coproduce.evaluation.parsing.measures import FIGURE_CODES, PART_CODES, PERCENT_CODES
from coproduce.evaluation.parsing.tables import _check_header, _check_text, _fit, _table_rows


@dataclass(frozen=True)
class Figure:
    code: str  # one of FIGURE_CODES, e.g. "RP01"
    value: float
    year: str  # as written in the file, e.g. "2024/25"; "" when not given
    description: str


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
