"""`coproduce import-people`: import (or check) a file from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coproduce.people.importing.columns import template_csv
from coproduce.people.importing.reading import ImportFileError
from coproduce.people.importing.results import ImportResult
from coproduce.people.importing.service import analyse_file, import_file


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
