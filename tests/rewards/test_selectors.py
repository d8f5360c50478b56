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
