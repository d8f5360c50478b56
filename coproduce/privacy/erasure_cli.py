"""`coproduce dpo erase --person EXTERNAL_REF [--dry-run]`: the web page's erasure, from a shell.

The same service as the web page, audited as done by the system. It erases under the
person's open erasure request, or opens one (received today) in the same transaction, so a
refused erasure leaves no request behind. The dry run prints what would be removed and what
is kept by law, and changes nothing.
"""

from __future__ import annotations

import argparse
import sys

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coproduce.people.models import Person
from coproduce.privacy.erasure import erasure_plan, person_erase
from coproduce.privacy.models import (
    DataRequest,
    RequestKind,
    RequestStatus,
    one_calendar_month_after,
)

PROG = "coproduce dpo erase"


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Erase a person's data: identifying details removed or replaced by a "
        "pseudonym; what the law keeps (payment records, the audit log) stays under it.",
    )
    parser.add_argument("--person", required=True, help="the person's housing system reference")
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would go and what stays; change nothing"
    )
    return parser


def _open_request(person: Person) -> DataRequest:
    found = DataRequest.objects.filter(
        person=person, kind=RequestKind.ERASURE, status=RequestStatus.OPEN
    ).first()
    if found is not None:
        return found
    today = timezone.localdate()
    return DataRequest.objects.create(
        person=person,
        kind=RequestKind.ERASURE,
        received_on=today,
        due_on=one_calendar_month_after(today),
        notes="Opened from the command line to erase.",
    )


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _BadInput as error:
        sys.stderr.write(f"{PROG}: {error}\n")
        return 2
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    ref = args.person.strip()
    person = Person.objects.filter(external_ref=ref).first() if ref else None
    if person is None:
        sys.stderr.write(f"{PROG}: no person has the reference {ref!r}\n")
        return 2
    if args.dry_run:
        plan = erasure_plan(person=person)
        sys.stdout.write("Dry run: nothing was changed.\n" + plan.as_text() + "\n")
        return 0
    try:
        with transaction.atomic():
            data_request = _open_request(person)
            plan = person_erase(request=data_request, actor=None)
    except ValidationError as error:
        sys.stderr.write(f"{PROG}: {' '.join(error.messages)} Nothing was changed.\n")
        return 2
    person.refresh_from_db()
    sys.stdout.write(
        f"Erased: the record now shows only '{person.pseudonym}' "
        f"(request #{data_request.pk}).\n" + plan.as_text() + "\n"
    )
    return 0
