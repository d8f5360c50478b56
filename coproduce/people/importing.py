"""Import people from a landlord's CSV or XLSX export: upsert by `external_ref`.

The rules (see docs/import-people.md):

* all-or-nothing per file: if any row is rejected, nothing is saved;
* idempotent: values are normalised before they are compared, so importing the same
  file twice reports every row as "unchanged" the second time;
* fast on big files: rows are streamed, the people already held are loaded in one query
  as (pk, one compact comparable string), and writes go out in batches inside one
  transaction. There are no per-row queries.

`analyse_file` checks a file without writing (dry run, web preview);
`import_file` writes it. Both walk the file with the same code, so a preview can
never disagree with the import it leads to. `cli_main` is `coproduce import-people`.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import difflib
import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.text import (
    MULTILINE_MESSAGE,
    SINGLE_LINE_MESSAGE,
    multiline_problem,
    single_line_problem,
)
from coproduce.people.models import (
    Area,
    Availability,
    Caring,
    Channel,
    DigitalAccess,
    Person,
    RewardPreference,
    Tenure,
)

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
BATCH_SIZE = 1000
SAMPLE_SIZE = 20
MAX_AGE = 120
# Separates the values in the comparable string. PostgreSQL text cannot hold NUL, and
# rows containing it are rejected, so it can never appear inside a value.
SEP = "\x00"


class ImportFileError(Exception):
    """The file as a whole cannot be imported. The message is one plain-English line."""


class RowError(ValueError):
    """One value in one row is wrong. The message names the column and the problem."""


# --------------------------------------------------------------------------- columns


def _max_length(name: str) -> int | None:
    model_field = Area._meta.get_field("name") if name == "area" else Person._meta.get_field(name)
    return getattr(model_field, "max_length", None)


def _is_multiline(name: str) -> bool:
    return name != "area" and isinstance(Person._meta.get_field(name), models.TextField)


def _text(name: str, *, required: bool = False) -> Callable[[str], str]:
    limit = _max_length(name)
    multiline = _is_multiline(name)

    def parse(value: str) -> str:
        if required and not value:
            raise RowError(f"{name} is empty but is required")
        if multiline and multiline_problem(value):
            raise RowError(f"{name}: {MULTILINE_MESSAGE}")
        if not multiline and single_line_problem(value):
            raise RowError(f"{name}: {SINGLE_LINE_MESSAGE}")
        if limit is not None and len(value) > limit:
            raise RowError(f"{name} is {len(value)} characters long; the most allowed is {limit}")
        return value

    return parse


def _address(value: str) -> str:
    """Housing systems often export an address over several lines: keep it, on one line."""
    lines = [line.strip(" ,") for line in value.replace("\r\n", "\n").split("\n")]
    return _address_text(", ".join(line for line in lines if line))


_address_text = _text("address")


def _postcode(value: str) -> str:
    value = " ".join(value.upper().split())
    if len(value) > 10:
        raise RowError(f"postcode {value!r} is too long for a postcode")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RowError(f"email {value!r} is not an email address") from None
    return value


def _lookup(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {}
    for code, label in choices.choices:
        table[str(code).lower()] = code
        table[str(label).lower()] = code
    table.update(extra or {})
    table.pop("", None)  # blank is handled by each column's own default
    return table


def _choice(name: str, choices: Any, default: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    table = _lookup(choices, extra)
    codes = ", ".join(code for code in choices.values if code)

    def parse(value: str) -> str:
        if not value:
            return default
        try:
            return table[value.lower()]
        except KeyError:
            raise RowError(f"{name} {value!r} is not one of: {codes}") from None

    return parse


def _multi(name: str, choices: Any) -> Callable[[str], list[str]]:
    table = _lookup(choices)
    order = {code: index for index, code in enumerate(choices.values)}
    codes = ", ".join(choices.values)

    def parse(value: str) -> list[str]:
        found: set[str] = set()
        for part in value.split(";"):
            part = part.strip()
            if not part:
                continue
            try:
                found.add(table[part.lower()])
            except KeyError:
                hint = " (separate values with semicolons)" if "," in part else ""
                raise RowError(f"{name} {part!r} is not one of: {codes}{hint}") from None
        return sorted(found, key=order.__getitem__)

    return parse


def _list_canon(choices: Any) -> Callable[[Any], str]:
    order = {code: index for index, code in enumerate(choices.values)}

    def canon(value: Any) -> str:
        codes = [str(code) for code in (value or [])]
        return ";".join(sorted(set(codes), key=lambda code: (order.get(code, 99), code)))

    return canon


ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date_of_birth(value: str) -> dt.date | None:
    if not value:
        return None
    # Regular expressions, not strptime: this runs once per row and strptime is slow.
    born = None
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := UK_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        year = month = day = ""
    if year:
        try:
            born = dt.date(int(year), int(month), int(day))
        except ValueError:
            born = None
    if born is None:
        raise RowError(
            f"date_of_birth {value!r} is not a real date in the form YYYY-MM-DD or DD/MM/YYYY"
        )
    today = _today()
    if born > today:
        raise RowError(f"date_of_birth {value!r} is in the future")
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years > MAX_AGE:
        raise RowError(f"date_of_birth {value!r} would make them {years}, older than {MAX_AGE}")
    return born


def _today() -> dt.date:
    return timezone.localdate()


TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


def _consent(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError(f"contact_consent {value!r} must be yes, no, true, false, 1, 0 or blank")


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _date_canon(value: Any) -> str:
    return value.isoformat() if value else ""


def _bool_canon(value: Any) -> str:
    return "1" if value else "0"


@dataclass(frozen=True)
class Column:
    name: str  # the column heading in the file
    attr: str  # the model attribute it is saved to
    parse: Callable[[str], Any]  # cell text -> value to save; raises RowError
    canon: Callable[[Any], str] = _str  # saved value -> comparable text
    example: str = ""
    required: bool = False


CARING_WORDS = {"true": "yes", "y": "yes", "1": "yes", "false": "no", "n": "no", "0": "no"}

COLUMNS: tuple[Column, ...] = (
    Column(
        "external_ref",
        "external_ref",
        _text("external_ref", required=True),
        example="HA-000123",
        required=True,
    ),
    Column(
        "first_name", "first_name", _text("first_name", required=True), example="Sam", required=True
    ),
    Column("last_name", "last_name", _text("last_name"), example="Jones"),
    Column("email", "email", _email, example="sam.jones@example.org"),
    Column("phone", "phone", _text("phone"), example="07700 900123"),
    Column("address", "address", _address, example="12 Mill Lane, Northfield"),
    Column("postcode", "postcode", _postcode, example="NF1 2AB"),
    Column("area", "area_id", _text("area"), example="Northfield"),  # resolved to an Area below
    Column("scheme", "scheme", _text("scheme"), example="Mill Court"),
    Column(
        "tenure", "tenure", _choice("tenure", Tenure, Tenure.GENERAL_NEEDS), example="general_needs"
    ),
    Column("date_of_birth", "date_of_birth", _date_of_birth, _date_canon, example="1975-04-21"),
    Column(
        "preferred_channels",
        "preferred_channels",
        _multi("preferred_channels", Channel),
        _list_canon(Channel),
        example="in_person;phone",
    ),
    Column(
        "availability",
        "availability",
        _multi("availability", Availability),
        _list_canon(Availability),
        example="weekday_evening;weekend",
    ),
    Column(
        "accessibility_needs",
        "accessibility_needs",
        _text("accessibility_needs"),
        example="Step-free access",
    ),
    Column(
        "language_needs", "language_needs", _text("language_needs"), example="British Sign Language"
    ),
    Column(
        "caring_responsibilities",
        "caring_responsibilities",
        _choice("caring_responsibilities", Caring, "", CARING_WORDS),
        example="no",
    ),
    Column(
        "digital_access",
        "digital_access",
        _choice("digital_access", DigitalAccess, ""),
        example="needs_support",
    ),
    Column(
        "reward_preference",
        "reward_preference",
        _choice("reward_preference", RewardPreference, ""),
        example="voucher",
    ),
    Column("contact_consent", "contact_consent", _consent, _bool_canon, example="yes"),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED = tuple(column.name for column in COLUMNS if column.required)


def template_csv() -> str:
    """The expected header and one example row, as CSV text (`--template`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(column.example for column in COLUMNS)
    return out.getvalue()


# --------------------------------------------------------------------------- results


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class PreviewRow:
    line: int
    external_ref: str
    name: str
    action: str  # "create" or "update"
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    sample: list[PreviewRow] = field(default_factory=list)
    saved: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def counts_line(self) -> str:
        return (
            f"created: {self.created}, updated: {self.updated}, "
            f"unchanged: {self.unchanged}, rejected: {self.rejected}"
        )


# --------------------------------------------------------------------------- reading


Progress = Callable[[int], None]


def _no_progress(amount: int) -> None:
    return None


@dataclass
class Record:
    line: int  # the line (CSV) or row (XLSX) the record starts on; the header is line 1
    cells: list[str]
    problem: str = ""  # e.g. bytes that are not UTF-8 on this line
    # Spreadsheets leave out empty cells at the end of a row; a CSV row that is short is
    # more likely broken (an unquoted line break), so only spreadsheet rows are padded.
    may_be_short: bool = False


def _csv_records(path: Path, progress: Progress) -> Iterator[Record]:
    bad_lines: set[int] = set()

    def lines(handle: Any) -> Iterator[str]:
        for number, raw in enumerate(handle, 1):
            progress(len(raw))
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield raw.decode("utf-8", "replace")

    with path.open("rb") as handle:
        reader = csv.reader(lines(handle), strict=False)
        start = 1
        try:
            for cells in reader:
                end = reader.line_num
                bad = sorted(line for line in bad_lines if start <= line <= end)
                problem = ""
                if bad:
                    problem = (
                        f"line {bad[0]} has characters that are not UTF-8 text; save the "
                        "file as 'CSV UTF-8' and try again"
                    )
                    bad_lines.difference_update(bad)
                yield Record(start, [cell.strip() for cell in cells], problem)
                start = end + 1
        except csv.Error as exc:
            raise ImportFileError(
                f"line {start} cannot be read as CSV ({exc}); check for a missing closing quote"
            ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_records(
    path: Path, progress: Progress, archive_limits: Any = None, name: str = ""
) -> Iterator[Record]:
    from openpyxl import load_workbook

    from coproduce.core.uploads import ArchiveError, check_archive

    name = name or path.name

    not_excel = (
        f"{name} is not an Excel spreadsheet (.xlsx); open it in a spreadsheet program "
        "and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8 (.csv)'"
    )
    try:
        check_archive(path, name=name, limits=archive_limits)
    except ArchiveError as exc:
        raise ImportFileError(not_excel if exc.damaged else str(exc).rstrip(".")) from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors ...
        raise ImportFileError(not_excel) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ImportFileError(f"{name} has no worksheets")
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
                progress(1)
                cells = [_cell_text(value) for value in row]
                while cells and cells[-1] == "":
                    cells.pop()
                yield Record(number, cells, may_be_short=True)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                f"{name} is damaged and cannot be read as a spreadsheet; save it again "
                "from your spreadsheet program"
            ) from None
    finally:
        book.close()


def _open_records(
    path: Path,
    progress_total: Callable[[int, str], Progress],
    archive_limits: Any = None,
    name: str = "",
) -> Iterator[Record]:
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
    if size == 0:
        raise ImportFileError(f"{name or path.name} is empty")
    if suffix == ".csv":
        return _csv_records(path, progress_total(size, "B"))
    return _xlsx_records(path, progress_total(0, "rows"), archive_limits, name)


# --------------------------------------------------------------------------- header


def _header_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _check_header(cells: list[str], file_name: str) -> list[Column]:
    if len(cells) == 1 and ";" in cells[0]:
        raise ImportFileError(
            f"{file_name} seems to use semicolons between columns; save it as comma-separated "
            "'CSV UTF-8 (.csv)'"
        )
    keys = [_header_key(cell) for cell in cells]
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


# --------------------------------------------------------------------------- the walk


class _Rollback(Exception):
    pass


def _load_existing(columns: list[Column]) -> dict[str, tuple[int, str]]:
    """external_ref -> (pk, comparable string of the columns in this file). One query."""
    attrs = [column.attr for column in columns]
    canons = [column.canon for column in columns]
    existing: dict[str, tuple[int, str]] = {}
    rows = Person.objects.filter(external_ref__isnull=False).values_list("pk", *attrs)
    ref_index = attrs.index("external_ref") + 1
    for row in rows.iterator(chunk_size=5000):
        existing[row[ref_index]] = (
            row[0],
            SEP.join(canon(value) for canon, value in zip(canons, row[1:], strict=True)),
        )
    return existing


class _Walker:
    """One pass over a file. With `write`, saves as it goes (the caller rolls back on error)."""

    def __init__(self, *, file_name: str, write: bool) -> None:
        self.result = ImportResult(file_name=file_name)
        self.write = write
        self.now = timezone.now()
        self.areas = {area.name.lower(): area.pk for area in Area.objects.all()}
        self.seen: dict[str, int] = {}
        self.writer: _Writer | None = None

    def run(self, records: Iterator[Record]) -> ImportResult:
        header: Record | None = None
        for header in records:
            if any(header.cells):
                break
        else:
            raise ImportFileError(f"{self.result.file_name} is empty")
        if header.problem:
            raise ImportFileError(f"{self.result.file_name}: {header.problem}")
        columns = _check_header(header.cells, self.result.file_name)
        self.columns = columns
        if self.write:
            self.writer = _Writer(columns, self.now)
        self.existing = _load_existing(columns)
        width = len(columns)
        for record in records:
            if not any(record.cells):
                continue  # blank lines and empty spreadsheet rows are skipped
            if record.problem:
                self._reject(record.line, record.problem)
                continue
            if len(record.cells) < width and record.may_be_short:
                record.cells += [""] * (width - len(record.cells))
            if len(record.cells) != width:
                if len(record.cells) < width or any(record.cells[width:]):
                    self._reject(
                        record.line,
                        f"has {len(record.cells)} values but the header has {width} columns",
                    )
                    continue
            self._row(record.line, record.cells)
        if self.result.rows == 0:
            raise ImportFileError(f"{self.result.file_name} has column names but no people")
        if self.write and self.writer is not None:
            self.writer.flush()
        return self.result

    def _reject(self, line: int, reason: str) -> None:
        self.result.rejections.append(Rejection(line, reason))
        # Once a row is rejected nothing will be kept: stop writing, keep checking.
        self.write = False
        self.writer = None

    def _area(self, name: str) -> tuple[int | None, str]:
        if not name:
            return None, ""
        key = name.lower()
        pk = self.areas.get(key)
        if pk is None and self.write:
            pk = Area.objects.create(name=name).pk  # once per new area, not per row
            self.areas[key] = pk
        if pk is None:
            return None, "new:" + key
        return pk, str(pk)

    def _row(self, line: int, cells: list[str]) -> None:
        values: dict[str, Any] = {}
        canon: list[str] = []
        errors = []
        for column, text in zip(self.columns, cells, strict=False):
            if SEP in text:
                errors.append(f"{column.name} contains a NUL character")
                continue
            try:
                value = column.parse(text)
            except RowError as exc:
                errors.append(str(exc))
                continue
            if column.attr == "area_id":
                value, text = self._area(value)
                canon.append(text)
            else:
                canon.append(column.canon(value))
            values[column.attr] = value
        ref = values.get("external_ref")
        if ref:
            first = self.seen.get(ref)
            if first is not None:
                errors.append(f"external_ref {ref!r} is also on line {first}")
            else:
                self.seen[ref] = line
        if errors:
            self._reject(line, "; ".join(errors))
            return
        assert isinstance(ref, str)
        comparable = SEP.join(canon)
        known = self.existing.get(ref)
        if known is None:
            self.result.created += 1
            self._note(line, values, "create", [])
            if self.writer is not None:
                self.writer.create(values)
        elif known[1] == comparable:
            self.result.unchanged += 1
        else:
            self.result.updated += 1
            before = known[1].split(SEP)
            changes = [
                c.name
                for c, old, new in zip(self.columns, before, canon, strict=True)
                if old != new
            ]
            self._note(line, values, "update", changes)
            if self.writer is not None:
                self.writer.update(known[0], values, consent_changed="contact_consent" in changes)

    def _note(self, line: int, values: dict[str, Any], action: str, changes: list[str]) -> None:
        if len(self.result.sample) < SAMPLE_SIZE:
            name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
            self.result.sample.append(
                PreviewRow(line, values["external_ref"], name, action, changes)
            )


class _Writer:
    """Batched INSERT and UPDATE statements for people, sent with executemany.

    Django's bulk_create/bulk_update spend most of their time preparing each value of each
    row through the field API (about 3x slower on 125,000 rows); here each column's
    conversion is chosen once, and the values of columns missing from the file are the
    model defaults, prepared once.
    """

    def __init__(self, columns: list[Column], now: dt.datetime) -> None:
        ops = connection.ops
        fields = {f.attname: f for f in Person._meta.concrete_fields if not f.primary_key}
        self.attrs = [column.attr for column in columns]
        self.prepare: list[Callable[[Any], Any]] = []
        for attr in self.attrs:
            if attr == "date_of_birth":
                self.prepare.append(ops.adapt_datefield_value)
            elif attr in ("preferred_channels", "availability"):
                self.prepare.append(lambda value: ops.adapt_json_value(value, None))
            else:
                self.prepare.append(lambda value: value)
        stamp = ops.adapt_datetimefield_value(now)
        self.stamp = stamp
        self.consent_index = (
            self.attrs.index("contact_consent") if "contact_consent" in self.attrs else None
        )
        stamped = {"created_at", "updated_at", "contact_consent_at"}
        others = [name for name in fields if name not in self.attrs and name not in stamped]
        # Defaults for the columns the file leaves out, prepared once.
        self.defaults = [
            fields[name].get_db_prep_save(fields[name].get_default(), connection) for name in others
        ]
        quote = ops.quote_name
        table = quote(Person._meta.db_table)
        insert_columns = [*self.attrs, *others, "created_at", "updated_at", "contact_consent_at"]
        # Identifiers come from the model's metadata, never from the file; values are
        # always passed as parameters.
        columns_sql = ", ".join(quote(fields[n].column) for n in insert_columns)
        marks = ", ".join(["%s"] * len(insert_columns))
        self.insert_sql = f"INSERT INTO {table} ({columns_sql}) VALUES ({marks})"  # noqa: S608
        # SQLite runs executemany as one prepared statement, which is fast. On PostgreSQL
        # that is one statement per row; COPY is several times faster.
        self.copy_sql = (
            f"COPY {table} ({columns_sql}) FROM STDIN" if connection.vendor == "postgresql" else ""
        )
        changed = [name for name in self.attrs if name != "external_ref"]
        sets = ", ".join(f"{quote(fields[name].column)} = %s" for name in [*changed, "updated_at"])
        self.update_attrs_index = [self.attrs.index(name) for name in changed]
        where = f"WHERE {quote(Person._meta.pk.column)} = %s"
        self.update_sql = f"UPDATE {table} SET {sets} {where}"  # noqa: S608
        stamp_consent = f"{quote('contact_consent_at')} = %s"
        self.update_consent_sql = f"UPDATE {table} SET {sets}, {stamp_consent} {where}"  # noqa: S608
        if self.copy_sql:
            self._postgres_update_sql(table, [fields[name].column for name in changed])
        self.creates: list[list[Any]] = []
        # Updates that change consent also set contact_consent_at; the others leave the date
        # consent was first given alone.
        self.updates: list[list[Any]] = []
        self.consent_updates: list[list[Any]] = []

    def _values(self, values: dict[str, Any]) -> list[Any]:
        return [prep(values[attr]) for prep, attr in zip(self.prepare, self.attrs, strict=True)]

    def create(self, values: dict[str, Any]) -> None:
        row = self._values(values)
        consent = values.get("contact_consent")
        self.creates.append(
            [*row, *self.defaults, self.stamp, self.stamp, self.stamp if consent else None]
        )
        if len(self.creates) >= BATCH_SIZE:
            self.flush()

    def update(self, pk: int, values: dict[str, Any], *, consent_changed: bool) -> None:
        row = self._values(values)
        params = [row[index] for index in self.update_attrs_index]
        params.append(self.stamp)
        if consent_changed:
            params.append(self.stamp if values["contact_consent"] else None)
            self.consent_updates.append([*params, pk])
        else:
            self.updates.append([*params, pk])
        if len(self.updates) + len(self.consent_updates) >= BATCH_SIZE:
            self.flush()

    def _postgres_update_sql(self, table: str, changed: list[str]) -> None:
        """Updates on PostgreSQL: COPY the new values into a temporary table, then one UPDATE
        per batch (one UPDATE statement per row is about 4x slower on 125,000 rows)."""
        quote = connection.ops.quote_name
        pk = quote(Person._meta.pk.column)
        scratch = quote("coproduce_people_import")
        cols = [quote(c) for c in [*changed, "updated_at"]]
        stamp = quote("contact_consent_at")
        self.pg_drop_scratch = f"DROP TABLE IF EXISTS {scratch}"
        self.pg_create_scratch = (
            f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS SELECT "  # noqa: S608
            f" {pk}, {', '.join(cols)}, true AS stamp_consent, {stamp} FROM {table} "
            "WITH NO DATA"
        )
        self.pg_copy_scratch = f"COPY {scratch} FROM STDIN"
        sets = ", ".join(f"{col} = u.{col}" for col in cols)
        self.pg_update = (
            f"UPDATE {table} AS p SET {sets}, "  # noqa: S608
            f"{stamp} = CASE WHEN u.stamp_consent THEN u.{stamp} ELSE p.{stamp} END "
            f"FROM {scratch} AS u WHERE p.{pk} = u.{pk}"
        )
        self.pg_clear_scratch = f"TRUNCATE {scratch}"
        self.pg_scratch_ready = False

    def _flush_postgres_updates(self, cursor: Any) -> None:
        if not self.pg_scratch_ready:
            cursor.execute(self.pg_drop_scratch)
            cursor.execute(self.pg_create_scratch)
            self.pg_scratch_ready = True
        with cursor.cursor.copy(self.pg_copy_scratch) as copy:
            for row in self.updates:  # [*changed, updated_at, pk]
                copy.write_row([row[-1], *row[:-1], False, None])
            for row in self.consent_updates:  # [*changed, updated_at, consent_at, pk]
                copy.write_row([row[-1], *row[:-2], True, row[-2]])
        cursor.execute(self.pg_update)
        cursor.execute(self.pg_clear_scratch)
        self.updates.clear()
        self.consent_updates.clear()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            if self.copy_sql and (self.updates or self.consent_updates):
                self._flush_postgres_updates(cursor)
            if self.copy_sql and self.creates:
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.creates:
                        copy.write_row(row)
                self.creates.clear()
            for sql, rows in (
                (self.insert_sql, self.creates),
                (self.update_sql, self.updates),
                (self.update_consent_sql, self.consent_updates),
            ):
                if rows:
                    cursor.executemany(sql, rows)
                    rows.clear()


Report = Callable[[float | None, str], None]  # (fraction done or None, words for people)


def _reporter(report: Report, total: int, unit: str) -> Progress:
    done = [0]

    def update(amount: int) -> None:
        done[0] += amount
        if unit == "B" and total:
            report(done[0] / total, f"Read {done[0] * 100 // total}% of the file")
        else:
            report(None, f"Read {done[0]:,} rows")

    return update


def _progress_factory(
    enabled: bool, report: Report | None = None
) -> tuple[Callable[[int, str], Progress], Callable[[], None]]:
    """Make a tqdm bar on stderr that only appears when the work takes over two seconds,
    or (for a background job) pass the progress to `report`."""
    bars: list[Any] = []

    def make(total: int, unit: str) -> Progress:
        if report is not None:
            return _reporter(report, total, unit)
        if not enabled:
            return _no_progress
        from tqdm import tqdm

        bar = tqdm(
            total=total or None,
            unit=unit,
            unit_scale=True,
            delay=2,
            file=sys.stderr,
            desc="Reading",
            leave=False,
            mininterval=0.5,
        )
        bars.append(bar)
        pending = [0]

        def update(amount: int) -> None:
            pending[0] += amount
            if pending[0] >= 65536 or unit == "rows" and pending[0] >= 500:
                bar.update(pending[0])
                pending[0] = 0

        return update

    def close() -> None:
        for bar in bars:
            bar.close()

    return make, close


def analyse_file(
    path: Path | str,
    *,
    file_name: str = "",
    progress: bool = False,
    report: Report | None = None,
    archive_limits: Any = None,
) -> ImportResult:
    """Check a file and report what importing it would do. Saves nothing.

    `report(fraction, words)` is called as the file is read (for a background job's page);
    `archive_limits` (core.uploads.ArchiveLimits) bounds what an .xlsx may expand to.
    """
    path = Path(path)
    make, close = _progress_factory(progress, report)
    try:
        # Checks the file before touching the database.
        records = _open_records(path, make, archive_limits, file_name)
        walker = _Walker(file_name=file_name or path.name, write=False)
        return walker.run(records)
    finally:
        close()


def import_file(
    path: Path | str,
    *,
    actor: Any = None,
    request: Any = None,
    file_name: str = "",
    progress: bool = False,
    how: str = "",
    report: Report | None = None,
    archive_limits: Any = None,
) -> ImportResult:
    """Import a file: everything or, if any row is rejected, nothing.

    Returns the result either way; `result.saved` says whether anything was kept.
    One audit entry records a successful import (counts and file name, no personal data).
    """
    path = Path(path)
    name = file_name or path.name
    make, close = _progress_factory(progress, report)
    result: ImportResult | None = None
    try:
        records = _open_records(path, make, archive_limits, name)
        with transaction.atomic():
            walker = _Walker(file_name=name, write=True)
            result = walker.run(records)
            if result.rejections:
                raise _Rollback
            audit_record(
                action="people.imported",
                actor=actor,
                request=request,
                object_type="people.person",
                summary=f"Imported people from {name}{how}: {result.counts_line()}",
            )
            result.saved = True
            # Bulk writes send no model signals: refresh the dashboard's figures ourselves.
            from coproduce.diversity.tasks import request_warm

            transaction.on_commit(request_warm)
    except _Rollback:
        assert result is not None
        result.saved = False
    except IntegrityError:
        raise ImportFileError(
            "someone else changed the same people while this file was being imported; nothing "
            "was saved, please try again"
        ) from None
    finally:
        close()
    return result


# --------------------------------------------------------------------------- command line


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2 (argparse prints usage too)
        sys.stderr.write(f"{self.prog}: {message} (run `{self.prog} --help`)\n")
        raise SystemExit(2)


def _parser() -> _Parser:
    parser = _Parser(
        prog="coproduce import-people",
        description=(
            "Add or update people from a CSV (UTF-8) or Excel .xlsx file, matching them by "
            "external_ref. All or nothing: if any row is rejected, nothing is saved."
        ),
        epilog="Columns and rules: docs/import-people.md. Exit 0 on success, 2 on bad input.",
    )
    parser.add_argument("file", nargs="?", help="the .csv or .xlsx file to import")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and report what would change, without saving",
    )
    parser.add_argument(
        "--template",
        action="store_true",
        help="print the expected CSV header and one example row, then stop",
    )
    return parser


