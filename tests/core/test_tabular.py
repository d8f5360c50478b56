"""The one reader of CSV and XLSX files (people imports and evidence files use it)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from coproduce.core.tabular import TableError, csv_rows, header_key, suffix_of, xlsx_rows


def _xlsx(rows, *, percent_cell=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if percent_cell:
        sheet[percent_cell].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_csv_rows_are_stripped_and_numbered_by_their_first_line():
    data = '\ufeffid, name \n1,"Nia\nOkafor"\n\n2,Sam\n'.encode()
    rows = list(csv_rows(data, name="p.csv"))
    assert [(r.line, r.cells) for r in rows] == [
        (1, ["id", "name"]),
        (2, ["1", "Nia\nOkafor"]),
        (4, []),
        (5, ["2", "Sam"]),
    ]
    assert not any(r.padded or r.problem for r in rows)


def test_csv_reads_a_file_on_disk_and_reports_bytes_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"id\n1\n")
    read: list[int] = []
    assert [r.cells for r in csv_rows(path, name="p.csv", progress=read.append)] == [["id"], ["1"]]
    assert sum(read) == 5


def test_a_line_that_is_not_utf8_is_a_problem_of_its_row_only():
    rows = list(csv_rows(b"id,name\n1,caf\xe9\n2,Sam\n", name="p.csv"))
    assert rows[1].problem == "line 2 has characters that are not UTF-8 text"
    assert rows[2].problem == ""


def test_a_missing_closing_quote_names_the_line():
    with pytest.raises(TableError, match=r"^line 2 cannot be read as CSV .*missing closing quote$"):
        list(csv_rows(b'id,name\n1,"Nia\n', name="p.csv"))


def test_text_after_a_closing_quote_is_refused():  # strict, as the evidence reader was
    with pytest.raises(TableError, match="line 2 cannot be read as CSV"):
        list(csv_rows(b'id,name\n1,"Nia"x\n', name="p.csv"))


def test_a_workbook_renamed_to_csv_is_refused():
    with pytest.raises(TableError, match="s.csv is an Excel workbook, not a CSV file"):
        list(csv_rows(_xlsx([["id"]]), name="s.csv"))


def test_xlsx_cells_become_the_text_a_person_would_type():
    data = _xlsx(
        [
            ["id", "born", "score", "ok", "pct", "", ""],
            [7, dt.datetime(1975, 4, 21, 9, 30), 3.0, True, 0.85],
        ],
        percent_cell="E2",
    )
    plain = list(xlsx_rows(data, name="s.xlsx"))
    assert plain[0].cells == ["id", "born", "score", "ok", "pct"]  # empty cells at the end go
    assert plain[1].cells == ["7", "1975-04-21", "3", "yes", "0.85"]
    assert all(row.padded for row in plain)
    with_percent = list(xlsx_rows(data, name="s.xlsx", percent=True))
    assert with_percent[1].cells[-1] == "85%"


def test_formulas_are_read_as_their_saved_value_never_as_formulas():
    book = Workbook()
    book.active.append(["id", "sum"])
    book.active.append([1, "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    [_, row] = list(xlsx_rows(buffer.getvalue(), name="s.xlsx"))
    assert row.cells == ["1"]  # never calculated, so no cached value: blank


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_plain_words():
    with pytest.raises(TableError) as caught:
        list(xlsx_rows(b"id,name\n1,Nia\n", name="fake.xlsx"))
    assert str(caught.value) == (
        "fake.xlsx is not an Excel spreadsheet (.xlsx); open it in a spreadsheet program and "
        "save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8 (.csv)'"
    )


def test_names_and_suffixes():
    assert header_key(" Respondent-ID ") == "respondent_id"
    assert suffix_of("C:\\data\\Survey 2025.CSV") == ".csv"
    assert suffix_of("notes") == ""
