"""Ranked-ballot counting: Borda count and the Schulze method, with their tallies.

Pure functions. A ballot lists candidates best first; candidates a ballot leaves out are
treated as tied below every candidate it ranks.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True)
class Placed(Generic[C]):
    candidate: C
    place: int  # 1 = first; tied candidates share a place
    score: float


def _places(scores: dict[C, float], order: Sequence[C]) -> list[Placed[C]]:
    ranked = sorted(order, key=lambda c: (-scores[c], order.index(c)))
    result: list[Placed[C]] = []
    for index, candidate in enumerate(ranked):
        tied_with_previous = index > 0 and scores[candidate] == scores[ranked[index - 1]]
        place = result[-1].place if tied_with_previous else index + 1
        result.append(Placed(candidate, place, scores[candidate]))
    return result


def borda(ballots: Sequence[Sequence[C]], candidates: Sequence[C]) -> list[Placed[C]]:
    """Borda count: with n candidates, first place earns n-1 points, last earns 0.
    Unranked candidates share the points left over equally."""
    n = len(candidates)
    scores: dict[C, float] = {c: 0.0 for c in candidates}
    for ballot in ballots:
        ranked = [c for c in dict.fromkeys(ballot) if c in scores]
        for position, candidate in enumerate(ranked):
            scores[candidate] += n - 1 - position
        missing = [c for c in candidates if c not in ranked]
        if missing:
            leftover = sum(range(len(missing)))  # points for places len(ranked).. n-1
            for candidate in missing:
                scores[candidate] += leftover / len(missing)
    return _places(scores, list(candidates))


def pairwise(ballots: Sequence[Sequence[C]], candidates: Sequence[C]) -> dict[C, dict[C, int]]:
    """d[a][b]: how many voters rank a above b."""
    d: dict[C, dict[C, int]] = {a: {b: 0 for b in candidates if b != a} for a in candidates}
    for ballot in ballots:
        rank = {c: i for i, c in enumerate(dict.fromkeys(ballot)) if c in d}
        bottom = len(rank)
        for a in candidates:
            for b in candidates:
                if a != b and rank.get(a, bottom) < rank.get(b, bottom):
                    d[a][b] += 1
    return d


def schulze(
    ballots: Sequence[Sequence[C]], candidates: Sequence[C]
) -> tuple[list[Placed[C]], dict[C, dict[C, int]], dict[C, dict[C, int]]]:
    """The Schulze method. Returns the order (score = number of candidates beaten), the
    pairwise preferences and the strongest-path strengths, so the tally can be shown."""
    d = pairwise(ballots, candidates)
    p: dict[C, dict[C, int]] = {
        a: {b: (d[a][b] if d[a][b] > d[b][a] else 0) for b in candidates if b != a}
        for a in candidates
    }
    for i in candidates:
        for j in candidates:
            if i == j:
                continue
            for k in candidates:
                if k in (i, j):
                    continue
                p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    wins = {
        a: float(sum(1 for b in candidates if b != a and p[a][b] > p[b][a])) for a in candidates
    }
    return _places(wins, list(candidates)), d, p
