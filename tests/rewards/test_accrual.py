from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coproduce.people.models import RewardPreference
from coproduce.rewards import services
from coproduce.rewards.models import (
    EntryKind,
    LedgerEntry,
    LineStatus,
    RateBasis,
    RewardForm,
    RewardLine,
)
from tests.rewards.conftest import attend, choose, make_session


def test_accrual_from_attendance_is_at_the_offer_rate(offer, session, time_given, users):
    alice, bob = users["alice"].person, users["bob"].person
    choose(alice)
    choose(bob, RewardForm.VOUCHER, voucher_kind="Supermarket")
    result = services.rewards_accrue(actor=users["carol"])
    assert result == {"created": 3, "waiting_for_choice": 0}
    by_key = {line.source_key: line for line in RewardLine.objects.all()}
    alice_line = by_key[f"attendance:{session.attendances.get(person=alice).pk}"]
    assert alice_line.amount == Decimal("37.50")  # 150 minutes at £15 an hour
    assert alice_line.form == RewardForm.BANK_TRANSFER and alice_line.is_income
    bob_line = by_key[f"attendance:{session.attendances.get(person=bob).pk}"]
    assert bob_line.amount == Decimal("15.00") and bob_line.voucher_kind == "Supermarket"
    assert by_key[f"time:{time_given.pk}"].amount == Decimal("7.50")
    accrued = LedgerEntry.objects.filter(kind=EntryKind.ACCRUED)
    assert sorted(e.amount for e in accrued) == [
        Decimal("7.50"),
        Decimal("15.00"),
        Decimal("37.50"),
    ]


def test_accrual_run_twice_creates_nothing_new(offer, session, users):
    choose(users["alice"].person)
    choose(users["bob"].person)
    assert services.rewards_accrue()["created"] == 2
    assert services.rewards_accrue()["created"] == 0
    assert RewardLine.objects.count() == 2
    assert LedgerEntry.objects.count() == 2


def test_people_without_a_choice_wait_and_are_picked_up_later(offer, session, users):
    choose(users["alice"].person)
    assert services.rewards_accrue() == {"created": 1, "waiting_for_choice": 1}
    choose(users["bob"].person)
    assert services.rewards_accrue() == {"created": 1, "waiting_for_choice": 0}


def test_none_records_a_zero_declined_line_with_no_money(offer, session, users):
    choose(users["alice"].person, RewardForm.NONE)
    choose(users["bob"].person)
    services.rewards_accrue()
    line = RewardLine.objects.get(person=users["alice"].person)
    assert line.amount == Decimal("0.00")
    assert line.status == LineStatus.DECLINED and not line.is_income
    assert not line.entries.exists()


def test_lower_amount_respects_the_persons_cap(offer, session, users):
    choose(users["alice"].person, RewardForm.LOWER, lower_cap=Decimal("10.00"))
    choose(users["bob"].person, RewardForm.LOWER, lower_cap=Decimal("20.00"))
    services.rewards_accrue()
    assert RewardLine.objects.get(person=users["alice"].person).amount == Decimal("10.00")
    assert RewardLine.objects.get(person=users["bob"].person).amount == Decimal("15.00")


def test_donation_and_training_do_not_count_as_income(offer, session, users):
    choose(users["alice"].person, RewardForm.DONATION, charity_name="Food bank")
    choose(users["bob"].person, RewardForm.TRAINING)
    services.rewards_accrue()
    assert not RewardLine.objects.filter(is_income=True).exists()
    assert RewardLine.objects.get(person=users["alice"].person).charity_name == "Food bank"


def test_per_session_and_fixed_rates(offer, project, users):
    alice = users["alice"].person
    choose(alice)
    for day in (dt.date(2025, 2, 1), dt.date(2025, 2, 8)):
        attend(make_session(project, day, minutes=90), alice)
    offer.rate_basis = RateBasis.SESSION
    offer.rate = Decimal("20.00")
    offer.save()
    services.rewards_accrue()
    assert [x.amount for x in RewardLine.objects.order_by("on")] == [Decimal("20.00")] * 2
    offer.rate_basis = RateBasis.FIXED
    offer.save()
    RewardLine.objects.all().update(status=LineStatus.REVERSED)  # pretend corrected away
    services.rewards_accrue()
    fixed = RewardLine.objects.filter(source_key__startswith="fixed:")
    assert fixed.count() == 1 and fixed.get().on == dt.date(2025, 2, 1)
    services.rewards_accrue()
    assert fixed.count() == 1


def test_time_before_the_offer_applies_is_not_rewarded(offer, project, users):
    choose(users["alice"].person)
    attend(make_session(project, dt.date(2024, 12, 1)), users["alice"].person)
    assert services.rewards_accrue()["created"] == 0


def test_choice_is_prefilled_from_the_sign_up_preference(users):
    alice = users["alice"].person
    alice.reward_preference = RewardPreference.VOUCHER
    alice.save()
    assert services.choice_initial(alice) == {"form": RewardForm.VOUCHER}
    choose(alice, RewardForm.NONE)
    assert services.choice_initial(alice) == {}


def test_accrual_is_audited(offer, session, users):
    from coproduce.core.models import AuditEntry

    choose(users["alice"].person)
    services.rewards_accrue(actor=users["carol"])
    assert AuditEntry.objects.filter(action="rewards.accrued").exists()
