"""Raking (iterative proportional fitting) worked by hand, and the weights file's refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coproduce.tsm.calc import (
    Figure,
    perception_measures,
    read_weights,
    respondent_weights,
    weight_summary,
)
from coproduce.tsm.survey import SurveyError

from .support import responses, survey_csv


def weights_file(rows: list[list[str]], tenure: bool = False) -> bytes:
    header = ["variable", "category", "population_share"] + (["tenure_type"] if tenure else [])
    return survey_csv(header, rows)


def test_one_variable_weights_each_category_to_its_population_share() -> None:
    # 4 LCRA respondents: 3 in North, 1 in South; the population is 50/50.
    # North weight = 50% x 4 / 3 = 0.666667; South = 50% x 4 / 1 = 2.
    # TP01: North answers 5, 5, 1; South answers 1.
    # Unweighted 2/4 = 50%. Weighted: numerator 2 x 0.666667 = 1.333334, base 4.000001 -> 33.3%.
    people = responses(
        ["tenure_type", "area", "TP01"],
        [["LCRA", "North", 5], ["LCRA", "North", 5], ["LCRA", "north ", 1], ["LCRA", "South", 1]],
    )
    weighting = read_weights(
        weights_file([["area", "North", "50"], ["area", "South", "50%"]]), "w.csv"
    )
    weights = respondent_weights(people, weighting)
    assert weights == {
        "r1": Decimal("0.666667"),
        "r2": Decimal("0.666667"),
        "r3": Decimal("0.666667"),
        "r4": Decimal(2),
    }
    result = perception_measures(people, weights=weighting)["TP01"]["LCRA"]
    assert result == Figure(Decimal("1.333334"), Decimal("4.000001"), 4, Decimal("33.3"))
    rows = weight_summary(people, weighting)
    assert [
        (r.category, r.respondents, r.sample_percent, r.weighted_percent, r.weight) for r in rows
    ] == [
        ("north", 3, Decimal("75.0"), Decimal("50.0"), Decimal("0.667")),
        ("south", 1, Decimal("25.0"), Decimal("50.0"), Decimal("2.000")),
    ]


def test_two_variables_are_raked_until_both_margins_match() -> None:
    # One respondent in each cell (North/South x young/old), 4 in all. Targets: area North 60,
    # South 40; age young 30, old 70. Pass 1, area: North weights 0.6 x 4 / 2 = 1.2, South
    # 0.8. Then age: young total 1.2 + 0.8 = 2, target 0.3 x 4 = 1.2, factor 0.6; old factor
    # 2.8 / 2 = 1.4. Weights: N-young 0.72, N-old 1.68, S-young 0.48, S-old 1.12. Pass 2
    # changes nothing (North = 0.72 + 1.68 = 2.4 = 60%), so raking stops.
    # TP01: only N-old (1.68) and S-young (0.48) are satisfied -> 2.16 / 4 = 54.0%.
    people = responses(
        ["tenure_type", "area", "age_band", "TP01"],
        [["LCRA", "North", "young", 1], ["LCRA", "North", "old", 5],
         ["LCRA", "South", "young", 4], ["LCRA", "South", "old", 2]],
    )  # fmt: skip
    weighting = read_weights(
        weights_file(
            [["area", "North", "60"], ["area", "South", "40"],
             ["age_band", "young", "30"], ["age_band", "old", "70"]]
        ),
        "w.csv",
    )  # fmt: skip
    weights = respondent_weights(people, weighting)
    assert weights == {
        "r1": Decimal("0.72"), "r2": Decimal("1.68"), "r3": Decimal("0.48"), "r4": Decimal("1.12")
    }  # fmt: skip
    result = perception_measures(people, weights=weighting)["TP01"]["LCRA"]
    assert result == Figure(Decimal("2.16"), Decimal(4), 4, Decimal("54.0"))


def test_targets_for_one_tenure_leave_the_other_unweighted() -> None:
    people = responses(
        ["tenure_type", "area", "TP01"],
        [
            ["LCRA", "North", 5],
            ["LCRA", "South", 1],
            ["LCRA", "South", 1],
            ["LCHO", "Elsewhere", 5],
        ],
    )
    weighting = read_weights(
        weights_file(
            [["area", "North", "50", "LCRA"], ["area", "South", "50", "LCRA"]], tenure=True
        ),
        "w.csv",
    )
    weights = respondent_weights(people, weighting)
    # North = 50% x 3 / 1 = 1.5; South = 50% x 3 / 2 = 0.75; LCHO has no targets: weight 1.
    assert weights == {
        "r1": Decimal("1.5"),
        "r2": Decimal("0.75"),
        "r3": Decimal("0.75"),
        "r4": Decimal(1),
    }


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["area", "North", "60"], ["area", "South", "30"]],
            "the population shares of area add up to 90, not 100",
        ),
        (
            [["area", "North", "lots"]],
            "line 2, column population_share: 'lots' is not a percentage",
        ),
        ([["area", "North", "-5"]], "'-5' is not a percentage from 0 to 100"),
        ([["tenure_type", "LCRA", "100"]], "tenure_type cannot be a weighting variable"),
        ([["shoe_size", "9", "100"]], "'shoe_size' cannot be weighted on"),
        ([["area", "North", "50"], ["area", "north", "50"]], "line 3: area 'north' is given twice"),
        ([["area", "", "100"]], "line 2, column category: the category is empty"),
        ([], "has column names but no rows"),
    ],
)
def test_bad_weights_files_are_refused(rows: list[list[str]], message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        read_weights(weights_file(rows), "w.csv")


def test_shares_within_half_a_point_of_100_are_accepted() -> None:
    weighting = read_weights(
        weights_file([["area", "North", "33.3"], ["area", "South", "66.3"]]), "w.csv"
    )
    assert weighting.targets == {"area": {"north": Decimal("33.3"), "south": Decimal("66.3")}}


def test_a_weights_file_with_an_unknown_column_is_refused() -> None:
    with pytest.raises(SurveyError, match="unknown column 'notes'"):
        read_weights(survey_csv(["variable", "category", "population_share", "notes"], []), "w.csv")


def _people() -> list:
    return responses(
        ["tenure_type", "area", "TP01"],
        [["LCRA", "North", 5], ["LCRA", "South", 1], ["LCRA", "", 1]],
    )


def test_a_survey_category_with_no_target_is_refused() -> None:
    weighting = read_weights(
        weights_file([["area", "North", "50"], ["area", "South", "50"]]), "w.csv"
    )
    with pytest.raises(
        SurveyError, match=r"Line 4, column area: '\(blank\)' has no population share"
    ):
        respondent_weights(_people(), weighting)


def test_a_target_category_with_no_respondents_is_refused() -> None:
    people = _people()[:2]
    weighting = read_weights(
        weights_file([["area", "North", "40"], ["area", "South", "40"], ["area", "East", "20"]]),
        "w.csv",
    )
    with pytest.raises(SurveyError, match="No LCRA respondent has area 'east'"):
        respondent_weights(people, weighting)


def test_a_variable_the_survey_does_not_have_is_refused() -> None:
    weighting = read_weights(
        weights_file([["sex", "Female", "60"], ["sex", "Male", "40"]]), "w.csv"
    )
    with pytest.raises(SurveyError, match="The survey has no sex column"):
        respondent_weights(_people(), weighting)


def test_raking_that_cannot_settle_is_refused() -> None:
    # Everyone in North is young and everyone in South is old, so area and age are the same
    # split in this sample; targets of 50/50 for area but 20/80 for age cannot both be met.
    people = responses(
        ["tenure_type", "area", "age_band", "TP01"],
        [["LCRA", "North", "young", 5], ["LCRA", "South", "old", 1]],
    )
    weighting = read_weights(
        weights_file(
            [
                ["area", "North", "50"],
                ["area", "South", "50"],
                ["age_band", "young", "20"],
                ["age_band", "old", "80"],
            ]
        ),
        "w.csv",
    )
    with pytest.raises(SurveyError, match="The LCRA weights do not settle after 200 rounds"):
        respondent_weights(people, weighting)
