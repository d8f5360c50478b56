from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coproduce.rewards import services
from coproduce.rewards.models import Category, RewardForm, RewardLine
from coproduce.rewards.selectors import rewards_paid_total
from tests.rewards.conftest import choose, review_all


def _approved(users):
    choose(users["alice"].person)
    choose(users["bob"].person, RewardForm.VOUCHER, voucher_kind="Supermarket")
    services.rewards_accrue()
    ids = review_all(users)
    return services.batch_approve(line_ids=ids, category=Category.FEE, approver=users["frank"])


def _around(day: dt.date) -> dict[str, dt.date]:
    return {"start": day - dt.timedelta(days=1), "end": day + dt.timedelta(days=1)}


def test_rewards_paid_total_counts_only_money_paid_out(offer, session, users):
    batch = _approved(users)
    period = _around(RewardLine.objects.first().on)
    assert rewards_paid_total(**period) == Decimal("0.00")  # approved is not paid
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    assert rewards_paid_total(**period) == Decimal("52.50")


def test_rewards_paid_total_is_net_of_a_reversed_payment(offer, session, users):
    batch = _approved(users)
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    line = RewardLine.objects.get(person=users["alice"].person)
    services.line_reverse(line=line, actor=users["carol"], reason="Wrong person")
    assert rewards_paid_total(**_around(line.on)) == Decimal("15.00")


def test_rewards_paid_total_counts_only_work_dated_in_the_period(offer, session, users):
    batch = _approved(users)
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    day = RewardLine.objects.first().on
    assert (
        rewards_paid_total(start=day + dt.timedelta(days=1), end=day + dt.timedelta(days=30)) == 0
    )
    assert rewards_paid_total(start=day, end=day) == Decimal("52.50")


def test_the_homes_year_total_is_the_year_summarys_income_plus_other_rewards(project, users):
    """`year_rewards_total` (summed by the database for the tenant's home) gives what
    `year_summary` adds up line by line, for every mix of category, income and status, and only
    inside the tax year."""
    from itertools import product

    from coproduce.rewards.models import LineStatus
    from coproduce.rewards.money import tax_year_start
    from coproduce.rewards.selectors import year_rewards_total, year_summary

    alice = users["alice"].person
    start = tax_year_start(dt.date(2026, 6, 1))
    days = (start - dt.timedelta(days=1), start, dt.date(start.year + 1, 4, 5))
    combos = product(Category.values, (True, False), LineStatus.values, days)
    for n, (category, income, status, on) in enumerate(combos):
        RewardLine.objects.create(
            person=alice,
            project=project,
            source_key=f"test:{n}",
            category=category,
            on=on,
            description="Line",
            form=RewardForm.BANK_TRANSFER,
            amount=Decimal(n + 1) / 4,
            is_income=income,
            status=status,
        )
    summary = year_summary(alice, start)
    assert year_rewards_total(alice, start) == summary["income"] + summary["other"]
    assert summary["income"] + summary["other"] > 0
    assert year_rewards_total(users["bob"].person, start) == Decimal("0.00")
