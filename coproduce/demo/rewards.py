"""Rewards for the time people gave to the customer promises project: an offer, a mix of
choices, rewards worked out from the demo's attendance, one batch approved and paid by finance,
one correction, one expense claim. This year's health check evaluators are paid for their time
too: their training last week gives the current tax year its first rewards, waiting for review.

Idempotent: does nothing once the promises project has a reward offer.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from coproduce.accounts.models import User
from coproduce.core.audit import audit_record
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, PROMISES_TITLE, moved
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.rewards import services
from coproduce.rewards.models import (
    Category,
    ExpenseKind,
    LineStatus,
    RewardChoice,
    RewardForm,
    RewardLine,
    RewardOffer,
    RewardPolicy,
)
from coproduce.rewards.selectors import organisation

CHARITY = "Riverside Community Food Bank"
VOUCHER_KINDS = ["Supermarket", "High-street shops", "Bus pass top-up"]
POLICY = """We value the time tenants and customers give us, and we pay for it fairly.

1. Before you take part we tell you, in plain words, what we offer and which costs we pay back.
2. You choose how you are rewarded: money into your bank, a voucher, a gift, training, a
   donation to a charity you name, a lower amount, or nothing at all. You can change your mind.
3. We pay back travel, care cover and other agreed costs when you show a receipt. Costs paid
   back are not income.
4. Rewards can affect benefits and tax. We keep a running total for you each month and each tax
   year, warn you before you go over a limit, and offer free independent welfare-rights advice.
5. Finance approves and pays rewards in batches, usually within two weeks."""


def build_rewards_demo(*, seed: int) -> dict[str, Any]:
    project = Project.objects.filter(title=PROMISES_TITLE).order_by("pk").first()
    if project is None or RewardOffer.objects.filter(project=project).exists():
        return {"built": False}
    coordinator = User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}")
    finance = User.objects.get(email=f"finance@{DEMO_EMAIL_DOMAIN}")
    rng = random.Random(seed)
    started = project.started_on or moved(dt.date(2024, 11, 1))
    _policy_and_offer_publish(project, started, coordinator)
    people = list(
        Person.objects.filter(attendances__meeting__project=project).distinct().order_by("pk")
    )
    choices = _choices_record(people, started, coordinator, rng)
    accrued = services.rewards_accrue(actor=coordinator, project=project)
    cutoff, paid = _older_lines_pay(project, started, coordinator, finance)
    corrected = _correction_make(project, finance)
    claims = _expense_claim(people, project, cutoff, coordinator)
    evaluators = _health_check_rewards(coordinator, rng)
    return {
        "built": True,
        "choices": choices,
        "lines": accrued["created"],
        "paid": paid,
        "corrections": corrected,
        "expense_claims": claims,
        "health_check_lines": evaluators,
    }


def _policy_and_offer_publish(project: Project, started: dt.date, coordinator: User) -> None:
    if not RewardPolicy.objects.filter(organisation=organisation()).exists():
        services.policy_publish(
            text=POLICY, effective_from=started - dt.timedelta(days=30), actor=coordinator
        )
    _offer_save(
        project,
        started,
        "Group sessions to write the promises, reading draft papers at home, and phone or "
        "paper catch-ups for people who cannot come in person.",
        coordinator,
    )


def _offer_save(project: Project, started: dt.date, activities: str, coordinator: User) -> None:
    services.offer_save(
        project=project,
        data={
            "activities": activities,
            "rewards_sessions": True,
            "rewards_time_given": True,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": started,
            "covers_travel": True,
            "covers_care": True,
            "covers_childcare": True,
            "covers_phone_data": False,
            "covers_meals": False,
            "expenses_notes": "We pay for a taxi if you cannot use the bus.",
        },
        actor=coordinator,
    )


def _health_check_rewards(coordinator: User, rng: random.Random) -> int:
    """The evaluators' offer, the choices of those not asked before, and their reward lines."""
    project = Project.objects.filter(title__startswith="Annual health check").order_by("pk").first()
    if project is None or project.started_on is None:
        return 0
    _offer_save(
        project,
        project.started_on,
        "Training, health check sessions, and reading and coding the evidence at home.",
        coordinator,
    )
    tenant = Person.objects.filter(user__email=f"tenant@{DEMO_EMAIL_DOMAIN}").first()
    new = Person.objects.filter(
        attendances__meeting__project=project, reward_choice__isnull=True
    ).distinct()
    # index 0: the donation and the lower amount were chosen in the promises group
    RewardChoice.objects.bulk_create(
        [
            _choice(0, person, tenant, project.started_on, coordinator, rng)
            for person in new.order_by("pk")
        ]
    )
    return services.rewards_accrue(actor=coordinator, project=project)["created"]


