"""Money helpers. Money is Decimal end to end: never float (docs/contracts.md, data rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantize to pennies. Refuses floats, so a float can never sneak into a sum."""
    if isinstance(value, float):
        raise TypeError("Money must never be a float; pass a string or Decimal.")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    try:
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # too many digits to hold in pennies
        raise ValueError(f"Not an amount of money: {value!r}") from exc


def money_sum(amounts: Iterable[Decimal]) -> Decimal:
    return to_money(sum(amounts, ZERO))


def pounds(amount: Decimal) -> str:
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def hourly(minutes: int, rate: Decimal) -> Decimal:
    return to_money(Decimal(minutes) * rate / Decimal(60))


def tax_year_start(day: dt.date) -> dt.date:
    """UK tax years start on 6 April."""
    start = dt.date(day.year, 4, 6)
    return start if day >= start else dt.date(day.year - 1, 4, 6)


def tax_year_label(day: dt.date) -> str:
    start = tax_year_start(day)
    return f"{start.year} to {start.year + 1}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
