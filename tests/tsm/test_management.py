"""Management information measures worked out by hand from the Technical Requirements.

Percentages (RP01, RP02, BS01-BS05, CH02) are numerator / denominator x 100; CH01 and NM01 are
rates per 1,000 homes (numerator / homes x 1,000). One decimal place, half up.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from coproduce.tsm.management import (
    MANAGEMENT,
    SPECS,
    label,
    management_result,
    read_management_file,
)
from coproduce.tsm.survey import SurveyError

from .support import survey_csv

D = Decimal


@pytest.mark.parametrize(
    ("code", "part", "numerator", "denominator", "expected"),
    [
        # RP01: 12 of 4,800 homes fail the Decent Homes Standard -> 0.25% -> 0.3 (half up).
        ("RP01", None, "12", "4800", "0.3"),
        # RP02(1): 8,123 of 9,000 non-emergency repairs on time -> 90.2555...% -> 90.3.
        ("RP02", 1, "8123", "9000", "90.3"),
        # RP02(2): 1,990 of 2,000 emergency repairs on time -> 99.5%.
        ("RP02", 2, "1990", "2000", "99.5"),
        # BS01: 4,795 of 4,800 homes with gas checks done -> 99.8958...% -> 99.9.
        ("BS01", None, "4795", "4800", "99.9"),
        # BS02: 300 of 300 fire risk assessments -> 100.0%.
        ("BS02", None, "300", "300", "100.0"),
        # BS03: 199 of 200 asbestos surveys -> 99.5%.
        ("BS03", None, "199", "200", "99.5"),
        # BS04: 7 of 8 water risk assessments -> 87.5%.
        ("BS04", None, "7", "8", "87.5"),
        # BS05: 1 of 16 lifts checked -> 6.25% -> 6.3 (half up, not 6.2).
        ("BS05", None, "1", "16", "6.3"),
        # CH01(1): 250 stage one complaints, 4,800 homes -> 52.0833... per 1,000 -> 52.1.
        ("CH01", 1, "250", "4800", "52.1"),
        # CH01(2): 30 stage two complaints, 4,800 homes -> 6.25 per 1,000 -> 6.3.
        ("CH01", 2, "30", "4800", "6.3"),
        # CH02(1): 230 of 250 stage one complaints answered on time -> 92.0%.
        ("CH02", 1, "230", "250", "92.0"),
        # CH02(2): 25 of 30 stage two -> 83.333...% -> 83.3.
        ("CH02", 2, "25", "30", "83.3"),
        # NM01(1): 96 ASB cases, 4,800 homes -> 20.0 per 1,000.
        ("NM01", 1, "96", "4800", "20.0"),
        # NM01(2): 3 hate-incident cases, 4,800 homes -> 0.625 -> 0.6 per 1,000.
        ("NM01", 2, "3", "4800", "0.6"),
        # A rate per 1,000 may be more than its denominator: 9 complaints from 5 homes -> 1,800.
        ("CH01", 1, "9", "5", "1800.0"),
    ],
)
def test_each_management_measure(
    code: str, part: int | None, numerator: str, denominator: str, expected: str
) -> None:
    assert management_result(SPECS[(code, part)], D(numerator), D(denominator)) == D(expected)


def test_every_measure_and_part_is_listed_once() -> None:
    labels = [label(spec) for spec in MANAGEMENT]
    assert labels == [
        "RP01", "RP02(1)", "RP02(2)", "BS01", "BS02", "BS03", "BS04", "BS05",
        "CH01(1)", "CH01(2)", "CH02(1)", "CH02(2)", "NM01(1)", "NM01(2)",
    ]  # fmt: skip
    assert {spec.kind for spec in MANAGEMENT if spec.code in ("CH01", "NM01")} == {"per_1000"}


def test_a_zero_denominator_gives_none() -> None:
    assert management_result(SPECS[("BS05", None)], D(0), D(0)) is None
    assert management_result(SPECS[("CH01", 1)], D(0), D(0)) is None


def test_impossible_figures_are_refused() -> None:
    with pytest.raises(
        ValueError, match="BS01: the numerator \\(5\\) is more than the denominator"
    ):
        management_result(SPECS[("BS01", None)], D(5), D(4))
    with pytest.raises(ValueError, match="cannot be negative"):
        management_result(SPECS[("NM01", 1)], D(-1), D(4))


def test_a_management_file_is_read_with_parts_in_either_form() -> None:
    data = survey_csv(
        ["Code", "Part", "Numerator", "Denominator"],
        [["CH01", 1, 250, "4,800"], ["ch01(2)", "", 30, 4800], ["RP1", "", 12, 4800]],
    )
    rows = read_management_file(data, "mi.csv")
    assert [(r.line, r.code, r.part, r.numerator, r.denominator) for r in rows] == [
        (2, "CH01", 1, D(250), D(4800)),
        (3, "CH01", 2, D(30), D(4800)),
        (4, "RP01", None, D(12), D(4800)),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["CH01", "", 1, 2]], "mi.csv line 2, column code: CH01 needs a part \\(1 or 2\\)"),
        ([["RP01", 1, 1, 2]], "line 2, column code: RP01 needs no part"),
        ([["XX01", "", 1, 2]], "line 2, column code: 'XX01' is not a management measure"),
        ([["CH01", 3, 1, 2]], "line 2, column part: '3' must be 1, 2 or blank"),
        ([["BS01", "", "five", 2]], "line 2, column numerator: 'five' is not a number"),
        ([["BS01", "", 1, -2]], "line 2, column denominator: '-2' is negative"),
        ([["BS01", "", 5, 4]], "line 2: BS01: the numerator \\(5\\) is more than the denominator"),
        ([["BS01", "", 1, 4], ["BS01", "", 2, 4]], "line 3: BS01 is given twice, on lines 2 and 3"),
        ([], "mi.csv has column names but no rows"),
    ],
)
def test_bad_management_files_are_refused(rows: list[list[object]], message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        read_management_file(
            survey_csv(["code", "part", "numerator", "denominator"], rows), "mi.csv"
        )


def test_a_management_file_with_wrong_columns_is_refused() -> None:
    with pytest.raises(SurveyError, match="unknown column 'value'"):
        read_management_file(survey_csv(["code", "value"], [["BS01", 90]]), "mi.csv")
    with pytest.raises(SurveyError, match="missing the column denominator"):
        read_management_file(survey_csv(["code", "numerator"], [["BS01", 90]]), "mi.csv")
