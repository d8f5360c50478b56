"""Ranking methods against worked examples from the literature."""

from coproduce.promises.ranking import borda, pairwise, schulze


def _expand(groups):
    return [list(order) for count, order in groups for _ in range(count)]


TENNESSEE = _expand([(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")])


def test_borda_tennessee_capital_example():
    # Wikipedia, "Borda count": Nashville 194, Chattanooga 173, Memphis 126, Knoxville 107.
    result = borda(TENNESSEE, list("MNCK"))
    assert [(r.candidate, r.score) for r in result] == [
        ("N", 194),
        ("C", 173),
        ("M", 126),
        ("K", 107),
    ]
    assert [r.place for r in result] == [1, 2, 3, 4]


def test_schulze_tennessee_picks_nashville_the_condorcet_winner():
    order, d, _ = schulze(TENNESSEE, list("MNCK"))
    assert order[0].candidate == "N"
    assert d["N"]["M"] == 58 and d["M"]["N"] == 42


WIKIPEDIA_SCHULZE = _expand(
    [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
)


def test_schulze_wikipedia_example():
    # Wikipedia, "Schulze method": 45 voters; result E > A > C > B > D.
    order, d, p = schulze(WIKIPEDIA_SCHULZE, list("ABCDE"))
    assert [r.candidate for r in order] == list("EACBD")
    assert d["A"]["B"] == 20 and d["B"]["A"] == 25
    assert p["E"]["D"] == 31 and p["A"]["C"] == 28 and p["C"]["B"] == 29


def test_schulze_shows_a_tie_as_a_shared_place():
    order, _, _ = schulze([["A", "B"], ["A", "B"], ["B", "A"], ["B", "A"]], ["A", "B"])
    assert [r.place for r in order] == [1, 1]


def test_borda_tie_shares_a_place():
    result = borda([["A", "B", "C"], ["B", "A", "C"]], ["A", "B", "C"])
    assert [(r.candidate, r.place) for r in result] == [("A", 1), ("B", 1), ("C", 3)]


def test_unranked_candidates_share_the_bottom():
    result = borda([["A"]], ["A", "B", "C"])
    scores = {r.candidate: r.score for r in result}
    assert scores == {"A": 2, "B": 0.5, "C": 0.5}
    assert pairwise([["A"]], ["A", "B", "C"])["B"]["C"] == 0
