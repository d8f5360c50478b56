"""Each perception measure worked out by hand from the rule it implements (docs/tsm.md).

Rule (Technical Requirements, tenant perception measures): the measure is the proportion of
respondents giving a valid answer who are very or fairly satisfied (TP08: strongly agree or
agree); "don't know", "not applicable" and unanswered questions are not in the base; LCRA and
LCHO are reported separately; TP02-TP04 are LCRA only. Rounded to one decimal place, half up.
Scale in files: 5 = very satisfied / strongly agree ... 1 = very dissatisfied / disagree.
"""

from __future__ import annotations

from decimal import Decimal

from coproduce.tsm.calc import Figure, percent_of, perception_measures

from .support import responses


def figure(numerator: int, base: int, percent: str | None) -> Figure:
    return Figure(
        Decimal(numerator), Decimal(base), base, None if percent is None else Decimal(percent)
    )


def test_tp01_overall_counts_very_and_fairly_satisfied_and_leaves_out_dont_know() -> None:
    # LCRA: 5, 4, 3, 2, 1, "Don't know", blank -> valid 5 (dont know and blank out), positive 2
    # (5 very, 4 fairly) -> 2/5 = 40.0%. LCHO: "Very satisfied", "Neither" -> 1/2 = 50.0%.
    people = responses(
        ["tenure_type", "TP01"],
        [
            ["LCRA", 5], ["LCRA", 4], ["LCRA", 3], ["LCRA", 2], ["LCRA", 1],
            ["LCRA", "Don't know"], ["LCRA", ""],
            ["LCHO", "Very satisfied"], ["LCHO", "Neither satisfied nor dissatisfied"],
        ],
    )  # fmt: skip
    result = perception_measures(people)["TP01"]
    assert result["LCRA"] == figure(2, 5, "40.0")
    assert result["LCHO"] == figure(1, 2, "50.0")


def test_tp02_repairs_only_counts_respondents_who_had_a_repair_and_is_lcra_only() -> None:
    # repair_12m screens the base: r1 yes/5 (in, satisfied), r2 yes/2 (in), r3 no/5 (out: no
    # repair), r4 dont_know/4 (out), r5 blank/4 (no screening answer: the answer stands, in,
    # satisfied) -> 2/3 = 66.7% (66.666... rounds up). LCHO r6 is not asked: TP02 is LCRA only.
    people = responses(
        ["tenure_type", "repair_12m", "TP02"],
        [["LCRA", "yes", 5], ["LCRA", "yes", 2], ["LCRA", "no", 5], ["LCRA", "Don't know", 4],
         ["LCRA", "", 4], ["LCHO", "yes", 5]],
    )  # fmt: skip
    result = perception_measures(people)["TP02"]
    assert result["LCRA"] == figure(2, 3, "66.7")
    assert result["LCHO"] is None


def test_tp03_time_taken_uses_the_same_repair_screen() -> None:
    # r1 yes/3 (in, not satisfied), r2 yes/4 (in, satisfied), r3 no/5 (out) -> 1/2 = 50.0%.
    people = responses(
        ["tenure_type", "repair_12m", "TP03"],
        [["LCRA", "Yes", 3], ["LCRA", "y", 4], ["LCRA", "No", 5]],
    )
    result = perception_measures(people)["TP03"]
    assert result["LCRA"] == figure(1, 2, "50.0")
    assert result["LCHO"] is None


def test_tp04_well_maintained_is_lcra_only() -> None:
    # LCRA: 4, 4, 1 -> 2/3 = 66.7%. The LCHO answer (5) is not counted anywhere.
    people = responses(
        ["tenure_type", "TP04"], [["LCRA", 4], ["LCRA", 4], ["LCRA", 1], ["LCHO", 5]]
    )
    result = perception_measures(people)["TP04"]
    assert result["LCRA"] == figure(2, 3, "66.7")
    assert result["LCHO"] is None


def test_tp05_home_is_safe_applies_to_both_and_reads_yes_no_exports() -> None:
    # LCRA: 5, "n/a" (out), 2 -> 1/2 = 50.0%. LCHO exported as yes/no: yes, yes, no -> 2/3.
    people = responses(
        ["tenure_type", "TP05"],
        [
            ["LCRA", 5],
            ["LCRA", "n/a"],
            ["LCRA", 2],
            ["LCHO", "yes"],
            ["LCHO", "Yes"],
            ["LCHO", "no"],
        ],
    )
    result = perception_measures(people)["TP05"]
    assert result["LCRA"] == figure(1, 2, "50.0")
    assert result["LCHO"] == figure(2, 3, "66.7")


def test_tp06_listens_and_acts_rounds_half_up() -> None:
    # 1 satisfied out of 16 valid: 1/16 = 6.25% -> 6.3 (half up; banker's rounding gives 6.2).
    people = responses(["tenure_type", "TP06"], [["LCRA", 5]] + [["LCRA", 3]] * 15)
    assert perception_measures(people)["TP06"]["LCRA"] == figure(1, 16, "6.3")
    assert percent_of(Decimal(13), Decimal(16)) == Decimal("81.3")  # 81.25 -> 81.3


