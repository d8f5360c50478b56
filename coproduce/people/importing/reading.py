"""Open an import file (CSV or XLSX, through `core.tabular`) and check its header row."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coproduce.core import tabular
from coproduce.core.tabular import Progress, Row
from coproduce.people.importing.columns import BY_NAME, COLUMN_NAMES, REQUIRED, Column

if TYPE_CHECKING:
    from coproduce.core.uploads import ArchiveLimits

SUPPORTED_SUFFIXES = tabular.SUFFIXES


class ImportFileError(Exception):
    """The file as a whole cannot be imported. The message is one plain-English line."""


def _rows(rows: Iterator[Row], name: str) -> Iterator[Row]:
    """The rows, with a line that is not UTF-8 explained; file errors as ImportFileError."""
    try:
        for row in rows:
            if row.problem:
                row.problem += "; save the file as 'CSV UTF-8' and try again"
            yield row
    except tabular.TableError as exc:
        raise ImportFileError(str(exc)) from None


def open_rows(
    path: Path,
    progress_total: Callable[[int, str], Progress],
    archive_limits: ArchiveLimits | None = None,
    name: str = "",
) -> Iterator[Row]:
    """The file's rows, after the checks that need no reading (extension, exists, not empty)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "with no extension"
        raise ImportFileError(
            f"cannot import a file {shown}: save it as 'CSV UTF-8 (.csv)' or "
            "'Excel Workbook (.xlsx)'"
        )
    if not path.is_file():
        raise ImportFileError(f"cannot find the file {path}")
    size = path.stat().st_size
    name = name or path.name
    if size == 0:
        raise ImportFileError(f"{name} is empty")
    if suffix == ".csv":
        return _rows(tabular.csv_rows(path, name=name, progress=progress_total(size, "B")), name)
    rows = tabular.xlsx_rows(
        path, name=name, progress=progress_total(0, "rows"), limits=archive_limits
    )
    return _rows(rows, name)


def check_header(cells: list[str], file_name: str) -> list[Column]:
    if len(cells) == 1 and ";" in cells[0]:
        raise ImportFileError(
            f"{file_name} seems to use semicolons between columns; save it as comma-separated "
            "'CSV UTF-8 (.csv)'"
        )
    keys = [tabular.header_key(cell) for cell in cells]
    problems = []
    blank = [str(index) for index, key in enumerate(keys, 1) if not key]
    if blank:
        problems.append("column " + ", ".join(blank) + " has no name")
    twice = sorted(key for key, count in Counter(keys).items() if key and count > 1)
    if twice:
        problems.append("column " + ", ".join(twice) + " appears more than once")
    unknown = [key for key in dict.fromkeys(keys) if key and key not in BY_NAME]
    if unknown:
        named = []
        for key in unknown:
            close = difflib.get_close_matches(key, COLUMN_NAMES, n=1)
            named.append(f"{key} (did you mean {close[0]}?)" if close else key)
        problems.append("unknown column " + ", ".join(named))
    missing = [name for name in REQUIRED if name not in keys]
    if missing:
        problems.append("missing required column " + ", ".join(missing))
    if problems:
        raise ImportFileError(
            f"{file_name}: "
            + "; ".join(problems)
            + " (run `coproduce import-people --template` to see the expected columns)"
        )
    return [BY_NAME[key] for key in keys]