def _report(result: ImportResult, *, dry_run: bool) -> int:
    out = sys.stdout
    if result.rejections:
        verdict = "Nothing was saved: fix the rejected rows and import the file again."
    elif dry_run:
        verdict = "Dry run: nothing was saved."
    else:
        verdict = "Import complete."
    out.write(f"{result.file_name}: {verdict}\n")
    for label in ("created", "updated", "unchanged", "rejected"):
        out.write(f"{label}: {getattr(result, label)}\n")
    out.flush()
    if not result.rejections:
        return 0
    count = result.rejected
    rows = "row" if count == 1 else "rows"
    lines = [
        f"coproduce import-people: {count} {rows} rejected in {result.file_name}; nothing was saved"
    ]
    lines += [f"line {r.line}: {r.reason}" for r in result.rejections]
    sys.stderr.write("\n".join(lines) + "\n")
    return 2


def cli_main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.template:
        if args.file or args.dry_run:
            sys.stderr.write("coproduce import-people: --template takes no file and no --dry-run\n")
            return 2
        sys.stdout.write(template_csv())
        return 0
    if not args.file:
        sys.stderr.write(
            "coproduce import-people: give a .csv or .xlsx file to import (or --template)\n"
        )
        return 2
    path = Path(args.file)
    from django.conf import settings

    from coproduce.core.uploads import MB, archive_limits, megabytes

    limit = settings.IMPORT_MAX_FILE_MB * MB
    try:
        if path.is_file() and path.stat().st_size > limit:
            sys.stderr.write(
                f"coproduce import-people: {path.name} is larger than {megabytes(limit)}; "
                "split it into smaller files (or set IMPORT_MAX_FILE_MB); nothing was saved\n"
            )
            return 2
        limits = archive_limits(limit)
        if args.dry_run:
            result = analyse_file(path, progress=True, archive_limits=limits)
        else:
            result = import_file(path, progress=True, how=" (command line)", archive_limits=limits)
    except ImportFileError as exc:
        sys.stderr.write(f"coproduce import-people: {exc}; nothing was saved\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"coproduce import-people: cannot read {path}: {exc.strerror}\n")
        return 2
    except Exception as exc:  # no traceback ever; the cause still goes to the user
        sys.stderr.write(
            f"coproduce import-people: unexpected error ({type(exc).__name__}: "
            f"{exc}); nothing was saved\n"
        )
        return 1
    return _report(result, dry_run=args.dry_run)
