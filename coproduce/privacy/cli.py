"""`coproduce dpo ...`: data-protection work from the command line.

The same services as the web pages, audited as done by the system (no actor). Each
sub-command is one `_cmd_<name>(args) -> int` plus a few lines in `_parser()`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


class BadInput(Exception):
    """A one-line reason; the command exits 2."""


def _person(reference: str):  # type: ignore[no-untyped-def]
    from coproduce.people.models import Person

    person = Person.objects.filter(external_ref=reference).first()
    if person is None:
        raise BadInput(f"there is no person with housing reference {reference!r}")
    if person.erased_at is not None:
        raise BadInput(f"the person with housing reference {reference!r} has been erased")
    return person


def _cmd_export(args: argparse.Namespace) -> int:
    from coproduce.privacy.access import subject_access_export

    person = _person(args.person)
    data = subject_access_export(person=person, actor=None)
    try:
        with open(args.out, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise BadInput(f"cannot write {args.out}: {exc.strerror}") from exc
    sys.stdout.write(f"Wrote {args.out} ({len(data):,} bytes)\n")
    return 0


def _cmd_remind(args: argparse.Namespace) -> int:
    from coproduce.privacy.services import data_reminders_send_due

    reminded = data_reminders_send_due()
    sys.stdout.write(f"Reminded about {reminded} request{'s' if reminded != 1 else ''}.\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="coproduce dpo", description="Data-protection work.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    export = commands.add_parser(
        "export",
        help="write a copy of everything held about a person (a ZIP)",
        description="Write a copy of everything held about a person, as a ZIP.",
    )
    export.add_argument("--person", required=True, metavar="EXTERNAL_REF", help="housing reference")
    export.add_argument("--out", required=True, metavar="FILE.zip")
    export.set_defaults(run=_cmd_export)

    remind = commands.add_parser(
        "remind",
        help="email the data-protection leads about requests due within 7 days (for cron)",
        description="Email reminders for requests due within 7 days; each is sent once.",
    )
    remind.set_defaults(run=_cmd_remind)
    # Listed for --help; main() hands `erase` to erasure_cli before this parser runs.
    commands.add_parser(
        "erase",
        help="erase a person (--person EXTERNAL_REF [--dry-run]); see `dpo erase --help`",
    )
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] == "erase":
        # Erasure has its own parser (dry run, refusals); see erasure_cli.
        from coproduce.privacy.erasure_cli import main as erase_main

        return erase_main(argv[1:])
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:
        return int(done.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BadInput as exc:
        sys.stderr.write(f"coproduce dpo {args.command}: {exc}\n")
        return 2
