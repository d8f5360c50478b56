"""Reading and validating the CSV inputs of ``coproduce theme``.

Every problem is an :class:`InputError` with a one-line, plain-words message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path


class InputError(ValueError):
    """Bad input: the message is one line, meant for the person running the command."""


@dataclass
class Promise:
    code: str
    title: str
    description: str = ""


@dataclass
class Items:
    ids: list[str]
    texts: list[str]
    skipped_empty: int = 0
    meta: dict = field(default_factory=dict)


def _read_rows(path: str | Path, what: str) -> tuple[list[str], list[dict[str, str]]]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file not found: {p}")
    if not p.is_file():
        raise InputError(f"{what} is not a file: {p}")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # find the line for a helpful message
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{what} file {p.name} is not UTF-8 text (bad byte at line {line}); "
            "save it as CSV UTF-8 and try again"
        ) from None
    if not text.strip():
        raise InputError(f"{what} file {p.name} is empty")
    csv.field_size_limit(10_000_000)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = [
            {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in r.items()}
            for r in reader
        ]
    except csv.Error as exc:
        raise InputError(f"{what} file {p.name} is not valid CSV: {exc}") from None
    if not header:
        raise InputError(f"{what} file {p.name} has no header row")
    return header, rows


def _need(header: list[str], cols: list[str], what: str, name: str) -> None:
    missing = [c for c in cols if c not in header]
    if missing:
        have = ", ".join(h for h in header if h) or "none"
        raise InputError(
            f"{what} file {name} has no column {', '.join(repr(m) for m in missing)} "
            f"(columns found: {have})"
        )


def read_items(path: str | Path, text_column: str = "text", id_column: str = "id") -> Items:
    """Items to theme. Rows with empty text are skipped (and counted); ids must be unique."""
    header, rows = _read_rows(path, "input")
    name = Path(path).name
    _need(header, [text_column], "input", name)
    use_ids = id_column in header
    if not use_ids and id_column != "id":
        _need(header, [id_column], "input", name)
    ids: list[str] = []
    texts: list[str] = []
    seen: set[str] = set()
    skipped = 0
    for n, r in enumerate(rows, start=2):
        t = (r.get(text_column) or "").strip()
        iid = (r.get(id_column) or "").strip() if use_ids else f"row-{n - 1}"
        if not iid:
            raise InputError(f"input file {name} line {n}: empty id in column {id_column!r}")
        if iid in seen:
            raise InputError(f"input file {name} line {n}: id {iid!r} appears more than once")
        seen.add(iid)
        if not t:
            skipped += 1
            continue
        ids.append(iid)
        texts.append(t)
    if not texts:
        raise InputError(f"input file {name} has no rows with text in column {text_column!r}")
    return Items(ids=ids, texts=texts, skipped_empty=skipped, meta={"all_ids": seen})


def read_promises(path: str | Path) -> list[Promise]:
    header, rows = _read_rows(path, "promises")
    name = Path(path).name
    _need(header, ["code", "title"], "promises", name)
    out: list[Promise] = []
    seen: set[str] = set()
    for n, r in enumerate(rows, start=2):
        code = (r.get("code") or "").strip()
        title = (r.get("title") or "").strip()
        desc = (r.get("description") or "").strip()
        if not code and not title and not desc:
            continue
        if not code:
            raise InputError(f"promises file {name} line {n}: empty code")
        if not title:
            raise InputError(f"promises file {name} line {n}: promise {code!r} has no title")
        if code in seen:
            raise InputError(f"promises file {name} line {n}: code {code!r} appears twice")
        seen.add(code)
        out.append(Promise(code=code, title=title, description=desc))
    if not out:
        raise InputError(f"promises file {name} has no promises")
    return out


def read_labels(
    path: str | Path, known_ids: set[str] | list[str], known_codes: set[str] | list[str]
) -> dict[str, list[str]]:
    """Coded examples: ``id,code`` rows, several rows per id allowed (multi-label)."""
    header, rows = _read_rows(path, "labels")
    name = Path(path).name
    _need(header, ["id", "code"], "labels", name)
    ids = set(known_ids)
    codes = set(known_codes)
    out: dict[str, list[str]] = {}
    for n, r in enumerate(rows, start=2):
        iid = (r.get("id") or "").strip()
        code = (r.get("code") or "").strip()
        if not iid and not code:
            continue
        if iid not in ids:
            raise InputError(f"labels file {name} line {n}: unknown id {iid!r} (not in the input)")
        if code not in codes:
            raise InputError(
                f"labels file {name} line {n}: unknown promise code {code!r} "
                "(not in the promises file)"
            )
        lst = out.setdefault(iid, [])
        if code not in lst:
            lst.append(code)
    if not out:
        raise InputError(f"labels file {name} has no labelled rows")
    return out
