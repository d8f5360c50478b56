"""Small-number suppression for every figure shown to anyone but the data-protection lead.

Rules, applied to one table of counts (the categories of one characteristic):
1. Primary: a count from 1 to threshold-1 is hidden (0 is shown: it names nobody).
2. Secondary: while the hidden cells could be worked out from the total (one hidden cell,
   hidden cells that add up to less than the threshold, or hidden cells that can only all
   be 1), the next smallest shown non-zero cell is hidden too.
3. Total: the total is hidden when it is itself small, or when no further cell can be
   hidden to protect the others (hidden cells beside only zeros).
4. Percentages are only ever computed from shown counts (`share`), so a hidden count
   never leaks through a percentage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Suppressed:
    cells: dict[str, int | None]
    total: int | None

    def share(self, key: str) -> float | None:
        return share(self.cells.get(key), self.total)


def _threshold(threshold: int | None) -> int:
    return int(settings.SUPPRESSION_THRESHOLD if threshold is None else threshold)


def suppress(counts: Mapping[str, int], threshold: int | None = None) -> Suppressed:
    limit = _threshold(threshold)
    cells: dict[str, int | None] = {
        key: (value if value == 0 or value >= limit else None) for key, value in counts.items()
    }
    total_value = sum(counts.values())
    total: int | None = total_value

    def exposed() -> bool:
        hidden = [counts[key] for key, value in cells.items() if value is None]
        if not hidden:
            return False
        hidden_sum = sum(hidden)
        return len(hidden) == 1 or hidden_sum < limit or hidden_sum == len(hidden)

    while exposed():
        candidates = sorted(
            (value, key) for key, value in cells.items() if value is not None and value > 0
        )
        if not candidates:
            total = None
            break
        cells[candidates[0][1]] = None
    if 0 < total_value < limit:
        total = None
    return Suppressed(cells=cells, total=total)


def suppress_counts(
    counts: Mapping[str, int], threshold: int | None = None
) -> dict[str, int | None]:
    """Return the counts with small (and secondary) cells replaced by None."""
    return suppress(counts, threshold).cells


def share(part: int | None, whole: int | None) -> float | None:
    """A share (0–1) only when both numbers are shown."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole
