"""Reads and aggregates for rewards: policy, offers, queues, totals, thresholds, exports."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from coproduce.accounts import roles
from coproduce.people.models import Person
from coproduce.rewards.models import (
    EntryKind,
    LedgerEntry,
    LineStatus,
    PaymentBatch,
    RewardChoice,
    RewardForm,
    RewardLine,
    RewardOffer,
    RewardPolicy,
)
from coproduce.rewards.money import (
    ZERO,
    month_start,
    pounds,
    tax_year_label,
    tax_year_start,
    to_money,
)

BANK_FORMS = (RewardForm.BANK_TRANSFER, RewardForm.LOWER)
WELFARE_ADVICE = (
    "A free, independent welfare-rights adviser can tell you what this means for you. "
    "Ask your involvement coordinator to put you in touch."
)


def person_for_user(user: Any) -> Person | None:
    if not roles.is_tenant(user):
        return None
    return Person.objects.filter(user=user).first()


# --- policy and offers --------------------------------------------------------------------
def organisation() -> str:
    return str(getattr(settings, "ORGANISATION_NAME", "Riverside Homes"))


def policy_history() -> QuerySet[RewardPolicy]:
    return RewardPolicy.objects.filter(organisation=organisation()).select_related("created_by")


def current_policy(on: dt.date | None = None) -> RewardPolicy | None:
    qs = policy_history()
    if on is not None:
        qs = qs.filter(effective_from__lte=on)
    return qs.order_by("-effective_from", "-version").first()


def offers() -> QuerySet[RewardOffer]:
    return RewardOffer.objects.select_related("project").order_by("project__title")


def offers_for_person(person: Person) -> QuerySet[RewardOffer]:
    return offers().filter(project__members__person=person, project__members__left_on__isnull=True)


# --- thresholds (benefit and tax awareness) -------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    period: str  # "tax_year" or "month"
    amount: Decimal
    name: str
    explain: str


def _setting_money(name: str, default: str) -> Decimal:
    return to_money(str(getattr(settings, name, os.environ.get(name, default))))


def thresholds() -> list[Threshold]:
    """Configurable with settings or environment variables of the same names."""
    return [
        Threshold(
            "tax_year",
            _setting_money("REWARDS_TAX_YEAR_ALLOWANCE", "1000.00"),
            "the £1,000 trading and miscellaneous income allowance",
            "Above this, income from rewards in one tax year (from 6 April) may have to be "
            "told to HMRC and may be taxed.",
        ),
        Threshold(
            "month",
            _setting_money("REWARDS_MONTHLY_AMOUNT", "100.00"),
            "the monthly check amount",
            "Rewards in one month can change Universal Credit or other benefits paid that month.",
        ),
    ]


def _period(threshold: Threshold, day: dt.date) -> dt.date:
    return tax_year_start(day) if threshold.period == "tax_year" else month_start(day)


def _period_words(threshold: Threshold, day: dt.date) -> str:
    if threshold.period == "tax_year":
        return f"the {tax_year_label(day)} tax year"
    return f"{day:%B %Y}"


def _income_filter(kind: str) -> Q:
    return Q(is_income=True) & (Q(kind=kind) | Q(kind=EntryKind.REVERSED, reverses__kind=kind))


def income_by_period(
    person_ids: Iterable[int], *, kind: str = EntryKind.ACCRUED
) -> dict[tuple[int, str, dt.date], Decimal]:
    """Income (fees, vouchers, gifts; never expenses) per person, per tax year and month."""
    totals: dict[tuple[int, str, dt.date], Decimal] = defaultdict(lambda: ZERO)
    rows = (
        LedgerEntry.objects.filter(_income_filter(kind), person_id__in=list(person_ids))
        .values_list("person_id", "on", "amount")
        .order_by()
    )
    for person_id, on, amount in rows:
        totals[(person_id, "tax_year", tax_year_start(on))] += amount
        totals[(person_id, "month", month_start(on))] += amount
    return totals


def warnings_for_lines(lines: list[RewardLine], *, kind: str) -> dict[int, list[str]]:
    """Which of these lines, added in date order, would take someone over a threshold.

    kind "accrued" checks what people have earned; "approved" what finance has approved."""
    people = {line.person_id for line in lines}
    running = income_by_period(people, kind=kind)
    out: dict[int, list[str]] = defaultdict(list)
    for line in sorted(lines, key=lambda x: (x.on, x.pk or 0)):
        if not line.is_income or line.amount <= 0:
            continue
        # Unsaved lines (during accrual) are keyed by identity.
        key = line.pk if line.pk is not None else -id(line)
        for threshold in thresholds():
            slot = (line.person_id, threshold.period, _period(threshold, line.on))
            before = running[slot]
            after = before + line.amount
            if before <= threshold.amount < after:
                out[key].append(
                    f"This takes {line.person.full_name}'s income from rewards to {pounds(after)} "
                    f"in {_period_words(threshold, line.on)}, over {threshold.name} "
                    f"({pounds(threshold.amount)}). Offer welfare-rights advice."
                )
            running[slot] = after
    return dict(out)


def person_standing(person: Person, today: dt.date) -> list[dict[str, Any]]:
    """Where a person stands against each threshold now, in plain words for them."""
    totals = income_by_period([person.pk])
    result = []
    for threshold in thresholds():
        total = totals.get((person.pk, threshold.period, _period(threshold, today)), ZERO)
        result.append(
            {
                "period": _period_words(threshold, today).capitalize(),
                "total": total,
                "limit": threshold.amount,
                "over": total > threshold.amount,
                "near": total * 5 >= threshold.amount * 4,
                "name": threshold.name,
                "explain": threshold.explain,
            }
        )
    return result


# --- queues ---------------------------------------------------------------------------------
def lines_with_people() -> QuerySet[RewardLine]:
    return RewardLine.objects.select_related("person", "project")


def review_queue() -> QuerySet[RewardLine]:
    return lines_with_people().filter(status=LineStatus.TO_REVIEW).order_by("on", "id")


def approval_queue(category: str) -> QuerySet[RewardLine]:
    return (
        lines_with_people()
        .filter(status=LineStatus.REVIEWED, category=category)
        .order_by("on", "id")
    )


def people_waiting_for_a_choice() -> QuerySet[Person]:
    return (
        Person.objects.filter(
            Q(attendances__meeting__project__reward_offer__isnull=False)
            | Q(time_given__project__reward_offer__isnull=False)
        )
        .filter(reward_choice__isnull=True)
        .distinct()
    )


def choices_list() -> QuerySet[RewardChoice]:
    return RewardChoice.objects.select_related("person").order_by(
        "person__last_name", "person__first_name", "id"
    )


def batches() -> QuerySet[PaymentBatch]:
    from django.db.models import Count

    return (
        PaymentBatch.objects.select_related("approved_by", "paid_by")
        .annotate(line_count=Count("lines"))
        .order_by("-approved_at", "-id")
    )


# --- a person's own -----------------------------------------------------------------------
def person_lines(person: Person) -> QuerySet[RewardLine]:
    return (
        RewardLine.objects.filter(person=person)
        .select_related("project", "expense_claim", "voucher")
        .order_by("-on", "-id")
    )


# Lines that no longer count towards anything a person was given.
NOT_LIVE = (LineStatus.REVERSED, LineStatus.DECLINED)


def _in_tax_year(year_start: dt.date) -> Q:
    """Lines dated in the UK tax year that starts on `year_start` (6 April to 5 April)."""
    return Q(on__gte=year_start, on__lt=dt.date(year_start.year + 1, 4, 6))


def year_summary(person: Person, year_start: dt.date) -> dict[str, Any]:
    lines = list(person_lines(person).filter(_in_tax_year(year_start)).order_by("on", "id"))
    live = [x for x in lines if x.status not in NOT_LIVE]
    return {
        "label": tax_year_label(year_start),
        "start": year_start,
        "lines": lines,
        "minutes": sum(x.minutes for x in lines if x.category == "fee"),
        "income": to_money(sum((x.amount for x in live if x.is_income), ZERO)),
        "expenses": to_money(sum((x.amount for x in live if x.category == "expense"), ZERO)),
        "other": to_money(
            sum((x.amount for x in live if not x.is_income and x.category == "fee"), ZERO)
        ),
    }


def year_rewards_total(person: Person, year_start: dt.date) -> Decimal:
    """What `year_summary` gives as income plus other rewards, summed by the database: the
    tenant's home shows only this (one of the busiest pages, docs/benchmarks.md, issue #20)."""
    total = (
        RewardLine.objects.filter(_in_tax_year(year_start), person=person)
        .exclude(status__in=NOT_LIVE)
        .filter(Q(is_income=True) | Q(category="fee"))
        .aggregate(total=Sum("amount"))["total"]
    )
    return to_money(total or ZERO)


