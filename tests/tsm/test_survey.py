"""Reading a TSM survey file: what is understood, and every refusal with its message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from openpyxl import Workbook

from coproduce.demo.evidence import survey_csv as demo_survey_csv
from coproduce.evaluation.parsing.survey import read_survey
from coproduce.tsm.survey import SurveyError, read_tsm_survey

from .support import survey_csv


def read(header: list[str], rows: list[list[object]]) -> list:
    return read_tsm_survey(survey_csv(header, rows), "s.csv").responses


def test_words_numbers_and_screening_answers_are_understood() -> None:
    (one,) = read(
        ["Respondent ID", "Tenure type", "Date", "TP1", "TP08", "Repair last 12 months", "TP02",
         "Area", "Age band", "TP01_comment", "weight"],
        [["A-1", "lcra", "31/03/2025", "Very Satisfied", "Strongly agree", "Yes", "3.0",
          "North", "25-34", "Fine, really", "1.25"]],
    )  # fmt: skip
    assert one.respondent == "A-1"
    assert one.tenure == "LCRA"
    assert one.date == dt.date(2025, 3, 31)
    assert one.answers == {
        "TP01": "very_satisfied",
        "TP08": "strongly_agree",
        "repair_12m": "yes",
        "TP02": "neither",
    }
    assert one.profile == {"area": "North", "age_band": "25-34"}
    assert one.weight == Decimal("1.25")


def test_the_demo_survey_with_a_tenure_column_is_read_by_both_readers() -> None:
    data = demo_survey_csv(40, random.Random(3), 2025)
    rows = list(csv.reader(io.StringIO(data.decode())))
    rows[0].append("tenure_type")
    for number, row in enumerate(rows[1:]):
        row.append("LCHO" if number % 5 == 0 else "LCRA")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    both = out.getvalue().encode()
    evidence = read_survey(both.replace(b",tenure_type", b",tenure"), "demo.csv")
    ours = read_tsm_survey(both, "demo.csv")
    assert len(ours.responses) == len(evidence.rows) == 40
    for row, response in zip(evidence.rows, ours.responses, strict=True):
        scores = {code: score for code, score in row.scores.items() if score is not None}
        assert set(scores) == {key for key in response.answers if key.startswith("TP")}


def test_an_xlsx_survey_is_read() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "tenure_type", "TP01", "TP08", "date"])
    sheet.append(["x1", "LCHO", 4, 2.0, dt.datetime(2025, 6, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    (one,) = read_tsm_survey(buffer.getvalue(), "s.xlsx").responses
    assert one.answers == {"TP01": "fairly_satisfied", "TP08": "disagree"}
    assert one.date == dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (["id", "tenure_type", "TP02"], [["a", "LCRA", 3]],
         "s.csv is missing a required question: TP01"),
        (["id", "tenure_type", "TP01"], [["a", "LCRA", 6]],
         "s.csv line 2, column TP01: '6' is outside the scale; it must be 1 to 5"),
        (["id", "tenure_type", "TP01"], [["a", "LCRA", "Quite happy"]],
         "line 2, column TP01: 'Quite happy' is outside the scale"),
        (["id", "tenure_type", "TP08"  , "TP01"], [["a", "LCRA", "Very satisfied", 5]],
         "line 2, column TP08: 'Very satisfied' is outside the scale; it must be 1 to 5 "
         "\\(5 is strongly agree\\)"),
        (["id", "tenure_type", "TP01", "repair_12m"], [["a", "LCRA", 5, "sometimes"]],
         "line 2, column repair_12m: 'sometimes' is outside the scale; it must be yes, no"),
        (["id", "tenure_type", "TP01"], [["a", "LCRA", 5], ["b", "", 4]],
         "s.csv line 3, column tenure_type: respondent 'b' has no tenure type; write LCRA or LCHO"),
        (["id", "tenure_type", "TP01"], [["a", "Leasehold", 5]],
         "line 2, column tenure_type: 'Leasehold' is not a tenure type we know"),
        (["id", "TP01"], [["a", 5]], "s.csv has no tenure_type column"),
        (["id", "tenure_type", "TP01"], [["a", "LCRA", 5], ["b", "LCRA", 5], ["a", "LCHO", 1]],
         "line 4, column id: respondent 'a' appears twice, on lines 2 and 4"),
        (["id", "tenure_type", "TP01", "shoe_size"], [["a", "LCRA", 5, 9]],
         "s.csv line 1: an unknown column: 'shoe_size'"),
        (["id", "tenure_type", "TP01", "TP13"], [["a", "LCRA", 5, 1]], "unknown column: 'TP13'"),
        (["id", "tenure_type", "TP01", "weight"], [["a", "LCRA", 5, "0"]],
         "line 2, column weight: '0' is not a positive number"),
        (["id", "tenure_type", "TP01", "weight"], [["a", "LCRA", 5, "heavy"]],
         "line 2, column weight: 'heavy' is not a positive number"),
        (["id", "tenure_type", "TP01", "weight"], [["a", "LCRA", 5, "1.2"], ["b", "LCRA", 5, ""]],
         "line 3, column weight: line 2 has a weight but line 3 has none"),
        (["id", "tenure_type", "TP01"], [["", "LCRA", 5]],
         "line 2, column id: the respondent id is empty"),
        (["tenure_type", "TP01"], [["LCRA", 5]], "s.csv has no respondent id column"),
        (["id", "respondent", "tenure_type", "TP01"], [["a", "b", "LCRA", 5]],
         "more than one respondent id column"),
        (["id", "tenure_type", "TP01", "TP1"], [["a", "LCRA", 5, 5]],
         "the column 'TP1' appears more than once"),
        (["id", "tenure_type", "TP01", "date"], [["a", "LCRA", 5, "31/02/2025"]],
         "line 2, column date: '31/02/2025' is not a date"),
        (["id", "tenure_type", "TP01"], [], "s.csv has column names but no rows"),
        (["id", "tenure_type", "TP01", "area"], [["a", "LCRA", 5, "North\x00"]],
         "line 2, column area: use a single line"),
    ],
)  # fmt: skip
def test_bad_surveys_are_refused_naming_line_and_column(
    header: list[str], rows: list[list[object]], message: str
) -> None:
    with pytest.raises(SurveyError, match=message):
        read(header, rows)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "s.csv", "s.csv has no column names and no rows"),
        (b"id;tenure_type;TP01\na;LCRA;5\n", "s.csv", "uses semicolons between columns"),
        (b"id,tenure_type,TP01\na,LCRA,5\n", "s.txt", "cannot read a .txt file as a survey file"),
        (
            b"id,tenure_type,TP01\na,LCRA,\xff\n",
            "s.csv",
            "line 2 has characters that are not UTF-8",
        ),
        (b"id,tenure_type,TP01\na,LCRA,5,6\n", "s.csv", "line 2 has 4 values but the header has 3"),
        (b"not a workbook", "s.xlsx", "s.xlsx is not an Excel spreadsheet"),
    ],
)
def test_files_that_are_not_surveys_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        read_tsm_survey(data, name)
