"""The Tenant Survey Requirements' precision table and the margin of error arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coproduce.tsm.precision import achieved_margin, required_margin, required_sample, verdict


@pytest.mark.parametrize(
    ("homes", "margin"),
    [
        (1, 5),
        (999, 5),
        (2_499, 5),
        (2_500, 4),
        (9_999, 4),
        (10_000, 3),
        (24_999, 3),
        (25_000, 2),
        (90_000, 2),
    ],
)
def test_required_margin_follows_the_table(homes: int, margin: int) -> None:
    assert required_margin(homes) == Decimal(margin)


def test_required_sample_at_95_percent_with_the_finite_population_correction() -> None:
    # n0 = 1.96^2 x 0.25 / 0.05^2 = 384.1; for 1,000 homes n = 384.1 / (1 + 383.1 / 1000) = 277.7
    # -> 278. For 10,000 homes (+/-3): n0 = 1067.1; n = 1067.1 / (1 + 1066.1 / 10000) = 964.3
    # -> 965.
    assert required_sample(1_000) == 278
    assert required_sample(10_000) == 965
    assert required_sample(50) == 45  # 384.1 / (1 + 383.1 / 50) = 44.3 -> 45
    assert required_sample(0) == 0


def test_achieved_margin() -> None:
    # 278 responses from 1,000 homes: 1.96 x sqrt(0.25 / 278) x sqrt(722 / 999) x 100 = 5.0.
    assert achieved_margin(278, 1_000) == Decimal("5.0")
    # 1,128 from 19,000: 1.96 x sqrt(0.25/1128) x sqrt(17872/18999) x 100 = 2.8.
    assert achieved_margin(1_128, 19_000) == Decimal("2.8")
    assert achieved_margin(1_000, 1_000) == Decimal("0.0")  # everyone answered
    assert achieved_margin(0, 1_000) is None
    with pytest.raises(ValueError, match="more responses than homes"):
        achieved_margin(11, 10)


def test_verdicts_are_plain_words() -> None:
    assert verdict("LCRA", 1_128, 19_000).startswith(
        "Precise enough: 1,128 LCRA responses from 19,000 homes give a margin of error of +/-2.8"
    )
    low = verdict("LCHO", 100, 2_436)
    assert low.startswith("Not precise enough: 100 LCHO responses from 2,436 homes")
    assert "asks for +/-5 or better. About 232 more responses are needed (332 in all)." in low
    assert verdict("LCHO", 0, 0) == "No LCHO homes, so no LCHO survey is needed."
