"""Is the survey precise enough? The Tenant Survey Requirements' precision rules.

Pure Python. The required margin of error at the 95% confidence level depends on the number of
relevant homes, judged separately for low cost rental (LCRA) and low cost home ownership (LCHO)
stock, each against its own number of homes (Tenant Survey Requirements, table of required
precision; quoted in docs/tsm.md):

    fewer than 2,500 homes      +/- 5 percentage points
    2,500 to 9,999              +/- 4
    10,000 to 24,999            +/- 3
    25,000 or more              +/- 2
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # the two-sided 95% point of the normal distribution
_TABLE = ((25_000, Decimal(2)), (10_000, Decimal(3)), (2_500, Decimal(4)), (0, Decimal(5)))


def required_margin(homes: int) -> Decimal:
    """The largest margin of error (percentage points, 95% confidence) allowed for this stock."""
    if homes < 0:
        raise ValueError("the number of homes cannot be negative")
    return next(margin for floor, margin in _TABLE if homes >= floor)


def required_sample(homes: int) -> int:
    """Responses needed for the required margin at p = 0.5, with finite population correction."""
    if homes <= 0:
        return 0
    e = float(required_margin(homes)) / 100
    n0 = Z95**2 * 0.25 / e**2
    return min(homes, math.ceil(n0 / (1 + (n0 - 1) / homes)))


def achieved_margin(responses: int, homes: int) -> Decimal | None:
    """The margin of error achieved (percentage points, one decimal); None with no responses.

    p = 0.5 (the widest), with the finite population correction sqrt((N - n) / (N - 1)).
    """
    if responses <= 0 or homes <= 0:
        return None
    if responses > homes:
        raise ValueError(f"{responses} responses from {homes} homes: more responses than homes")
    fpc = math.sqrt((homes - responses) / (homes - 1)) if homes > 1 else 0.0
    margin = Z95 * math.sqrt(0.25 / responses) * fpc * 100
    return Decimal(repr(margin)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def verdict(tenure: str, responses: int, homes: int) -> str:
    """A plain-words sentence on whether the survey of this stock is precise enough."""
    if homes <= 0:
        return f"No {tenure} homes, so no {tenure} survey is needed."
    required = required_margin(homes)
    achieved = achieved_margin(responses, homes)
    need = required_sample(homes)
    if achieved is None:
        return (
            f"No {tenure} responses yet: {need:,} are needed from {homes:,} homes for a margin "
            f"of error of +/-{required} percentage points."
        )
    if achieved <= required:
        return (
            f"Precise enough: {responses:,} {tenure} responses from {homes:,} homes give a margin "
            f"of error of +/-{achieved} percentage points; the regulator asks for +/-{required} "
            "or better."
        )
    return (
        f"Not precise enough: {responses:,} {tenure} responses from {homes:,} homes give a margin "
        f"of error of +/-{achieved} percentage points, but the regulator asks for +/-{required} "
        f"or better. About {need - responses:,} more responses are needed ({need:,} in all)."
    )
