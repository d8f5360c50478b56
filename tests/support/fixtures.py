"""Hostile files built once per test session (a few seconds each), shared by upload tests."""

from __future__ import annotations

import pytest

from tests.support import hostile_files


@pytest.fixture(scope="session")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "xlsx": hostile_files.xlsx_bomb(folder / "people.xlsx"),
        "docx": hostile_files.docx_bomb(folder / "report.docx"),
        "many.xlsx": hostile_files.many_entries(folder / "many.xlsx"),
        "many.docx": hostile_files.many_entries(folder / "many.docx", first="word/document.xml"),
    }
