"""Reward payments for finance: approved batches with the ledger's amounts, taken once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coproduce.core.models import AuditEntry
from coproduce.rewards import services
from coproduce.rewards.models import Category, PaymentBatch, RewardForm
from tests.rewards.conftest import choose, offer, project, review_all, session  # noqa: F401


@pytest.fixture
def approved(offer, session, users) -> PaymentBatch:  # noqa: F811
    choose(users["alice"].person)
    choose(users["bob"].person, RewardForm.VOUCHER, voucher_kind="Supermarket")
    services.rewards_accrue()
    batch = services.batch_approve(
        line_ids=review_all(users), category=Category.FEE, approver=users["frank"]
    )
    assert batch is not None
    return batch


def test_finance_reads_approved_batches_and_marks_them_taken(api_client, approved, users):
    reader = api_client("rewards:read")
    body = reader.get("/api/v1/reward-payments/?exported=false").json()
    assert [b["id"] for b in body["items"]] == [approved.pk]
    batch = body["items"][0]
    assert batch["reference"] == approved.reference and batch["exported_at"] is None
    payments = {p["person_ref"]: p for p in batch["payments"]}
    # 150 minutes at £15 an hour, and 60 minutes.
    assert payments["T-ALICE"]["amount"] == "37.50"
    assert payments["T-ALICE"]["form"] == "bank_transfer"
    assert payments["T-BOB"]["amount"] == "15.00"
    assert payments["T-BOB"]["voucher_kind"] == "Supermarket"
    assert batch["total"] == "52.50"
    assert sum(Decimal(p["amount"]) for p in batch["payments"]) == Decimal(batch["total"])

    writer = api_client("rewards:write")
    first = writer.post(f"/api/v1/reward-payments/{approved.pk}/exported")
    assert first.status_code == 200
    taken_at = first.json()["exported_at"]
    assert taken_at is not None
    again = writer.post(f"/api/v1/reward-payments/{approved.pk}/exported")
    assert again.json()["exported_at"] == taken_at  # the first time stands
    assert AuditEntry.objects.filter(action="rewards.exported").count() == 1
    assert reader.get("/api/v1/reward-payments/?exported=false").json()["items"] == []
    done = reader.get("/api/v1/reward-payments/?exported=true").json()["items"]
    assert [b["id"] for b in done] == [approved.pk]


def test_a_reversed_payment_leaves_the_batch(api_client, approved, users):
    line = approved.lines.get(person=users["bob"].person)
    services.line_reverse(line=line, reason="Wrong session", actor=users["frank"])
    batch = api_client("rewards:read").get(f"/api/v1/reward-payments/{approved.pk}").json()
    assert [p["person_ref"] for p in batch["payments"]] == ["T-ALICE"]
    assert batch["total"] == "37.50"


def test_scopes_keep_reading_and_marking_apart(api_client, approved):
    assert (
        api_client("rewards:read")
        .post(f"/api/v1/reward-payments/{approved.pk}/exported")
        .status_code
        == 403
    )
    assert api_client("rewards:write").get("/api/v1/reward-payments/").status_code == 403
    assert api_client("people:read").get("/api/v1/reward-payments/").status_code == 403
    approved.refresh_from_db()
    assert approved.exported_at is None


def test_an_unknown_batch_is_404(api_client, db):
    assert (
        api_client("rewards:write").post("/api/v1/reward-payments/999999/exported").status_code
        == 404
    )
    assert api_client("rewards:read").get("/api/v1/reward-payments/999999").status_code == 404


def test_batches_page_by_cursor(api_client, users):
    for _ in range(3):
        PaymentBatch.objects.create(
            category=Category.EXPENSE,
            approved_by=users["frank"],
            approved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
    reader = api_client("rewards:read")
    first = reader.get("/api/v1/reward-payments/?limit=2&category=expense").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = reader.get(
        f"/api/v1/reward-payments/?limit=2&category=expense&cursor={first['next_cursor']}"
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
