"""The rules the two spreadsheet-like evidence files share: read the rows (through
`core.tabular`), check the header, fit each row to it, refuse control characters."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from coproduce.core import tabular
from coproduce.core.text import (
    MULTILINE_MESSAGE,
    SINGLE_LINE_MESSAGE,
    multiline_problem,
    single_line_problem,
)
from coproduce.evaluation.parsing.common import (
    EvidenceError,
    _decode,
    _looks_like_zip,
    _require_bytes,
    _suffix,
)

Rows = list[tuple[int, list[str], bool]]


def _table_rows(data: bytes, filename: str, what: str) -> Rows:
    """(line, cells, padded) of each non-blank row, or EvidenceError for the whole file."""
    suffix = _suffix(filename)
    if suffix not in tabular.SUFFIXES:
        shown = f"a {suffix} file" if suffix else "a file with no extension"
        raise EvidenceError(
            f"{filename}: cannot read {shown} as {what}; save it as 'CSV UTF-8 (.csv)' or "
            "'Excel Workbook (.xlsx)'."
        )
    _require_bytes(data)
    if suffix == ".csv" and not _looks_like_zip(data):
        _decode(data, filename)  # the whole file is UTF-8 with no NUL, or it is refused here
    try:
        if suffix == ".csv":
            rows = list(tabular.csv_rows(data, name=filename))
        else:
            rows = list(tabular.xlsx_rows(data, name=filename, percent=True))
    except tabular.TableError as exc:
        message = str(exc)
        if message.startswith("line "):
            message = f"{filename} {message}"
        raise EvidenceError(f"{message}.") from None
    return [(row.line, row.cells, row.padded) for row in rows if any(row.cells)]


def _header_key(text: str) -> str:
    return tabular.header_key(text)


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
