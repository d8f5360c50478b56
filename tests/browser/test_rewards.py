"""A tenant chooses how to be rewarded; finance approves and pays a batch. In a real browser,
with axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coproduce.rewards import services
from coproduce.rewards.models import LineStatus, RewardChoice, RewardForm, RewardLine
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import PASSWORD
from tests.rewards.conftest import attend, make_session

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert "Server Error" not in page.content()


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_tenant_chooses_a_reward_and_finance_pays_a_batch(page, users, tmp_path, settings):
    import datetime as dt
    from decimal import Decimal

    from coproduce.projects.models import Project, ProjectMember

    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.create(
        title="Our customer promises",
        purpose="p",
        owner=users["carol"],
        started_on=dt.date(2025, 1, 1),
    )
    ProjectMember.objects.create(
        project=project, person=users["alice"].person, joined_on=dt.date(2025, 1, 1)
    )
    services.offer_save(
        project=project,
        actor=users["carol"],
        data={
            "activities": "Sessions",
            "rewards_sessions": True,
            "rewards_time_given": True,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": dt.date(2025, 1, 1),
            "covers_travel": True,
            "covers_care": False,
            "covers_childcare": False,
            "covers_phone_data": False,
            "covers_meals": False,
            "expenses_notes": "",
        },
    )
    attend(make_session(project, dt.date(2025, 3, 4)), users["alice"].person)

    sign_in(page, "alice@example.org")
    page.goto("/rewards/mine/")
    expect(page.get_by_role("heading", name="My rewards")).to_be_visible()
    check(page, "rewards-mine")
    page.get_by_role("link", name="Choose now").click()
    check(page, "rewards-choice")
    page.get_by_label("A shopping voucher").check()
    page.get_by_label("If you chose a voucher: which shop or kind of voucher").fill("Supermarket")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your choice has been saved.")).to_be_visible()
    assert RewardChoice.objects.get(person=users["alice"].person).form == RewardForm.VOUCHER
    page.get_by_role("link", name="Our customer promises").click()
    expect(page.get_by_text("£15.00 per hour")).to_be_visible()
    check(page, "rewards-offer")
    sign_out(page)

    services.rewards_accrue(actor=users["carol"])
    ids = list(RewardLine.objects.values_list("pk", flat=True))
    services.lines_review(line_ids=ids, actor=users["carol"])

    sign_in(page, "frank@example.org")
    page.goto("/rewards/")
    check(page, "rewards-home-finance")
    page.get_by_role("link", name="Approve rewards").click()
    expect(page.get_by_role("cell", name="Alice Example", exact=True)).to_be_visible()
    check(page, "rewards-approve")
    page.get_by_role("button", name="Approve ticked lines as one batch").click()
    expect(page.get_by_role("heading", name="Batch RW")).to_be_visible()
    check(page, "rewards-batch")
    page.get_by_role("button", name="Record this batch as paid").click()
    expect(page.get_by_text("1 payment recorded as paid.")).to_be_visible()
    assert RewardLine.objects.get().status == LineStatus.PAID
    check(page, "rewards-batch-paid")
