"""Small-number suppression for published and dashboard figures.

Counts under the threshold are hidden. Secondary suppression then hides the next
smallest cell whenever exactly one cell in a group is hidden, so a hidden count
cannot be worked out by subtracting the others from the total.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings


def suppress_counts(
    counts: Mapping[str, int], threshold: int | None = None
) -> dict[str, int | None]:
    """Return the counts with small (and secondary) cells replaced by None."""
    limit = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    shown: dict[str, int | None] = {
        key: (value if value == 0 or value >= limit else None) for key, value in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        candidates = sorted(
            (value, key) for key, value in shown.items() if value is not None and value > 0
        )
        if candidates:
            shown[candidates[0][1]] = None
    return shown
