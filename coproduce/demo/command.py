"""The `coproduce demo` command: reads its options and builds, or prints the logins."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from django.db import DatabaseError
from django.utils import timezone

from coproduce.demo.build import demo_build, demo_exists
from coproduce.demo.logins import DEMO_PASSWORD, logins_table
from coproduce.people.models import Person

DEFAULT_HOMES = 6000
DEFAULT_SEED = 2026
MAX_HOMES = 500_000  # twice the largest English landlord

PROG = "coproduce demo"


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def _homes(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_HOMES:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_HOMES:,}, not {value}"
        )
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None


def _today(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date written YYYY-MM-DD, like 2027-06-15, not {text!r}"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Build the demo organisation, a fictional housing association with "
        "tenants, an involvement pool and one login in every role. Demo only: "
        f"every login has the password {DEMO_PASSWORD!r}.",
    )
    parser.add_argument(
        "--homes",
        type=_homes,
        default=DEFAULT_HOMES,
        help=f"number of homes, one lead tenant or customer each (default {DEFAULT_HOMES:,})",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        help=f"random seed; the same seed gives the same demo (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--today",
        type=_today,
        default=None,
        help="the day to lay the story out around, YYYY-MM-DD: sessions coming up in the "
        "weeks after it, this year's health check under way (default: today's date)",
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing if a demo is already loaded or the database already holds people",
    )
    parser.add_argument(
        "--print-logins", action="store_true", help="only print the demo logins and exit"
    )
    return parser


def cli_main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _BadInput as error:
        sys.stderr.write(f"{PROG}: {error}\n")
        return 2
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    try:
        if args.print_logins:
            sys.stdout.write(logins_table())
        elif args.if_empty and (demo_exists() or Person.objects.exists()):
            sys.stdout.write(
                "The demo organisation is already loaded (or the database already "
                "holds people): nothing to do.\n"
            )
            sys.stdout.write(logins_table())
        else:
            demo_build(
                homes=args.homes,
                seed=args.seed,
                today=args.today or timezone.localdate(),
                stdout=sys.stdout,
            )
        sys.stdout.flush()
    except DatabaseError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        sys.stderr.write(
            f"{PROG}: could not build the demo ({reason}); nothing was saved. "
            "Is the database migrated (`coproduce manage migrate`)?\n"
        )
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: stopped.\n")
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: the build itself has finished. Point stdout at
        # /dev/null so Python's exit-time flush does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0
