"""`coproduce retention`: apply the retention schedule, list what would go, or start the chain.

coproduce retention                      remove what the schedule says today (for cron)
coproduce retention --dry-run            list what would go, change nothing
coproduce retention --today 2030-04-06   as if today were that day
coproduce retention --schedule           start the nightly background run (once)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from django.utils import timezone

from coproduce.privacy import retention


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"coproduce retention: {message}\n")
        raise SystemExit(2)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2030-04-06") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coproduce retention",
        description="Apply the retention schedule (docs/retention.md).",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be removed, change nothing"
    )
    parser.add_argument(
        "--today", type=_day, metavar="YYYY-MM-DD", help="work as if today were this day"
    )
    parser.add_argument(
        "--schedule",
        action="store_true",
        help="start the nightly background run, unless one is already queued",
    )
    return parser


def _print(removals: list[retention.Removal], *, today: dt.date, dry_run: bool) -> None:
    verb = "Would remove" if dry_run else "Removed"
    out = sys.stdout
    out.write(f"Retention schedule for {today:%d %B %Y}{' (dry run)' if dry_run else ''}\n")
    if not removals:
        out.write("Nothing to remove.\n")
        return
    for removal in removals:
        first = ", ".join(str(pk) for pk in removal.ids[:10])
        more = f" and {removal.count - 10} more" if removal.count > 10 else ""
        out.write(
            f"{verb} {removal.count} × {removal.object_type} ({removal.rule}: {removal.what}); "
            f"ids {first}{more}\n"
        )
    out.write(f"{verb} {sum(r.count for r in removals)} records in all.\n")


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.schedule:
        if args.dry_run or args.today:
            sys.stderr.write("coproduce retention: --schedule takes no other options\n")
            return 2
        from coproduce.privacy.retention_tasks import retention_schedule_start

        started, when = retention_schedule_start()
        if when is None:
            sys.stdout.write(
                "The task backend cannot run tasks later; run `coproduce retention` from cron.\n"
            )
        elif started:
            sys.stdout.write(f"Nightly retention run queued for {timezone.localtime(when):%c}.\n")
        else:
            sys.stdout.write(
                f"Nightly retention run already queued for {timezone.localtime(when):%c}.\n"
            )
        return 0
    today = args.today or timezone.localdate()
    if args.dry_run:
        _print(retention.retention_plan(today=today), today=today, dry_run=True)
    else:
        _print(retention.retention_apply(today=today), today=today, dry_run=False)
    return 0
