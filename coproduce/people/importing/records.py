"""Upsert people from records (column name -> value), as the API sends them.

The same columns, checks, messages and batched writer as a file import (docs/import-people.md),
so a value the importer refuses is refused here with the same words. Differences, because a
record is not a row of a file:

* a record names only the columns it sends; a column left out is left as it is on an update
  (and is the usual default on a create), so a sync can send just what changed;
* values may be JSON: null is blank, a list of codes for preferred_channels and availability,
  true or false for contact_consent;
* an external_ref that belonged to an erased person is refused (it must not bring them back),
  and so is a change to a person whose processing is restricted.

All or nothing: `upsert_records` checks every record first; if any is refused it raises
`RecordsRefused` listing every problem, and nothing is written. The people already held are
read with one query for the batch; writes go out through the importer's `Writer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.people.importing.columns import BY_NAME, COLUMNS, Column, RowError
from coproduce.people.importing.results import ImportResult
from coproduce.people.importing.walk import ERASED_MESSAGE, RESTRICTED_MESSAGE, SEP
from coproduce.people.importing.writer import Writer
from coproduce.people.models import Area, Person
from coproduce.people.services import ref_fingerprint
from coproduce.people.signals import contact_consent_withdrawn, people_imported

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

MAX_RECORDS = 1000
LIST_COLUMNS = ("preferred_channels", "availability")


@dataclass
class Problem:
    index: int  # the record's position in the batch
    field: str
    message: str
    conflict: bool = False  # the record is fine; the person's state refuses it


class RecordsRefused(Exception):
    """At least one record was refused; nothing was written."""

    def __init__(self, problems: list[Problem], *, conflict: bool = False) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        # Restricted or erased: the record is fine, the person's state refuses it (409).
        self.conflict = conflict


@dataclass
class Outcome:
    external_ref: str
    pk: int
    action: str  # "created", "updated" or "unchanged"
    changes: list[str] = field(default_factory=list)


@dataclass
class Checked:
    index: int
    ref: str
    columns: tuple[Column, ...]
    values: dict[str, Any]
    canon: list[str]
    area_name: str = ""


def cell_text(column: Column, value: Any) -> str:
    """A JSON value as the text of a cell of that column (the importer's own form)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.name in LIST_COLUMNS and isinstance(value, list):
        if all(isinstance(part, str) for part in value):
            return ";".join(value)
        raise RowError(f"{column.name} must be a list of codes (text)")
    if column.name == "contact_consent" and isinstance(value, bool):
        return "yes" if value else "no"
    kind = "a list of codes or " if column.name in LIST_COLUMNS else ""
    kind = "true, false or " if column.name == "contact_consent" else kind
    raise RowError(f"{column.name} must be {kind}text")


def parse_fields(record: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The columns a record sends, checked: ({attribute: value}, problems). The area is its
    name here (resolve it with `area_for`)."""
    values: dict[str, Any] = {}
    problems = []
    for name, raw in record.items():
        column = BY_NAME.get(name)
        if column is None:
            problems.append(Problem(0, name, f"unknown column {name}"))
            continue
        try:
            text = cell_text(column, raw)
            if SEP in text:
                raise RowError(f"{column.name} contains a NUL character")
            values[column.attr] = column.parse(text)
        except RowError as exc:
            problems.append(Problem(0, name, str(exc)))
    return values, problems


def area_for(name: str) -> int | None:
    """The area of that name (any case), made if new; None for blank."""
    if not name:
        return None
    area = Area.objects.filter(name__iexact=name).first() or Area.objects.create(name=name)
    return area.pk


def _existing(refs: list[str], attrs: list[str]) -> dict[str, tuple[int, bool, dict[str, Any]]]:
    """external_ref -> (pk, processing_restricted, {attr: value}) for the batch. One query."""
    found = {}
    rows = Person.objects.filter(external_ref__in=refs).values_list(
        "pk", "processing_restricted", *attrs
    )
    for pk, restricted, *values in rows:
        held = dict(zip(attrs, values, strict=True))
        found[held["external_ref"]] = (pk, restricted, held)
    return found


def _check(records: Sequence[dict[str, Any]]) -> tuple[list[Checked], list[Problem]]:
    problems: list[Problem] = []
    checked: list[Checked] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        row_problems = []
        names = [name for name in BY_NAME if name in record]
        unknown = [name for name in record if name not in BY_NAME]
        for name in unknown:
            row_problems.append(Problem(index, name, f"unknown column {name}"))
        values: dict[str, Any] = {}
        area_name = ""
        for name in names:
            column = BY_NAME[name]
            try:
                text = cell_text(column, record[name])
                if SEP in text:
                    raise RowError(f"{column.name} contains a NUL character")
                value = column.parse(text)
            except RowError as exc:
                row_problems.append(Problem(index, name, str(exc)))
                continue
            if column.attr == "area_id":
                area_name = value
            values[column.attr] = value
        ref = values.get("external_ref")
        if "external_ref" not in record:
            message = "external_ref is empty but is required"
            row_problems.append(Problem(index, "external_ref", message))
        if ref:
            first = seen.get(ref)
            if first is not None:
                message = f"external_ref {ref!r} is also in record {first}"
                row_problems.append(Problem(index, "external_ref", message))
            else:
                seen[ref] = index
        problems.extend(row_problems)
        if not row_problems:
            columns = tuple(BY_NAME[name] for name in names)
            checked.append(Checked(index, str(ref), columns, values, [], area_name))
    if checked:
        erased = _erased_refs([c.ref for c in checked])
        for item in checked:
            if item.ref in erased:
                problems.append(
                    Problem(item.index, "external_ref", ERASED_MESSAGE.format(ref=item.ref), True)
                )
    return checked, problems


def _erased_refs(refs: list[str]) -> set[str]:
    prints = {ref_fingerprint(ref): ref for ref in refs}
    held = Person.objects.filter(erased_at__isnull=False, erased_ref__in=list(prints)).values_list(
        "erased_ref", flat=True
    )
    return {prints[p] for p in held}


class _Attempt:
    """One try at writing a batch, inside a transaction."""

    def __init__(self, records: Sequence[dict[str, Any]]) -> None:
        self.records = records
        self.now = timezone.now()

    def run(self) -> tuple[list[Outcome], list[int]]:
        areas = {area.name.lower(): area.pk for area in Area.objects.all()}
        checked, problems = _check(self.records)
        attrs = [column.attr for column in COLUMNS]
        existing = _existing([c.ref for c in checked], attrs) if checked else {}
        for item in checked:
            known = existing.get(item.ref)
            if known is not None and known[1]:
                problems.append(
                    Problem(
                        item.index, "external_ref", RESTRICTED_MESSAGE.format(ref=item.ref), True
                    )
                )
            if known is None:
                # A create: first_name must be there (a file must have the column).
                if "first_name" not in self.records[item.index]:
                    problems.append(
                        Problem(item.index, "first_name", "first_name is empty but is required")
                    )
        if problems:
            problems.sort(key=lambda p: p.index)
            raise RecordsRefused(problems, conflict=all(p.conflict for p in problems))
        # Every record is good: new areas now, once each, then the writes.
        for item in checked:
            if item.area_name:
                key = item.area_name.lower()
                if key not in areas:
                    areas[key] = Area.objects.create(name=item.area_name).pk
                item.values["area_id"] = areas[key]
            elif "area_id" in item.values:
                item.values["area_id"] = None
        writers: dict[tuple[str, ...], Writer] = {}
        outcomes: list[Outcome] = []
        withdrawn: list[int] = []
        for item in checked:
            names = tuple(column.name for column in item.columns)
            writer = writers.get(names)
            if writer is None:
                writer = writers[names] = Writer(list(item.columns), self.now)
            known = existing.get(item.ref)
            if known is None:
                writer.create(item.values)
                outcomes.append(Outcome(item.ref, 0, "created"))
                continue
            pk, _restricted, held = known
            changes = [
                column.name
                for column in item.columns
                if column.canon(held[column.attr]) != column.canon(item.values[column.attr])
            ]
            if not changes:
                outcomes.append(Outcome(item.ref, pk, "unchanged"))
                continue
            consent_changed = "contact_consent" in changes
            if consent_changed and not item.values["contact_consent"]:
                withdrawn.append(pk)
            writer.update(pk, item.values, consent_changed=consent_changed)
            outcomes.append(Outcome(item.ref, pk, "updated", changes))
        for writer in writers.values():
            writer.flush()
        created = [o.external_ref for o in outcomes if o.action == "created"]
        if created:
            ids = dict(
                Person.objects.filter(external_ref__in=created).values_list("external_ref", "pk")
            )
            for outcome in outcomes:
                if outcome.action == "created":
                    outcome.pk = ids[outcome.external_ref]
        return outcomes, withdrawn


def upsert_records(
    records: Sequence[dict[str, Any]],
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    how: str = "through the API",
    audit_each: bool = False,
) -> list[Outcome]:
    """Create or update the people in `records` (at most MAX_RECORDS), all or nothing.

    Raises RecordsRefused (nothing written) if any record is refused. Audited: one entry per
    person written when `audit_each` (a single upsert), else one entry with the counts (a
    batch, like an import); field names only, never values. The same batch sent twice at the
    same moment gives one clean outcome: the second waits for the first's new people, then
    retries and finds them.
    """
    if len(records) > MAX_RECORDS:
        raise ValueError(f"at most {MAX_RECORDS} records at a time")
    for attempt in range(3):
        try:
            with transaction.atomic():
                outcomes, withdrawn = _Attempt(records).run()
                _audit(outcomes, actor=actor, request=request, how=how, each=audit_each)
                _notify(outcomes, withdrawn)
                return outcomes
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            # Someone else added one of these references first; on the next try it is there.
            # (COPY goes to psycopg directly, so its error is psycopg's, not Django's.)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _audit(
    outcomes: list[Outcome],
    *,
    actor: User | None,
    request: HttpRequest | None,
    how: str,
    each: bool,
) -> None:
    written = [o for o in outcomes if o.action != "unchanged"]
    if each:
        for outcome in written:
            what = "Created record" if outcome.action == "created" else "Changed"
            audit_record(
                action=f"person.{outcome.action}",
                actor=actor,
                request=request,
                object_type="people.person",
                object_id=str(outcome.pk),
                summary=(
                    f"{what} #{outcome.pk} {how}"
                    if outcome.action == "created"
                    else f"Changed {', '.join(sorted(outcome.changes))} {how}"
                )[:500],
            )
        return
    counts = {action: 0 for action in ("created", "updated", "unchanged")}
    for outcome in outcomes:
        counts[outcome.action] += 1
    audit_record(
        action="people.imported",
        actor=actor,
        request=request,
        object_type="people.person",
        summary=f"Upserted {len(outcomes)} people {how}: "
        + ", ".join(f"{k}: {v}" for k, v in counts.items()),
    )


def _notify(outcomes: list[Outcome], withdrawn: list[int]) -> None:
    for person in Person.objects.filter(pk__in=withdrawn):
        contact_consent_withdrawn.send(sender=Person, person=person)
    if any(o.action != "unchanged" for o in outcomes):
        result = ImportResult(file_name="API")
        for outcome in outcomes:
            setattr(result, outcome.action, getattr(result, outcome.action) + 1)
        result.saved = True
        transaction.on_commit(lambda: people_imported.send(sender=ImportResult, result=result))