def _choices_record(
    people: list[Person], started: dt.date, coordinator: User, rng: random.Random
) -> int:
    """How each person wants to be rewarded: mostly money, some vouchers, a few nothing."""
    tenant = Person.objects.filter(user__email=f"tenant@{DEMO_EMAIL_DOMAIN}").first()
    choices = [
        _choice(index, person, tenant, started, coordinator, rng)
        for index, person in enumerate(people)
    ]
    RewardChoice.objects.bulk_create(choices)
    audit_record(
        action="rewards.choice_saved",
        actor=coordinator,
        object_type="rewards.rewardchoice",
        summary=f"Demo: {len(choices)} reward choices recorded",
    )
    return len(choices)


def _choice(
    index: int,
    person: Person,
    tenant: Person | None,
    started: dt.date,
    coordinator: User,
    rng: random.Random,
) -> RewardChoice:
    roll = rng.random()
    form, voucher, charity, cap = RewardForm.BANK_TRANSFER, "", "", None
    if index == 1:
        form, charity = RewardForm.DONATION, CHARITY
    elif index == 2:
        form, cap = RewardForm.LOWER, Decimal("10.00")
    elif person == tenant:
        form = RewardForm.BANK_TRANSFER
    elif roll < 0.12:
        form = RewardForm.NONE
    elif roll < 0.42:
        form, voucher = RewardForm.VOUCHER, rng.choice(VOUCHER_KINDS)
    elif roll < 0.47:
        form = RewardForm.GIFT
    elif roll < 0.50:
        form = RewardForm.TRAINING
    return RewardChoice(
        person=person,
        form=form,
        voucher_kind=voucher,
        charity_name=charity,
        lower_cap=cap,
        wants_benefit_info=rng.random() < 0.7,
        advice_offered_on=started if rng.random() < 0.6 else None,
        updated_by=coordinator,
    )


def _older_lines_pay(
    project: Project, started: dt.date, coordinator: User, finance: User
) -> tuple[dt.date, int]:
    """Everything before the last month was checked and approved in one batch, then paid.
    Returns the cut-off day and how many were paid."""
    last = RewardLine.objects.filter(project=project).order_by("-on").values_list("on", flat=True)
    cutoff = (last.first() or started) - dt.timedelta(days=30)
    older = list(
        RewardLine.objects.filter(
            project=project, status=LineStatus.TO_REVIEW, on__lt=cutoff
        ).values_list("pk", flat=True)
    )
    services.lines_review(line_ids=older, actor=coordinator)
    batch = services.batch_approve(
        line_ids=older, category=Category.FEE, approver=finance, confirm_warnings=True
    )
    paid = services.batch_mark_paid(batch=batch, actor=finance) if batch else 0
    return cutoff, paid


def _correction_make(project: Project, finance: User) -> int:
    """A session recorded at three hours was really two."""
    wrong = (
        RewardLine.objects.filter(
            project=project, status=LineStatus.PAID, form=RewardForm.BANK_TRANSFER, minutes__gte=120
        )
        .order_by("on", "pk")
        .first()
    )
    if wrong is None:
        return 0
    services.line_reverse(
        line=wrong,
        actor=finance,
        reason="Time recorded wrongly: the person left an hour early",
        new_amount=wrong.amount - Decimal("15.00"),
    )
    return 1


def _expense_claim(
    people: list[Person], project: Project, cutoff: dt.date, coordinator: User
) -> int:
    if not people:
        return 0
    services.expense_claim_create(
        person=people[0],
        project=project,
        data={
            "kind": ExpenseKind.TRAVEL,
            "incurred_on": cutoff,
            "amount": Decimal("6.40"),
            "description": "Return bus fare",
            "paper_receipt_seen": True,
        },
        receipt=None,
        actor=coordinator,
    )
    return 1
