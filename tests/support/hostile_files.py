"""Hostile files for upload tests, written by streaming so the tests themselves stay light.

A "zip bomb" here is a valid .xlsx or .docx on the outside: the parts a reader looks for are
present, and the sheet or document part is valid XML that repeats until it is `expanded`
bytes long. Deflate packs it about 1000:1, so a 1 GB part takes about 1 MB on disk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

GB = 1024 * 1024 * 1024
MB = 1024 * 1024


def _repeat(head: bytes, unit: bytes, tail: bytes, expanded: int) -> Iterator[bytes]:
    yield head
    block = unit * max(1, (1 * MB) // len(unit))
    written = len(head) + len(tail)
    while written + len(block) <= expanded:
        yield block
        written += len(block)
    yield tail


def _swap_part(path: Path, template: bytes, part: str, chunks: Iterator[bytes]) -> Path:
    """Copy a genuine tiny Office file, streaming a huge replacement for one of its parts."""
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info.filename))
        entry = zipfile.ZipInfo(part)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with target.open(entry, "w", force_zip64=True) as handle:
            for chunk in chunks:
                handle.write(chunk)
    return path


def xlsx_bomb(path: Path, expanded: int = GB) -> Path:
    """A real .xlsx (openpyxl opens it) whose first sheet repeats one valid row until it is
    `expanded` bytes of XML."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["external_ref", "first_name"])
    buffer = io.BytesIO()
    book.save(buffer)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    cell = '<c t="inlineStr"><is><t>{}</t></is></c>'
    header = "<row>" + cell.format("external_ref") + cell.format("first_name") + "</row>"
    head = f"<worksheet {ns}><sheetData>{header}".encode()
    unit = ("<row>" + cell.format("R1") + cell.format("Ann") + "</row>").encode()
    return _swap_part(
        path,
        buffer.getvalue(),
        "xl/worksheets/sheet1.xml",
        _repeat(head, unit, b"</sheetData></worksheet>", expanded),
    )


def docx_bomb(path: Path, expanded: int = GB) -> Path:
    """A real .docx (python-docx opens it) whose body repeats one paragraph until it is
    `expanded` bytes of XML."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    head = f"<w:document {ns}><w:body>".encode()
    unit = b"<w:p><w:r><w:t>All work and no play.</w:t></w:r></w:p>"
    return _swap_part(
        path,
        buffer.getvalue(),
        "word/document.xml",
        _repeat(head, unit, b"</w:body></w:document>", expanded),
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def many_entries(path: Path, count: int = 20_000, first: str = "xl/workbook.xml") -> Path:
    """A small archive holding `count` tiny entries."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr(first, "<x/>")
        for number in range(count):
            zf.writestr(f"junk/{number}.xml", "")
    return path


def big_csv_chunks(size: int, header: bytes = b"external_ref,first_name\n") -> Iterator[bytes]:
    """`size` bytes of a plausible CSV, a megabyte at a time (never all in memory)."""
    yield header
    line = b"REF-000000,Somebody\n"
    block = line * (MB // len(line))
    sent = len(header)
    while sent + len(block) <= size:
        yield block
        sent += len(block)
    if size > sent:
        yield b"x" * (size - sent)
