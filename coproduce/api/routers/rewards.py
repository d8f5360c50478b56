"""Approved reward payments, for the finance system: read with ``rewards:read``, mark taken
with ``rewards:write``.

A payment batch is what finance approved together in coproduce (fees and expenses apart). Each
payment in it is an approval in the ledger that has not been reversed, so the amounts are the
ledger's own. Money is sent as a string with two decimal places ("12.50"), never a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja import Path as PathEx

from coproduce.api.auth import scoped, token_of
from coproduce.api.paging import DEFAULT_LIMIT, MAX_ID, page
from coproduce.api.schemas import responses
from coproduce.rewards.models import EntryKind, LedgerEntry, PaymentBatch
from coproduce.rewards.selectors import person_ref
from coproduce.rewards.services import batch_mark_exported

router = Router()
BatchId = Annotated[int, PathEx(ge=0, le=MAX_ID)]
MAX_BATCHES = 100  # a batch can hold thousands of payments: pages of batches stay small
MONEY = r"^-?\d+\.\d{2}$"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class PaymentOut(Schema):
    line_id: int
    person_id: int
    person_ref: str = Field(..., description="The housing system's reference, or P<id>.")
    payee: str = Field(..., description="The person's name, as finance pays them.")
    form: str = Field(..., description="bank_transfer, lower, voucher, gift, training, donation…")
    voucher_kind: str
    charity_name: str
    on: dt.date = Field(..., description="The date the money is for (the session or expense).")
    description: str
    amount: str = Field(..., pattern=MONEY, description="GBP, two decimal places.")
    is_income: bool = Field(..., description="True if it may count as income for benefits.")

    @staticmethod
    def resolve_line_id(obj: LedgerEntry) -> int:
        return obj.line_id

    @staticmethod
    def resolve_person_ref(obj: LedgerEntry) -> str:
        return person_ref(obj.person)

    @staticmethod
    def resolve_payee(obj: LedgerEntry) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_form(obj: LedgerEntry) -> str:
        return obj.line.form

    @staticmethod
    def resolve_voucher_kind(obj: LedgerEntry) -> str:
        return obj.line.voucher_kind

    @staticmethod
    def resolve_charity_name(obj: LedgerEntry) -> str:
        return obj.line.charity_name

    @staticmethod
    def resolve_description(obj: LedgerEntry) -> str:
        return obj.line.description

    @staticmethod
    def resolve_amount(obj: LedgerEntry) -> str:
        return _money(obj.amount)


class BatchOut(Schema):
    id: int
    reference: str = Field(..., description="The payment reference, e.g. RW000012.")
    category: str = Field(..., description="fee or expense.")
    approved_at: dt.datetime
    paid_at: dt.datetime | None
    exported_at: dt.datetime | None = Field(
        None, description="When the finance system marked it taken; null until then."
    )
    total: str = Field(..., pattern=MONEY, description="GBP: the sum of the payments.")
    payments: list[PaymentOut]

    @staticmethod
    def resolve_payments(obj: PaymentBatch) -> list[LedgerEntry]:
        return list(obj.live_entries)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_total(obj: PaymentBatch) -> str:
        entries = obj.live_entries  # type: ignore[attr-defined]
        return _money(sum((e.amount for e in entries), Decimal("0.00")))


class BatchPage(Schema):
    items: list[BatchOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class BatchFilter(Schema):
    exported: bool | None = Field(
        None, description="false: only batches the finance system has not taken yet."
    )
    category: str | None = Field(None, pattern="^(fee|expense)$")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(min(DEFAULT_LIMIT, MAX_BATCHES), ge=1, le=MAX_BATCHES)


def batches() -> QuerySet[PaymentBatch]:
    live = (
        LedgerEntry.objects.filter(kind=EntryKind.APPROVED, reversed_by__isnull=True)
        .select_related("line", "person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    return PaymentBatch.objects.prefetch_related(
        Prefetch("entries", queryset=live, to_attr="live_entries")
    )


@router.get(
    "/",
    response=responses({200: BatchPage}),
    auth=scoped("rewards:read"),
    summary="Approved payment batches, oldest first; exported=false for the ones to take",
)
def list_batches(request: HttpRequest, filters: Query[BatchFilter]) -> dict[str, object]:
    queryset = batches()
    if filters.exported is not None:
        queryset = queryset.filter(exported_at__isnull=not filters.exported)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    rows, next_cursor = page(queryset, cursor=filters.cursor, limit=filters.limit)
    return {"items": rows, "next_cursor": next_cursor}


@router.get(
    "/{int:batch_id}",
    response=responses({200: BatchOut}, 404),
    auth=scoped("rewards:read"),
    summary="One approved payment batch",
)
def get_batch(request: HttpRequest, batch_id: BatchId) -> PaymentBatch:
    return get_object_or_404(batches(), pk=batch_id)


@router.post(
    "/{int:batch_id}/exported",
    response=responses({200: BatchOut}, 404),
    auth=scoped("rewards:write"),
    summary="Mark a batch as taken by the finance system",
    description=(
        "Idempotent: the first time stands, and a second call answers the batch unchanged. "
        "The batch then leaves the exported=false list. It does not mark the payments paid: "
        "coproduce's finance page does that, and tells each person."
    ),
)
def mark_exported(request: HttpRequest, batch_id: BatchId) -> PaymentBatch:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    batch_mark_exported(batch=batch, actor=token_of(request).owner, request=request)
    return batches().get(pk=batch_id)
