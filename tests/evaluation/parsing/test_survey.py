"""The TSM perception survey export (.csv, .xlsx)."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.evaluation.parsing import (
    read_survey,
)
from tests.evaluation.parsing.builders import csv_bytes, error_of, make_xlsx

# --------------------------------------------------------------------------- survey

SURVEY_CSV = """\
Respondent ID,Survey Date,TP01,TP02,TP05,TP12,Comments,TP02_comment,Area,Tenure,Age band
R001,2025-03-01,1,2,yes,,Happy overall,Repair took weeks,North,General needs,35-44
R002,31/03/2025,5,,no,4,"The lift is always broken, and nobody answers",,South,Sheltered,75+
R003,,3,3,2,3,,,North,,
"""


def test_survey_csv():
    survey = read_survey(csv_bytes(SURVEY_CSV), "tsm.csv")
    assert survey.score_columns == ["TP01", "TP02", "TP05", "TP12"]
    assert survey.comment_columns == ["comments", "tp02_comment"]
    first, second, third = survey.rows
    assert first.line == 2 and first.respondent == "R001"
    assert first.date == dt.date(2025, 3, 1)
    assert first.scores == {"TP01": 1, "TP02": 2, "TP05": 1, "TP12": None}
    assert first.comments == {"comments": "Happy overall", "tp02_comment": "Repair took weeks"}
    assert first.context == {"area": "North", "tenure": "General needs", "age_band": "35-44"}
    assert second.date == dt.date(2025, 3, 31)
    assert second.scores["TP05"] == 0 and second.scores["TP02"] is None
    assert second.comments["comments"] == "The lift is always broken, and nobody answers"
    assert third.line == 4 and third.date is None and third.context["tenure"] == ""


def test_survey_xlsx_with_numbers_and_dates():
    data = make_xlsx(
        [
            ["id", "date", "TP1", "TP06", "comment"],
            ["A1", dt.datetime(2025, 2, 3), 4, 2.0, "Nobody listens"],
            [None, None, None, None, None],  # blank rows are skipped
            ["A2", None, None, 5],  # short spreadsheet rows are fine
        ]
    )
    survey = read_survey(data, "tsm.xlsx")
    assert survey.score_columns == ["TP01", "TP06"]
    assert [(r.line, r.respondent, r.date, r.scores) for r in survey.rows] == [
        (2, "A1", dt.date(2025, 2, 3), {"TP01": 4, "TP06": 2}),
        (4, "A2", None, {"TP01": None, "TP06": 5}),
    ]
    assert survey.rows[1].comments == {"comment": ""}


def test_survey_unknown_columns_are_named():
    data = csv_bytes("id,TP01,comment,Postcode,TP13,satisfation\nR1,1,ok,M1 1AE,2,3\n")
    message = error_of(read_survey, data, "tsm.csv")
    assert "'Postcode'" in message and "'TP13'" in message and "'satisfation'" in message


def test_survey_unknown_column_suggests_a_close_name():
    message = error_of(read_survey, csv_bytes("respondant_id,TP01\nR1,1\n"), "tsm.csv")
    assert "did you mean 'respondent_id'?" in message


def test_survey_score_out_of_range_names_line_and_column():
    data = csv_bytes("id,TP01,TP03\nR1,1,2\nR2,3,7\n")
    message = error_of(read_survey, data, "tsm.csv")
    assert message == "tsm.csv line 3: TP03 is '7' but must be a whole number from 1 to 5 or blank."


@pytest.mark.parametrize("value", ["0", "6", "2.5", "yes", "very satisfied"])
def test_survey_bad_scores(value):
    assert "TP01" in error_of(read_survey, csv_bytes(f"id,TP01\nR1,{value}\n"), "s.csv")


def test_survey_tp05_bad_value():
    message = error_of(read_survey, csv_bytes("id,TP05\nR1,maybe\n"), "s.csv")
    assert "1 to 5, yes, no or blank" in message


def test_survey_duplicate_respondents_give_both_lines():
    data = csv_bytes("id,TP01\nR1,1\nR2,2\nR1,3\n")
    message = error_of(read_survey, data, "s.csv")
    assert "'R1'" in message and "lines 2 and 4" in message


def test_survey_header_only_and_empty():
    assert "no rows" in error_of(read_survey, csv_bytes("id,TP01,comment"), "s.csv")
    assert error_of(read_survey, b"", "s.csv") == "The file is empty."
    assert "no column names" in error_of(read_survey, b"\r\n\r\n", "s.csv")


def test_survey_semicolons_are_refused():
    message = error_of(read_survey, csv_bytes("id;TP01;comment\nR1;1;ok\n"), "s.csv")
    assert "semicolons" in message and "commas" in message


def test_survey_needs_an_id_column_and_something_to_import():
    assert "respondent id column" in error_of(read_survey, csv_bytes("TP01\n1\n"), "s.csv")
    assert "nothing to import" in error_of(read_survey, csv_bytes("id,area\nR1,N\n"), "s.csv")
    assert "more than one respondent id" in error_of(
        read_survey, csv_bytes("id,respondent,TP01\n1,2,3\n"), "s.csv"
    )


def test_survey_row_problems():
    assert "line 2: the respondent id is empty" in error_of(
        read_survey, csv_bytes("id,TP01\n,1\n"), "s.csv"
    )
    assert "not a date" in error_of(
        read_survey, csv_bytes("id,date,TP01\nR1,31/02/2025,1\n"), "s.csv"
    )
    assert "line 3 has 1 values" in error_of(
        read_survey, csv_bytes("id,TP01,comment\nR1,1,ok\nsplit comment\n"), "s.csv"
    )
    assert "line 2 has 4 values" in error_of(read_survey, csv_bytes("id,TP01\nR1,1,2,3\n"), "s.csv")
    assert "missing closing quote" in error_of(
        read_survey, b'id,comment\r\nR1,"never closed\r\n', "s.csv"
    )
    assert "appears more than once" in error_of(
        read_survey, csv_bytes("id,TP01,tp1\nR1,1,1\n"), "s.csv"
    )


def test_survey_unnamed_empty_columns_are_ignored_but_not_with_values():
    assert len(read_survey(csv_bytes("id,TP01,\nR1,1,\n"), "s.csv").rows) == 1
    assert "no column name" in error_of(read_survey, csv_bytes("id,TP01,\nR1,1,x\n"), "s.csv")


def test_survey_wrong_file_types():
    assert "not an Excel spreadsheet" in error_of(read_survey, b"id,TP01\n1,1\n", "s.xlsx")
    assert "Excel workbook, not a CSV" in error_of(read_survey, make_xlsx([["id"]]), "s.csv")
    message = error_of(read_survey, b"id\tTP01\n", "s.xls")
    assert ".xls" in message and "CSV UTF-8" in message
    assert "no extension" in error_of(read_survey, b"x", "survey")
    assert "not UTF-8" in error_of(
        read_survey, "id,comment\nR1,caf\xe9\n".encode("cp1252"), "s.csv"
    )


def test_survey_tabs_are_refused():
    assert "tabs" in error_of(read_survey, b"id\tTP01\nR1\t1\n", "s.csv")
