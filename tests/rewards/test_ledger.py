from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from coproduce.rewards import services
from coproduce.rewards.models import (
    Category,
    EntryKind,
    LedgerEntry,
    LineStatus,
    PaymentBatch,
    RewardForm,
    RewardLine,
    Voucher,
)
from tests.rewards.conftest import choose, review_all


@pytest.fixture
def reviewed(offer, session, users) -> list[int]:
    choose(users["alice"].person)
    choose(users["bob"].person, RewardForm.VOUCHER, voucher_kind="Supermarket")
    services.rewards_accrue()
    return review_all(users)


def test_ledger_entries_cannot_be_changed_or_deleted(reviewed):
    entry = LedgerEntry.objects.first()
    entry.amount = Decimal("1.00")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_approving_twice_pays_once(reviewed, users):
    first = services.batch_approve(
        line_ids=reviewed, category=Category.FEE, approver=users["frank"]
    )
    assert first is not None
    again = services.batch_approve(
        line_ids=reviewed, category=Category.FEE, approver=users["frank"]
    )
    assert again is None
    assert LedgerEntry.objects.filter(kind=EntryKind.APPROVED).count() == 2
    assert services.batch_mark_paid(batch=first, actor=users["frank"]) == 2
    assert services.batch_mark_paid(batch=first, actor=users["frank"]) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).count() == 2
    assert set(RewardLine.objects.values_list("status", flat=True)) == {LineStatus.PAID}
    voucher = Voucher.objects.get()
    assert voucher.value == Decimal("15.00") and voucher.kind == "Supermarket"


def test_the_database_refuses_a_second_approval_of_a_line(reviewed, users):
    batch = services.batch_approve(
        line_ids=reviewed, category=Category.FEE, approver=users["frank"]
    )
    line = RewardLine.objects.get(pk=reviewed[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            line=line,
            person=line.person,
            kind=EntryKind.APPROVED,
            amount=line.amount,
            is_income=True,
            on=line.on,
            batch=batch,
        )


def test_fees_and_expenses_are_approved_separately(reviewed, users):
    assert (
        services.batch_approve(
            line_ids=reviewed, category=Category.EXPENSE, approver=users["frank"]
        )
        is None
    )


def test_a_reversal_nets_to_zero(reviewed, users):
    batch = services.batch_approve(
        line_ids=reviewed, category=Category.FEE, approver=users["frank"]
    )
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    line = RewardLine.objects.get(person=users["alice"].person)
    before = LedgerEntry.objects.count()
    corrected = services.line_reverse(
        line=line, actor=users["carol"], reason="Left early", new_amount=Decimal("30.00")
    )
    assert LedgerEntry.objects.count() == before + 3 + 1  # three reversals, one new accrual
    assert sum(e.amount for e in line.entries.all()) == Decimal("0.00")
    for kind in (EntryKind.ACCRUED, EntryKind.APPROVED, EntryKind.PAID):
        entries = line.entries.filter(kind=kind)
        reversals = LedgerEntry.objects.filter(reverses__in=entries)
        assert sum(e.amount for e in [*entries, *reversals]) == Decimal("0.00")
    line.refresh_from_db()
    assert line.status == LineStatus.REVERSED
    assert corrected is not None and corrected.generation == 1
    assert corrected.status == LineStatus.TO_REVIEW and corrected.amount == Decimal("30.00")
    with pytest.raises(ValidationError):
        services.line_reverse(line=line, actor=users["carol"], reason="again")


def test_a_reversed_approval_leaves_the_bank_file(reviewed, users):
    from coproduce.rewards import selectors

    batch = services.batch_approve(
        line_ids=reviewed, category=Category.FEE, approver=users["frank"]
    )
    assert selectors.batch_bank_total(batch) == Decimal("37.50")
    line = RewardLine.objects.get(person=users["alice"].person)
    services.line_reverse(line=line, actor=users["frank"], reason="Wrong person")
    assert selectors.batch_bank_total(batch) == Decimal("0.00")
    assert not selectors.batch_bank_entries(batch).exists()
    services.batch_mark_paid(batch=batch, actor=users["frank"])
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAID, line=line).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_the_same_batch_pay_once(users, offer, session):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite has none.")
    choose(users["alice"].person)
    choose(users["bob"].person)
    services.rewards_accrue()
    ids = review_all(users)
    frank = users["frank"]
    barrier = threading.Barrier(4)
    results: list[object] = []
    errors: list[BaseException] = []

    def approve_and_pay() -> None:
        try:
            barrier.wait()
            batch = services.batch_approve(line_ids=ids, category=Category.FEE, approver=frank)
            results.append(batch)
            if batch is not None:
                services.batch_mark_paid(batch=batch, actor=frank)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve_and_pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert PaymentBatch.objects.count() == 1
    for line_id in ids:
        assert LedgerEntry.objects.filter(line_id=line_id, kind=EntryKind.APPROVED).count() == 1
        assert LedgerEntry.objects.filter(line_id=line_id, kind=EntryKind.PAID).count() == 1
