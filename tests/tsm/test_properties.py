"""Shuffling respondents, or splitting a survey into two files and merging them, never changes
any measure (weighted or not)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.tsm.calc import perception_measures, read_weights
from coproduce.tsm.survey import QUESTIONS, SCREENING, read_tsm_survey

from .support import survey_csv

HEADER = ["id", "tenure_type", "area", "weight", *QUESTIONS, *SCREENING]
ANSWER = st.sampled_from(["", "1", "2", "3", "4", "5", "Don't know"])
SCREEN = st.sampled_from(["", "yes", "no", "dont know"])
WEIGHTS = read_weights(
    survey_csv(
        ["variable", "category", "population_share"],
        [["area", "North", "33.3"], ["area", "South", "66.7"]],
    ),
    "w.csv",
)


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    count = draw(st.integers(min_value=4, max_value=40))
    result = []
    for number in range(count):
        result.append(
            [
                f"r{number:03d}",
                ["LCRA", "LCHO"][number % 2],  # both groups always have North and South
                ["North", "South"][(number // 2) % 2]
                if number < 4
                else draw(st.sampled_from(["North", "South"])),
                draw(st.sampled_from(["0.5", "1", "1.25", "2", "3.333"])),
                *[draw(ANSWER) for _ in QUESTIONS],
                *[draw(SCREEN) for _ in SCREENING],
            ]
        )
    return result


def _measures(parts: list[list[list[str]]], weighted: bool) -> dict:
    responses = []
    for number, part in enumerate(parts):
        responses += read_tsm_survey(survey_csv(HEADER, part), f"part{number}.csv").responses
    return perception_measures(responses, weights=WEIGHTS if weighted else None)


@settings(max_examples=200, deadline=None)
@given(rows(), st.randoms(use_true_random=False), st.integers(min_value=1), st.booleans())
def test_order_and_splitting_never_change_a_measure(
    survey: list[list[str]], rng: object, cut: int, weighted: bool
) -> None:
    whole = _measures([survey], weighted)
    shuffled = list(survey)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    at = 1 + cut % (len(shuffled) - 1)  # both parts have respondents
    assert _measures([shuffled], weighted) == whole
    assert _measures([shuffled[:at], shuffled[at:]], weighted) == whole