# --- exports ----------------------------------------------------------------------------------
def batch_bank_entries(batch: PaymentBatch) -> QuerySet[LedgerEntry]:
    """Approved, not reversed, paid by bank transfer: one row each in the bank file."""
    qs = LedgerEntry.objects.filter(
        batch=batch, kind=EntryKind.APPROVED, reversed_by__isnull=True
    ).select_related("line", "person")
    if batch.category == "fee":
        qs = qs.filter(line__form__in=BANK_FORMS)
    return qs.order_by("person__last_name", "person__first_name", "id")


def batch_bank_total(batch: PaymentBatch) -> Decimal:
    """The ledger's own total for the bank file: approvals in the batch net of reversals.

    Summed in Python over Decimal values, not with SQL SUM: SQLite adds NUMERIC in floating
    point, and money never goes through float."""
    approved = LedgerEntry.objects.filter(batch=batch, kind=EntryKind.APPROVED)
    if batch.category == "fee":
        approved = approved.filter(line__form__in=BANK_FORMS)
    amounts = list(approved.values_list("amount", flat=True))
    amounts += LedgerEntry.objects.filter(reverses__in=approved).values_list("amount", flat=True)
    return to_money(sum(amounts, ZERO))


def batch_voucher_lines(batch: PaymentBatch) -> QuerySet[RewardLine]:
    return (
        batch.lines.filter(form=RewardForm.VOUCHER)
        .exclude(status=LineStatus.REVERSED)
        .select_related("person")
        .order_by("voucher_kind", "person__last_name", "id")
    )


def person_ref(person: Person) -> str:
    return person.external_ref or f"P{person.pk}"


def rewards_paid_total(*, start: dt.date, end: dt.date) -> Decimal:
    """Money actually paid out for work dated in [start, end], net of reversals of payments.
    Summed in Python: SQLite adds NUMERIC values as floats."""
    entries = (
        LedgerEntry.objects.filter(on__gte=start, on__lte=end)
        .filter(Q(kind=EntryKind.PAID) | Q(kind=EntryKind.REVERSED, reverses__kind=EntryKind.PAID))
        .values_list("amount", flat=True)
    )
    return sum(entries, Decimal("0.00"))
