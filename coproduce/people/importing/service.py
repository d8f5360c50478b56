"""Check a file (`analyse_file`) or import it (`import_file`): the same walk, so a preview can
never disagree with the import it leads to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from coproduce.core.audit import audit_record
from coproduce.core.tabular import Row
from coproduce.people.importing.progress import Report, progress_factory
from coproduce.people.importing.reading import ImportFileError, open_rows
from coproduce.people.importing.results import ImportResult
from coproduce.people.importing.walk import Walker
from coproduce.people.signals import people_imported

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


class _Rollback(Exception):
    pass


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
    make, close = progress_factory(progress, report)
    try:
        # Checks the file before touching the database.
        records = open_rows(path, make, archive_limits, file_name)
        walker = Walker(file_name=file_name or path.name, write=False)
        return walker.run(records)
    finally:
        close()


def import_file(
    path: Path | str,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
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
    make, close = progress_factory(progress, report)
    try:
        records = open_rows(path, make, archive_limits, name)
        return _import(records, name=name, actor=actor, request=request, how=how)
    finally:
        close()


def _import(
    records: Iterator[Row],
    *,
    name: str,
    actor: User | None,
    request: HttpRequest | None,
    how: str,
) -> ImportResult:
    result: ImportResult | None = None
    try:
        with transaction.atomic():
            walker = Walker(file_name=name, write=True)
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
            # Bulk writes send no model signals: tell the apps that listen, once committed.
            saved = result
            transaction.on_commit(lambda: people_imported.send(sender=ImportResult, result=saved))
    except _Rollback:
        assert result is not None
        result.saved = False
    except IntegrityError:
        raise ImportFileError(
            "someone else changed the same people while this file was being imported; nothing "
            "was saved, please try again"
        ) from None
    return result
