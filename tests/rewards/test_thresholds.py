from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coproduce.rewards import selectors, services
from coproduce.rewards.models import Category, RewardLine
from coproduce.rewards.money import tax_year_label, tax_year_start
from tests.rewards.conftest import attend, choose, make_session, review_all


def test_tax_years_start_on_6_april():
    assert tax_year_start(dt.date(2025, 4, 5)) == dt.date(2024, 4, 6)
    assert tax_year_start(dt.date(2025, 4, 6)) == dt.date(2025, 4, 6)
    assert tax_year_label(dt.date(2026, 1, 1)) == "2025 to 2026"


def test_accrual_warns_on_the_line_that_would_cross_the_tax_year_allowance(
    offer, project, users, settings
):
    settings.REWARDS_TAX_YEAR_ALLOWANCE = "100.00"
    settings.REWARDS_MONTHLY_AMOUNT = "1000.00"
    alice = users["alice"].person
    choose(alice)
    for week in range(4):  # £37.50 each: 37.50, 75, 112.50 (crosses), 150
        attend(make_session(project, dt.date(2025, 5, 1) + dt.timedelta(weeks=week)), alice)
    services.rewards_accrue()
    lines = list(RewardLine.objects.order_by("on"))
    assert [bool(x.warning) for x in lines] == [False, False, True, False]
    assert "£112.50" in lines[2].warning and "2025 to 2026 tax year" in lines[2].warning
    assert "welfare-rights" in lines[2].warning


def test_expenses_never_count_towards_thresholds(offer, project, users, settings):
    settings.REWARDS_TAX_YEAR_ALLOWANCE = "5.00"
    alice = users["alice"].person
    services.expense_claim_create(
        person=alice,
        project=project,
        data={
            "kind": "travel",
            "incurred_on": dt.date(2025, 5, 1),
            "amount": Decimal("50.00"),
            "description": "Taxi",
            "paper_receipt_seen": True,
        },
        receipt=None,
        actor=users["carol"],
    )
    assert selectors.person_standing(alice, dt.date(2025, 5, 2))[0]["total"] == Decimal("0.00")
    ids = review_all(users)
    assert (
        services.batch_approve(line_ids=ids, category=Category.EXPENSE, approver=users["frank"])
        is not None
    )


def test_approval_that_would_cross_a_threshold_needs_confirming(offer, session, users, settings):
    settings.REWARDS_MONTHLY_AMOUNT = "20.00"
    choose(users["alice"].person)
    choose(users["bob"].person)
    services.rewards_accrue()
    ids = review_all(users)
    lines = list(RewardLine.objects.filter(pk__in=ids).select_related("person"))
    warnings = selectors.warnings_for_lines(lines, kind="approved")
    alice_line = RewardLine.objects.get(person=users["alice"].person)
    assert list(warnings) == [alice_line.pk]  # £37.50 crosses £20; bob's £15 does not
    assert "March 2025" in warnings[alice_line.pk][0]
    with pytest.raises(ValidationError):
        services.batch_approve(line_ids=ids, category=Category.FEE, approver=users["frank"])
    assert (
        services.batch_approve(
            line_ids=ids, category=Category.FEE, approver=users["frank"], confirm_warnings=True
        )
        is not None
    )


def test_the_person_sees_where_they_stand(offer, session, users, settings):
    settings.REWARDS_MONTHLY_AMOUNT = "40.00"
    choose(users["alice"].person)
    services.rewards_accrue()
    standing = selectors.person_standing(users["alice"].person, dt.date(2025, 3, 20))
    month = standing[1]
    assert month["total"] == Decimal("37.50") and month["near"] and not month["over"]
