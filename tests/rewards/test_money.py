"""Money never goes through float."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from coproduce.rewards import exports, selectors, services
from coproduce.rewards.models import Category, RewardForm
from coproduce.rewards.money import hourly, money_sum, pounds, to_money
from tests.rewards.conftest import choose

pennies = st.integers(min_value=1, max_value=10_000_000).map(lambda p: Decimal(p) / 100)


def test_to_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        to_money("ten pounds")
    with pytest.raises(ValueError):
        to_money("NaN")
    assert to_money("7.505") == Decimal("7.51")
    assert pounds(Decimal("1234.5")) == "£1,234.50"


@given(st.lists(pennies, max_size=200))
def test_sums_of_decimal_amounts_are_exact(amounts):
    total = money_sum(amounts)
    assert total == sum(amounts, Decimal(0))
    assert total * 100 == sum(int(a * 100) for a in amounts)


@given(st.integers(min_value=0, max_value=100_000), pennies)
def test_hourly_rates_round_half_up_to_the_penny(minutes, rate):
    exact = Decimal(minutes) * rate / 60
    assert abs(hourly(minutes, rate) - exact) <= Decimal("0.005")
    assert hourly(minutes, rate) == hourly(minutes, rate).quantize(Decimal("0.01"))


@pytest.mark.django_db
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=st.lists(pennies, min_size=1, max_size=12))
def test_export_cells_and_totals_equal_the_ledger(amounts, offer, project, users):
    # Examples share one test transaction; each makes its own batch, so totals stay apart.
    alice = users["alice"].person
    ids = []
    for amount in amounts:
        claim = services.expense_claim_create(
            person=alice,
            project=project,
            data={
                "kind": "travel",
                "incurred_on": dt.date(2025, 5, 1),
                "amount": amount,
                "description": "Bus",
                "paper_receipt_seen": True,
            },
            receipt=None,
            actor=users["carol"],
        )
        ids.append(claim.lines.get().pk)
    services.lines_review(line_ids=ids, actor=users["carol"])
    batch = services.batch_approve(line_ids=ids, category=Category.EXPENSE, approver=users["frank"])
    assert batch is not None
    ledger_total = selectors.batch_bank_total(batch)
    assert ledger_total == sum(amounts, Decimal(0))

    sheet = load_workbook(io.BytesIO(exports.bank_xlsx(batch))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    body, total_row = rows[:-1], rows[-1]
    assert sorted(Decimal(str(r[5])) for r in body) == sorted(amounts)
    assert total_row[0] == "Total" and Decimal(str(total_row[5])) == ledger_total
    assert sheet.cell(row=2, column=6).number_format == "0.00"
    assert isinstance(sheet.cell(row=2, column=6).value, int | float)  # a number, not text

    reader = list(csv.reader(io.StringIO(exports.bank_csv(batch))))
    assert sum(Decimal(r[5]) for r in reader[1:-1]) == Decimal(reader[-1][5]) == ledger_total


def test_voucher_orders_list_each_voucher(offer, session, users):
    choose(users["alice"].person, RewardForm.VOUCHER, voucher_kind="Bus pass")
    choose(users["bob"].person)
    services.rewards_accrue()
    from tests.rewards.conftest import review_all

    ids = review_all(users)
    batch = services.batch_approve(line_ids=ids, category=Category.FEE, approver=users["frank"])
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    rows = list(csv.reader(io.StringIO(exports.voucher_csv(batch))))
    assert rows[0][:4] == ["Person", "Reference", "Voucher", "Value (GBP)"]
    assert rows[1][:4] == ["Alice Example", "T-ALICE", "Bus pass", "37.50"]
    assert rows[1][4].startswith("RW-")
    bank = list(csv.reader(io.StringIO(exports.bank_csv(batch))))
    assert [r[0] for r in bank[1:]] == ["Bob Example", "Total"]
    assert bank[-1][5] == "15.00"


def test_names_cannot_inject_spreadsheet_formulas(offer, session, users):
    bob = users["bob"].person
    bob.first_name = "=HYPERLINK(1)"
    bob.save()
    choose(bob)
    services.rewards_accrue()
    from tests.rewards.conftest import review_all

    batch = services.batch_approve(
        line_ids=review_all(users), category=Category.FEE, approver=users["frank"]
    )
    assert "'=HYPERLINK" in exports.bank_csv(batch)
