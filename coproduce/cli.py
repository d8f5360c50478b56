"""The `coproduce` command. Same as `python -m coproduce`.

Sub-commands that work on the database set Django up first; `theme`,
`story split` and `tsm calculate` are pure and never touch it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib import import_module

USAGE = """usage: coproduce COMMAND [options]

commands:
  demo            build the demo organisation (--homes N, --seed S)
  import-people   import or update people from a CSV or XLSX file
  theme           find themes in comments and map them to promises
  report          write a health-check report (PDF or HTML)
  tsm calculate   the Tenant Satisfaction Measures TP01-TP12 from a survey file
  story split     split an interview transcript into the story guide's questions
  dpo             data protection: `dpo export`, `dpo erase`, `dpo remind`
  retention       apply the retention schedule (--dry-run, --today D, --schedule)
  backup          back up the database and uploaded files (--out DIR)
  restore         restore a backup made by `coproduce backup` (DIR --yes)
  serve           production: migrate, collect static files, run gunicorn and a task worker
  manage          run a Django management command (e.g. `coproduce manage migrate`)

Run `coproduce COMMAND --help` for a command's options.
"""

# command -> (module:function, needs Django)
COMMANDS: dict[str, tuple[str, bool]] = {
    "demo": ("coproduce.demo.command:cli_main", True),
    "import-people": ("coproduce.people.importing:cli_main", True),
    "theme": ("coproduce.insight.cli:main", False),
    "tsm": ("coproduce.tsm.cli:main", False),
    "report": ("coproduce.evaluation.report:cli_main", True),
    "dpo": ("coproduce.privacy.cli:main", True),
    "retention": ("coproduce.privacy.retention_cli:main", True),
    "backup": ("coproduce.core.backup:backup_main", True),
    "restore": ("coproduce.core.backup:restore_main", True),
    "serve": ("coproduce.core.serve:cli_main", True),
}


def _load(target: str) -> Callable[[list[str]], int]:
    module, _, func = target.partition(":")
    return getattr(import_module(module), func)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    name, rest = args[0], args[1:]
    if name == "story":
        # `coproduce story split FILE`: pure, never touches the database.
        if not rest or rest[0] in ("-h", "--help"):
            sys.stdout.write(
                "usage: coproduce story split TRANSCRIPT [--guide default] [--out RESULT.json]\n"
            )
            return 0 if rest else 2
        if rest[0] != "split":
            sys.stderr.write(f"coproduce story: unknown command {rest[0]!r}; try `split`.\n")
            return 2
        return _load("coproduce.stories.split:cli_main")(rest[1:])
    if name == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["coproduce", *rest])
        return 0
    if name not in COMMANDS:
        sys.stderr.write(f"coproduce: unknown command {name!r}. Run `coproduce --help`.\n")
        return 2
    target, needs_django = COMMANDS[name]
    if needs_django:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
        import django

        django.setup()
    return _load(target)(rest)


if __name__ == "__main__":
    sys.exit(main())
