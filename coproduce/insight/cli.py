"""``coproduce theme`` — theme comments and map them to promises (contract in docs/contracts.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .io import InputError, Promise, read_items, read_labels, read_promises


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse already uses 2)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _themes_arg(v: str) -> int | None:
    if v.strip().lower() == "auto":
        return None
    try:
        n = int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--themes must be a whole number or 'auto', not {v!r}"
        ) from None
    if n < 1:
        raise argparse.ArgumentTypeError("--themes must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="coproduce theme",
        description=(
            "Group comments into themes with plain-words labels and quotes, and map each "
            "comment to the promises it speaks to (zero-shot, or trained on coded examples)."
        ),
    )
    p.add_argument("input", metavar="INPUT.csv", help="CSV file with one comment per row")
    p.add_argument("--text-column", default="text", help="column holding the text (default: text)")
    p.add_argument(
        "--id-column", default="id", help="column holding item ids (default: id; row-N if absent)"
    )
    p.add_argument("--promises", metavar="PROMISES.csv", help="columns code,title[,description]")
    p.add_argument(
        "--train", metavar="LABELS.csv", help="coded examples: columns id,code (one row per pair)"
    )
    p.add_argument("--engine", default="auto", choices=["auto", "tfidf", "semantic"])
    p.add_argument(
        "--themes", default=None, type=_themes_arg, metavar="N|auto", help="number of themes"
    )
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--out", metavar="RESULT.json", help="write JSON here instead of stdout")
    p.add_argument(
        "--no-cache", action="store_true", help="do not read or write the embedding cache"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        items = read_items(args.input, text_column=args.text_column, id_column=args.id_column)
        promises: list[Promise] | None = None
        if args.promises:
            promises = read_promises(args.promises)
        labels = None
        if args.train:
            if promises is None:
                raise InputError("--train needs --promises (the codes must be promises)")
            labels = read_labels(
                args.train, items.meta.get("all_ids", items.ids), [p.code for p in promises]
            )
        if args.out:
            outp = Path(args.out)
            if outp.parent and not outp.parent.exists():
                raise InputError(f"folder for --out does not exist: {outp.parent}")
        from .engine import analyse

        result = analyse(
            items.ids,
            items.texts,
            promises=promises,
            labels=labels,
            engine=args.engine,
            n_themes=args.themes,
            seed=args.seed,
            progress=not args.quiet,
            use_cache=not args.no_cache,
        )
        if items.skipped_empty:
            result["skipped_empty"] = items.skipped_empty
        text = json.dumps(result, ensure_ascii=False, indent=1)
        if args.out:
            tmp = Path(args.out + ".tmp")
            tmp.write_text(text + "\n", encoding="utf-8")
            os.replace(tmp, args.out)
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    except InputError as exc:
        msg = " ".join(str(exc).split())
        print(f"coproduce theme: error: {msg}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"coproduce theme: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
