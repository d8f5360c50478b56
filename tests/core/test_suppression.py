"""Suppression: no hidden cell can ever be recovered from what is shown."""

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.suppression import share, suppress, suppress_counts

counts_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=2),
    st.integers(0, 60),
    min_size=1,
    max_size=8,
)


def test_small_counts_are_hidden():
    assert suppress_counts({"a": 50, "b": 12, "c": 30, "d": 3}, threshold=10) == {
        "a": 50,
        "b": None,
        "c": 30,
        "d": None,
    }


def test_no_suppression_needed():
    result = suppress({"a": 50, "b": 12}, threshold=10)
    assert result.cells == {"a": 50, "b": 12}
    assert result.total == 62


def test_a_hidden_cell_beside_zeros_hides_the_total():
    result = suppress({"a": 5, "b": 0}, threshold=10)
    assert result.cells == {"a": None, "b": 0}
    assert result.total is None


def test_a_small_total_is_hidden():
    assert suppress({"a": 3, "b": 4}, threshold=10).total is None


def test_shares_come_only_from_shown_counts():
    result = suppress({"a": 50, "b": 3, "c": 20}, threshold=10)
    assert result.share("a") == 50 / 73
    assert result.share("b") is None
    assert share(None, 10) is None and share(5, None) is None and share(0, 0) is None


def _recoverable(shown):
    """Hidden cells a viewer could pin down exactly from the shown cells and the total.

    The viewer knows the rules: a hidden cell is at least 1 (zeros are shown), and the
    hidden cells add up to the total minus the shown cells. Cell i then lies in
    [1, hidden_sum - (hidden - 1)], a single value only when hidden_sum == hidden.
    """
    hidden = [k for k, v in shown.cells.items() if v is None]
    if shown.total is None or not hidden:
        return []
    hidden_sum = shown.total - sum(v for v in shown.cells.values() if v is not None)
    return hidden if hidden_sum - (len(hidden) - 1) == 1 else []


@given(counts_strategy, st.integers(2, 15))
def test_no_hidden_cell_can_be_recovered(counts, threshold):
    shown = suppress(counts, threshold=threshold)
    assert _recoverable(shown) == []
    for key, value in shown.cells.items():
        if value is not None:
            assert value == counts[key]
            assert value == 0 or value >= threshold
        else:
            assert counts[key] > 0  # zeros are never hidden, so hiding implies someone


@given(counts_strategy, st.integers(2, 15))
def test_every_small_non_zero_count_is_hidden(counts, threshold):
    shown = suppress(counts, threshold=threshold)
    for key, value in counts.items():
        if 0 < value < threshold:
            assert shown.cells[key] is None
    total = sum(counts.values())
    if 0 < total < threshold:
        assert shown.total is None


@given(counts_strategy, st.integers(2, 15))
def test_hidden_cells_together_are_never_a_small_number(counts, threshold):
    shown = suppress(counts, threshold=threshold)
    hidden = [counts[k] for k, v in shown.cells.items() if v is None]
    if shown.total is not None and hidden:
        assert len(hidden) >= 2 and sum(hidden) >= threshold


def test_two_ones_beside_a_big_cell_are_protected():
    shown = suppress({"a": 1, "b": 1, "c": 50, "d": 40}, threshold=10)
    assert shown.cells["a"] is None and shown.cells["b"] is None
    assert shown.cells["d"] is None  # so a + b cannot be read off the total
    assert shown.total == 92
