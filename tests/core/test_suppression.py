from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.suppression import suppress_counts


def test_small_counts_are_hidden():
    assert suppress_counts({"a": 50, "b": 12, "c": 30, "d": 3}, threshold=10) == {
        "a": 50,
        "b": None,
        "c": 30,
        "d": None,
    }


def test_no_suppression_needed():
    assert suppress_counts({"a": 50, "b": 12}, threshold=10) == {"a": 50, "b": 12}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), min_size=2))
def test_a_single_hidden_cell_never_stands_alone(counts):
    shown = suppress_counts(counts, threshold=10)
    hidden = [k for k, v in shown.items() if v is None]
    # One hidden cell beside shown non-zero cells could be recovered from the total.
    if len(hidden) == 1:
        assert all(v == 0 for k, v in shown.items() if k not in hidden)
    for key, value in shown.items():
        if value is not None:
            assert value == counts[key]
            assert value == 0 or value >= 10
