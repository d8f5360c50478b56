from __future__ import annotations

import datetime as dt

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.demo.rewards import CHARITY, build_rewards_demo
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.rewards.models import (
    EntryKind,
    LedgerEntry,
    LineStatus,
    PaymentBatch,
    RewardChoice,
    RewardForm,
    RewardLine,
)
from tests.rewards.conftest import attend, make_session


def test_the_demo_builds_once_with_a_mix_of_choices_a_paid_batch_and_a_correction(db):
    coordinator = User.objects.create_user(
        "coordinator@demo.coproduce.test", "x" * 12, role=Role.COORDINATOR
    )
    User.objects.create_user("finance@demo.coproduce.test", "x" * 12, role=Role.FINANCE)
    project = Project.objects.create(
        title="Our customer promises",
        purpose="p",
        owner=coordinator,
        started_on=dt.date(2024, 11, 5),
    )
    people = [Person.objects.create(first_name=f"P{i}") for i in range(30)]
    for month in range(1, 9):
        meeting = make_session(project, dt.date(2025, month, 10), minutes=180)
        for person in people[: 20 + month]:
            attend(meeting, person)

    result = build_rewards_demo(seed=3)
    assert result["built"] and result["paid"] > 0 and result["corrections"] == 1
    forms = set(RewardChoice.objects.values_list("form", flat=True))
    assert {RewardForm.NONE, RewardForm.DONATION, RewardForm.VOUCHER} <= forms
    assert RewardChoice.objects.get(form=RewardForm.DONATION).charity_name == CHARITY
    assert PaymentBatch.objects.filter(paid_at__isnull=False).count() == 1
    reversed_line = RewardLine.objects.get(status=LineStatus.REVERSED)
    assert sum(e.amount for e in reversed_line.entries.all()) == 0
    assert RewardLine.objects.filter(status=LineStatus.DECLINED).exists()
    assert RewardLine.objects.filter(status=LineStatus.TO_REVIEW).exists()

    counts = (RewardLine.objects.count(), LedgerEntry.objects.count())
    assert build_rewards_demo(seed=3) == {"built": False}
    assert (RewardLine.objects.count(), LedgerEntry.objects.count()) == counts
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).exists()


def test_the_demo_does_nothing_without_the_promises_project(db):
    assert build_rewards_demo(seed=1) == {"built": False}
