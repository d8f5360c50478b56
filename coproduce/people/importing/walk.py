"""One pass over a file's rows: check each, compare it with the person already held, and
(when writing) hand creates and updates to the writer. No per-row queries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from coproduce.core.tabular import Row
from coproduce.people.importing.columns import Column, RowError
from coproduce.people.importing.reading import ImportFileError, check_header
from coproduce.people.importing.results import ImportResult, PreviewRow, Rejection
from coproduce.people.importing.writer import Writer
from coproduce.people.models import Area, Person
from coproduce.people.services import ref_fingerprint

SAMPLE_SIZE = 20
# Separates the values in the comparable string. PostgreSQL text cannot hold NUL, and
# rows containing it are rejected, so it can never appear inside a value.
SEP = "\x00"
RESTRICTED_MESSAGE = (
    "external_ref {ref!r} belongs to a person whose processing is restricted (data "
    "protection): their record cannot be changed until the restriction is lifted"
)
ERASED_MESSAGE = (
    "external_ref {ref!r} belonged to a person who has been erased: it cannot be used again "
    "(use a new reference if they have come back)"
)


def load_existing(columns: list[Column]) -> dict[str, tuple[int, str]]:
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


class Walker:
    """One pass over a file. With `write`, saves as it goes (the caller rolls back on error)."""

    def __init__(self, *, file_name: str, write: bool) -> None:
        self.result = ImportResult(file_name=file_name)
        self.write = write
        self.now = timezone.now()
        self.areas = {area.name.lower(): area.pk for area in Area.objects.all()}
        self.seen: dict[str, int] = {}
        self.writer: Writer | None = None

    def run(self, records: Iterator[Row]) -> ImportResult:
        header: Row | None = None
        for header in records:
            if any(header.cells):
                break
        else:
            raise ImportFileError(f"{self.result.file_name} is empty")
        if header.problem:
            raise ImportFileError(f"{self.result.file_name}: {header.problem}")
        columns = check_header(header.cells, self.result.file_name)
        self.columns = columns
        if self.write:
            self.writer = Writer(columns, self.now)
        self.existing = load_existing(columns)
        # The same rules as the API (records.py): an erased person's reference is not used
        # again, and a restricted person's record is not changed.
        self.erased = set(
            Person.objects.filter(erased_at__isnull=False)
            .exclude(erased_ref="")
            .values_list("erased_ref", flat=True)
        )
        self.restricted = set(
            Person.objects.filter(
                processing_restricted=True, external_ref__isnull=False
            ).values_list("external_ref", flat=True)
        )
        width = len(columns)
        for record in records:
            if not any(record.cells):
                continue  # blank lines and empty spreadsheet rows are skipped
            if record.problem:
                self._reject(record.line, record.problem)
                continue
            if len(record.cells) < width and record.padded:
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
        if known is None and self.erased and ref_fingerprint(ref) in self.erased:
            self._reject(line, ERASED_MESSAGE.format(ref=ref))
        elif known is None:
            self.result.created += 1
            self._note(line, values, "create", [])
            if self.writer is not None:
                self.writer.create(values)
        elif known[1] == comparable:
            self.result.unchanged += 1
        elif ref in self.restricted:
            self._reject(line, RESTRICTED_MESSAGE.format(ref=ref))
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
