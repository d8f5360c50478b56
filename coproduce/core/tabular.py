"""Read the rows of a CSV (UTF-8) or Excel (.xlsx) file: the one tabular reader.

People imports (`coproduce.people.importing`) and evidence files (`coproduce.evaluation.parsing`)
both read their files here and keep their own column rules. A row is the cell texts, stripped,
with the line (CSV) or row (XLSX) it starts on; the header is line 1.

* CSV: UTF-8 (a byte-order mark is fine), commas, quotes read strictly (text after a closing
  quote is an error). Lines are decoded one at a time, so a big file streams: a line that is
  not UTF-8 is not an error of the whole file but a `problem` on its row, and the caller decides
  (people rejects that row; evidence refuses the file). A ZIP archive renamed to .csv is
  refused as an Excel workbook.
* XLSX: the first worksheet, cached values (never formulas), after `core.uploads.check_archive`
  has refused a zip bomb. Dates become YYYY-MM-DD, whole floats lose their ".0", booleans
  become yes/no and (with `percent=True`) a cell formatted as a percentage holding 0.85
  becomes "85%". Empty cells at the end of a row are dropped: such rows are `padded`, so the
  caller may fill them out, while a short CSV row more likely hides an unquoted line break.

Every problem with the file as a whole raises `TableError`, one plain-English line without a
final full stop; callers add their own ending.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coproduce.core.uploads import ArchiveLimits

SUFFIXES = (".csv", ".xlsx")

Source = Path | bytes
Progress = Callable[[int], None]  # bytes read (CSV) or rows read (XLSX)


class TableError(ValueError):
    """The file as a whole cannot be read as a table. One line, no final full stop."""


@dataclass
class Row:
    line: int  # the line (CSV) or row (XLSX) the row starts on; the header is line 1
    cells: list[str]
    problem: str = ""  # e.g. "line 4 has characters that are not UTF-8 text"
    # Spreadsheets leave out empty cells at the end of a row; a CSV row that is short is
    # more likely broken (an unquoted line break), so only spreadsheet rows are padded.
    padded: bool = False


def _ignore(amount: int) -> None:
    return None


def _open(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def csv_rows(source: Source, *, name: str, progress: Progress = _ignore) -> Iterator[Row]:
    """The rows of a UTF-8 CSV file, read a line at a time."""
    bad_lines: set[int] = set()

    def lines(handle: IO[bytes]) -> Iterator[str]:
        for number, raw in enumerate(handle, 1):
            progress(len(raw))
            if number == 1:
                if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # core.uploads.looks_like_zip
                    raise TableError(
                        f"{name} is an Excel workbook, not a CSV file; rename it to .xlsx or "
                        "save it as 'CSV UTF-8 (.csv)'"
                    )
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield raw.decode("utf-8", "replace")

    with _open(source) as handle:
        reader = csv.reader(lines(handle), strict=True)
        start = 1
        try:
            for cells in reader:
                end = reader.line_num
                bad = sorted(line for line in bad_lines if start <= line <= end)
                problem = ""
                if bad:
                    problem = f"line {bad[0]} has characters that are not UTF-8 text"
                    bad_lines.difference_update(bad)
                yield Row(start, [cell.strip() for cell in cells], problem)
                start = end + 1
        except csv.Error as exc:
            raise TableError(
                f"line {start} cannot be read as CSV ({exc}); check for a missing closing quote"
            ) from None


def cell_text(value: Any, number_format: str = "") -> str:
    """A spreadsheet cell's value as the text a person would type into a CSV."""
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


def xlsx_rows(
    source: Source,
    *,
    name: str,
    progress: Progress = _ignore,
    limits: ArchiveLimits | None = None,
    percent: bool = False,
) -> Iterator[Row]:
    """The rows of the first worksheet of an .xlsx file (values, never formulas)."""
    from openpyxl import load_workbook

    from coproduce.core.uploads import ArchiveError, check_archive

    not_excel = (
        f"{name} is not an Excel spreadsheet (.xlsx); open it in a spreadsheet program "
        "and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8 (.csv)'"
    )
    try:
        check_archive(source, name=name, limits=limits)
    except ArchiveError as exc:
        raise TableError(not_excel if exc.damaged else str(exc).rstrip(".")) from None
    try:
        book = load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors ...
        raise TableError(not_excel) from None
    try:
        if not book.worksheets:
            raise TableError(f"{name} has no worksheets")
        sheet = book.worksheets[0]
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=not percent), 1):
                progress(1)
                if percent:
                    cells = [
                        cell_text(getattr(cell, "value", None), getattr(cell, "number_format", ""))
                        for cell in row
                    ]
                else:
                    cells = [cell_text(value) for value in row]
                while cells and cells[-1] == "":
                    cells.pop()
                yield Row(number, cells, padded=True)
        except TableError:
            raise
        except Exception:
            raise TableError(
                f"{name} is damaged and cannot be read as a spreadsheet; save it again "
                "from your spreadsheet program"
            ) from None
    finally:
        book.close()


def suffix_of(file_name: str) -> str:
    """ ".csv" for "Survey 2025.CSV" (also for Windows paths); "" with no extension."""
    base = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def header_key(text: str) -> str:
    """A column name as compared: "Respondent ID" and "respondent-id" are "respondent_id"."""
    return "_".join(text.strip().lower().replace("-", " ").split())