def test_tp07_keeps_tenants_informed_with_a_zero_base_is_none_not_an_error() -> None:
    # LCRA: 4, 5, 3, 3 -> 2/4 = 50.0%. LCHO: only "don't know" -> base 0, percent None.
    people = responses(
        ["tenure_type", "TP07"],
        [["LCRA", 4], ["LCRA", 5], ["LCRA", 3], ["LCRA", 3], ["LCHO", "dont know"]],
    )
    result = perception_measures(people)["TP07"]
    assert result["LCRA"] == figure(2, 4, "50.0")
    assert result["LCHO"] == Figure(Decimal(0), Decimal(0), 0, None)


def test_tp08_fairly_and_with_respect_counts_strongly_agree_and_agree() -> None:
    # "Strongly agree", "Agree", 4 (agree), "Neither agree nor disagree", "Disagree", 1
    # (strongly disagree), "not applicable" (out) -> 3/6 = 50.0%.
    people = responses(
        ["tenure_type", "TP08"],
        [["LCRA", "Strongly agree"], ["LCRA", "Agree"], ["LCRA", 4],
         ["LCRA", "Neither agree nor disagree"], ["LCRA", "Disagree"], ["LCRA", 1],
         ["LCRA", "not applicable"]],
    )  # fmt: skip
    assert perception_measures(people)["TP08"]["LCRA"] == figure(3, 6, "50.0")


def test_tp09_complaints_only_counts_respondents_who_complained() -> None:
    # complaint_12m: yes/4 (in, satisfied), yes/1 (in), yes/2 (in), no/5 (out) -> 1/3 = 33.3%.
    # LCHO: yes/5 -> 1/1 = 100.0%.
    people = responses(
        ["tenure_type", "complaint_12m", "TP09"],
        [["LCRA", "yes", 4], ["LCRA", "yes", 1], ["LCRA", "yes", 2], ["LCRA", "no", 5],
         ["LCHO", "yes", 5]],
    )  # fmt: skip
    result = perception_measures(people)["TP09"]
    assert result["LCRA"] == figure(1, 3, "33.3")
    assert result["LCHO"] == figure(1, 1, "100.0")


def test_tp10_communal_areas_only_counts_respondents_with_communal_areas() -> None:
    # communal_areas (also read from a column called TP10_filter): yes/5, yes/5, yes/3, no/5
    # (out), dont know/1 (out) -> 2/3 = 66.7%.
    people = responses(
        ["tenure_type", "TP10_filter", "TP10"],
        [["LCRA", "yes", 5], ["LCRA", "yes", 5], ["LCRA", "yes", 3], ["LCRA", "no", 5],
         ["LCRA", "don't know", 1]],
    )  # fmt: skip
    assert perception_measures(people)["TP10"]["LCRA"] == figure(2, 3, "66.7")


def test_tp11_neighbourhood_contribution() -> None:
    # LCRA: "Fairly satisfied", "Fairly dissatisfied", "Very dissatisfied" -> 1/3 = 33.3%.
    people = responses(
        ["tenure_type", "TP11"],
        [
            ["LCRA", "Fairly satisfied"],
            ["LCRA", "Fairly dissatisfied"],
            ["lcra", "Very dissatisfied"],
        ],
    )
    assert perception_measures(people)["TP11"]["LCRA"] == figure(1, 3, "33.3")


def test_tp12_anti_social_behaviour_split_by_tenure() -> None:
    # LCRA: 5, 4, 4, 2 -> 3/4 = 75.0%. LCHO: 3, 4, 5 (4.0 from a spreadsheet is 4) -> 2/3.
    people = responses(
        ["tenure_type", "TP12"],
        [
            ["LCRA", 5],
            ["LCRA", 4],
            ["LCRA", 4],
            ["LCRA", 2],
            ["LCHO", 3],
            ["LCHO", "4.0"],
            ["LCHO", 5],
        ],
    )
    result = perception_measures(people)["TP12"]
    assert result["LCRA"] == figure(3, 4, "75.0")
    assert result["LCHO"] == figure(2, 3, "66.7")


def test_weights_from_the_file_are_used_when_no_weighting_is_given() -> None:
    # TP01: r1 5 (weight 1.5), r2 1 (weight 0.5) -> 1.5 / 2.0 = 75.0%, 2 respondents.
    people = responses(["tenure_type", "weight", "TP01"], [["LCRA", "1.5", 5], ["LCRA", "0.5", 1]])
    assert perception_measures(people)["TP01"]["LCRA"] == Figure(
        Decimal("1.5"), Decimal("2.0"), 2, Decimal("75.0")
    )
