"""Every write to rewards: policy, offers, choices, accrual, review, approval, payment,
corrections and expense claims. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.changes import apply_changes
from coproduce.meetings.models import Attendance, TimeGiven
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Status as MessageStatus
from coproduce.people.models import Person, RewardPreference
from coproduce.projects.models import Project
from coproduce.rewards import selectors
from coproduce.rewards.models import (
    INCOME_FORMS,
    Category,
    EntryKind,
    ExpenseClaim,
    LedgerEntry,
    LineStatus,
    PaymentBatch,
    RateBasis,
    RewardChoice,
    RewardForm,
    RewardLine,
    RewardOffer,
    RewardPolicy,
    Voucher,
)
from coproduce.rewards.money import ZERO, hourly, money_sum, pounds, to_money
from coproduce.webhooks.services import emit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

# Person.reward_preference (asked at sign-up) pre-fills the fuller choice kept here.
PREFERENCE_TO_FORM = {
    RewardPreference.CASH: RewardForm.BANK_TRANSFER,
    RewardPreference.VOUCHER: RewardForm.VOUCHER,
    RewardPreference.GIFT: RewardForm.GIFT,
    RewardPreference.TRAINING: RewardForm.TRAINING,
    RewardPreference.DONATION: RewardForm.DONATION,
    RewardPreference.NONE: RewardForm.NONE,
}


@transaction.atomic
def policy_publish(
    *, text: str, effective_from: dt.date, actor: User, request: HttpRequest | None = None
) -> RewardPolicy:
    """Add a new version; earlier versions stay as history."""
    organisation = selectors.organisation()
    last = (
        RewardPolicy.objects.select_for_update()
        .filter(organisation=organisation)
        .aggregate(v=Max("version"))["v"]
    )
    policy = RewardPolicy(
        organisation=organisation,
        version=(last or 0) + 1,
        text=text,
        effective_from=effective_from,
        created_by=actor,
    )
    policy.full_clean()
    policy.save()
    audit_record(
        action="rewards.policy_published",
        actor=actor,
        obj=policy,
        request=request,
        summary=f"Reward policy version {policy.version} from {effective_from}",
    )
    return policy


@transaction.atomic
def offer_save(
    *, project: Project, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> RewardOffer:
    # Lock the project row first: two saves at once wait for each other, and the second
    # then finds and updates the offer the first made (never a duplicate-key error).
    Project.objects.select_for_update().filter(pk=project.pk).first()
    offer = RewardOffer.objects.filter(project=project).first() or RewardOffer(project=project)
    changed = apply_changes(offer, data)
    offer.rate = to_money(offer.rate)
    offer.updated_by = actor
    offer.full_clean()
    offer.save()
    audit_record(
        action="rewards.offer_saved",
        actor=actor,
        obj=offer,
        request=request,
        summary=f"Reward offer for {project.title}: changed {', '.join(changed) or '-'}",
    )
    return offer


def choice_initial(person: Person) -> dict[str, Any]:
    """What to show in the form: the saved choice, or what they said at sign-up."""
    choice = RewardChoice.objects.filter(person=person).first()
    if choice is not None:
        return {}
    form = PREFERENCE_TO_FORM.get(person.reward_preference)  # type: ignore[call-overload]
    return {"form": form} if form else {}


@transaction.atomic
def choice_save(
    *, person: Person, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> RewardChoice:
    # Lock the person row first: two choices at once wait for each other, and the second then
    # updates the choice the first made (never a duplicate-key error).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    choice = RewardChoice.objects.filter(person=person).first() or RewardChoice(person=person)
    if data.get("form") != RewardForm.VOUCHER:
        data["voucher_kind"] = ""
    if data.get("form") != RewardForm.DONATION:
        data["charity_name"] = ""
    if data.get("form") != RewardForm.LOWER:
        data["lower_cap"] = None
    elif data.get("lower_cap") is not None:
        data["lower_cap"] = to_money(data["lower_cap"])
    changed = apply_changes(choice, data)
    choice.updated_by = actor
    choice.full_clean()
    choice.save()
    audit_record(
        action="rewards.choice_saved",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Reward choice: {choice.get_form_display()} (changed {', '.join(changed) or '-'})",
    )
    return choice


def _line_amount(offer: RewardOffer, minutes: int, choice: RewardChoice) -> Decimal:
    if choice.form == RewardForm.NONE:
        return ZERO
    if offer.rate_basis == RateBasis.HOUR:
        amount = hourly(minutes, offer.rate)
    else:
        amount = to_money(offer.rate)
    if choice.form == RewardForm.LOWER and choice.lower_cap is not None:
        amount = min(amount, to_money(choice.lower_cap))
    return amount


def _new_line(
    *,
    offer: RewardOffer,
    person: Person,
    choice: RewardChoice,
    key: str,
    on: dt.date,
    minutes: int,
    description: str,
    **source: Any,
) -> RewardLine:
    amount = _line_amount(offer, minutes, choice)
    declined = choice.form == RewardForm.NONE
    return RewardLine(
        person=person,
        project=offer.project,
        category=Category.FEE,
        source_key=key,
        on=on,
        minutes=minutes,
        description=description[:300],
        form=choice.form,
        voucher_kind=choice.voucher_kind,
        charity_name=choice.charity_name,
        amount=amount,
        is_income=choice.form in INCOME_FORMS and not declined,
        status=LineStatus.DECLINED if declined else LineStatus.TO_REVIEW,
        **source,
    )


class _Source(NamedTuple):
    """One contribution that may earn a reward line: who, when, how long, and from what row."""

    key: str
    person: Person
    on: dt.date
    minutes: int
    description: str
    source: dict[str, Any]


def _sources(offer: RewardOffer) -> list[_Source]:
    """What the offer rewards: session attendance and/or time given, since it applies."""
    found: list[_Source] = []
    if offer.rewards_sessions:
        for att in Attendance.objects.filter(
            meeting__project=offer.project, meeting__starts_at__date__gte=offer.applies_from
        ).select_related("meeting", "person"):
            found.append(
                _Source(
                    f"attendance:{att.pk}",
                    att.person,
                    timezone.localdate(att.meeting.starts_at),
                    att.minutes,
                    f"Session: {att.meeting.title}",
                    {"attendance": att},
                )
            )
    if offer.rewards_time_given:
        for tg in TimeGiven.objects.filter(
            project=offer.project, on__gte=offer.applies_from
        ).select_related("person"):
            found.append(
                _Source(
                    f"time:{tg.pk}",
                    tg.person,
                    tg.on,
                    tg.minutes,
                    f"Time given: {tg.what}",
                    {"time_given": tg},
                )
            )
    if offer.rate_basis == RateBasis.FIXED:
        return _first_per_person(offer, found)
    return found


def _first_per_person(offer: RewardOffer, found: list[_Source]) -> list[_Source]:
    """One fixed amount per person for the project, dated at their first contribution."""
    firsts: dict[int, _Source] = {}
    for item in sorted(found, key=lambda c: c.on):
        firsts.setdefault(item.person.pk, item)
    return [
        _Source(
            f"fixed:{offer.project_id}:{pid}",
            c.person,
            c.on,
            c.minutes,
            f"Taking part in {offer.project.title}",
            {},
        )
        for pid, c in firsts.items()
    ]


def _offer_lines(offer: RewardOffer, waiting: set[int]) -> list[RewardLine]:
    """New (unsaved) lines for the offer's sources that have none yet.

    Adds to ``waiting`` the people skipped because they have not chosen a reward form."""
    sources = _sources(offer)
    existing = set(
        RewardLine.objects.filter(
            source_key__in=[c.key for c in sources], generation=0
        ).values_list("source_key", flat=True)
    )
    choices = {
        c.person_id: c
        for c in RewardChoice.objects.filter(person_id__in={c.person.pk for c in sources})
    }
    lines = []
    for item in sources:
        if item.key in existing:
            continue
        if item.person.processing_restricted or item.person.erased_at is not None:
            continue  # restricted or erased (privacy app): accrual paused
        choice = choices.get(item.person.pk)
        if choice is None:
            waiting.add(item.person.pk)
            continue
        lines.append(
            _new_line(
                offer=offer,
                person=item.person,
                choice=choice,
                key=item.key,
                on=item.on,
                minutes=item.minutes,
                description=item.description,
                **item.source,
            )
        )
    return lines


def _mark_warnings(lines: list[RewardLine]) -> None:
    warnings = selectors.warnings_for_lines(lines, kind=EntryKind.ACCRUED)
    for line in lines:
        found = warnings.get(-id(line))
        if found:
            line.warning = found[0][:300]


@transaction.atomic
def rewards_accrue(
    *, actor: User | None = None, project: Project | None = None, request: HttpRequest | None = None
) -> dict[str, int]:
    """Turn attendance and recorded time into reward lines at each project's offer.

    Idempotent: each source row gets at most one line (unique source_key + generation), so
    running this again creates nothing new. People who have not chosen a reward form yet are
    skipped (we ask, never presume) and picked up on a later run once they have chosen.
    "Nothing, thank you" makes a zero line marked "Not wanted", so their time still shows."""
    offers = RewardOffer.objects.select_for_update().select_related("project")
    if project is not None:
        offers = offers.filter(project=project)
    waiting: set[int] = set()
    new_lines = [line for offer in offers for line in _offer_lines(offer, waiting)]
    _mark_warnings(new_lines)
    RewardLine.objects.bulk_create(new_lines, batch_size=500)
    _accrue_entries([x for x in new_lines if x.status != LineStatus.DECLINED], actor)
    created = len(new_lines)
    if created:
        audit_record(
            action="rewards.accrued",
            actor=actor,
            object_type="rewards.rewardline",
            request=request,
            summary=f"Worked out {created} reward lines; {len(waiting)} people "
            "still to choose a reward form",
        )
    return {"created": created, "waiting_for_choice": len(waiting)}


def _ledger_write(
    lines: list[RewardLine],
    *,
    kind: str,
    created_by: User | None,
    batch: PaymentBatch | None = None,
) -> None:
    """One ledger entry of this kind for each line, for the line's whole amount."""
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                line=line,
                person_id=line.person_id,
                kind=kind,
                amount=line.amount,
                is_income=line.is_income,
                on=line.on,
                batch=batch,
                created_by=created_by,
            )
            for line in lines
        ],
        batch_size=500,
    )


def _accrue_entries(lines: list[RewardLine], actor: User | None) -> None:
    # Accrual also runs from the command line and the task queue, with no signed-in actor.
    _ledger_write(
        lines, kind=EntryKind.ACCRUED, created_by=actor if getattr(actor, "pk", None) else None
    )


@transaction.atomic
def lines_review(*, line_ids: list[int], actor: User, request: HttpRequest | None = None) -> int:
    """The coordinator has checked these lines: they go to finance for approval."""
    count = RewardLine.objects.filter(pk__in=line_ids, status=LineStatus.TO_REVIEW).update(
        status=LineStatus.REVIEWED, reviewed_by=actor
    )
    if count:
        audit_record(
            action="rewards.reviewed",
            actor=actor,
            object_type="rewards.rewardline",
            request=request,
            summary=f"Checked {count} lines for approval",
        )
    return count


@transaction.atomic
def batch_approve(
    *,
    line_ids: list[int],
    category: str,
    approver: User,
    confirm_warnings: bool = False,
    request: HttpRequest | None = None,
) -> PaymentBatch | None:
    """Finance approves checked lines as one batch. Idempotent by line: lines are locked and
    re-read, and the ledger's unique (line, kind) constraint refuses a second approval."""
    lines = list(
        RewardLine.objects.select_for_update()
        .filter(pk__in=line_ids, status=LineStatus.REVIEWED, category=category)
        .select_related("person")
        .order_by("pk")
    )
    if not lines:
        return None
    if selectors.warnings_for_lines(lines, kind=EntryKind.APPROVED) and not confirm_warnings:
        raise ValidationError(
            "Some of these payments take someone over a limit. Read the warnings and tick the "
            "box to say you have seen them."
        )
    batch = PaymentBatch.objects.create(
        category=category, approved_by=approver, approved_at=timezone.now()
    )
    _ledger_write(lines, kind=EntryKind.APPROVED, created_by=approver, batch=batch)
    RewardLine.objects.filter(pk__in=[x.pk for x in lines]).update(
        status=LineStatus.APPROVED, batch=batch
    )
    total = to_money(sum((x.amount for x in lines), ZERO))
    audit_record(
        action="rewards.batch_approved",
        actor=approver,
        obj=batch,
        request=request,
        summary=f"Approved {len(lines)} lines, {pounds(total)}",
    )
    emit(
        "payment.approved",
        {
            "batch_id": batch.pk,
            "category": batch.category,
            "line_ids": [line.pk for line in lines],
            "total": str(total),
        },
    )
    return batch


@transaction.atomic
def batch_mark_paid(*, batch: PaymentBatch, actor: User, request: HttpRequest | None = None) -> int:
    """Record that finance has paid the batch. Paying twice records nothing new."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.paid_at is not None:
        return 0
    lines = list(
        RewardLine.objects.select_for_update()
        .filter(batch=batch, status=LineStatus.APPROVED)
        .order_by("pk")
    )
    now = timezone.now()
    _ledger_write(lines, kind=EntryKind.PAID, created_by=actor, batch=batch)
    Voucher.objects.bulk_create(
        [
            Voucher(
                line=line,
                kind=line.voucher_kind or "Shopping",
                code=f"RW-{secrets.token_hex(5).upper()}",
                value=line.amount,
            )
            for line in lines
            if line.form == RewardForm.VOUCHER
        ]
    )
    RewardLine.objects.filter(pk__in=[x.pk for x in lines]).update(status=LineStatus.PAID)
    batch.paid_at, batch.paid_by = now, actor
    batch.save(update_fields=["paid_at", "paid_by"])
    audit_record(
        action="rewards.batch_paid",
        actor=actor,
        obj=batch,
        request=request,
        summary=f"Marked {len(lines)} lines paid",
    )
    batch_id = batch.pk
    transaction.on_commit(
        lambda: rewards_tell_paid(batch_id=batch_id, actor=actor),
        robust=True,  # the payment is recorded: a message that fails is logged, not a 500
    )
    return len(lines)


@transaction.atomic
def batch_mark_exported(
    *, batch: PaymentBatch, actor: User, request: HttpRequest | None = None
) -> PaymentBatch:
    """Record that the finance system has taken the batch. Idempotent: the first time stands."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.exported_at is not None:
        return batch
    batch.exported_at = timezone.now()
    batch.save(update_fields=["exported_at"])
    audit_record(
        action="rewards.exported",
        actor=actor,
        obj=batch,
        request=request,
        summary="Taken by the finance system (API)",
    )
    return batch


# How each form of reward reaches the person, for their "reward issued" message.
_HOW = {
    RewardForm.BANK_TRANSFER: "into your bank account",
    RewardForm.LOWER: "into your bank account",
    RewardForm.VOUCHER: "as a shopping voucher",
    RewardForm.GIFT: "as a gift",
    RewardForm.TRAINING: "towards training or a course",
    RewardForm.DONATION: "as a donation to the charity you chose",
}


def rewards_tell_paid(
    *, batch_id: int, actor: User | None = None, now: dt.datetime | None = None
) -> int:
    """Tell each person in a paid batch what they were paid, once per batch, on their own
    channel ("reward issued"). Nothing for a line worth nothing. Returns how many were told."""
    lines = list(
        RewardLine.objects.filter(batch_id=batch_id, status=LineStatus.PAID, amount__gt=0)
        .select_related("person")
        .order_by("person_id", "on", "pk")
    )
    by_person: dict[int, list[RewardLine]] = {}
    for line in lines:
        by_person.setdefault(line.person_id, []).append(line)
    told = 0
    for person_lines in by_person.values():
        person = person_lines[0].person
        hows = {_HOW.get(RewardForm(line.form), "") for line in person_lines}
        context = {
            "total": pounds(money_sum(line.amount for line in person_lines)),
            "items": [
                f"{line.description}: {pounds(line.amount)}"
                + (f", {_HOW[RewardForm(line.form)]}" if line.form in _HOW else "")
                for line in person_lines
            ],
            "how": hows.pop() if len(hows) == 1 else "",
            "voucher": any(line.form == RewardForm.VOUCHER for line in person_lines),
            "url": settings.SITE_URL.rstrip("/") + reverse("rewards:mine"),
        }
        message = messaging.send(
            kind="reward_issued",
            person=person,
            key=f"reward_issued:{batch_id}:{person.pk}",
            context=context,
            about=f"rewards.paymentbatch:{batch_id}",
            actor=actor,
            now=now,
        )
        told += message.status != MessageStatus.NOT_SENT
    return told


def _reverse_entries(line: RewardLine, *, reason: str, actor: User) -> None:
    """Cancel each entry of the line not yet reversed with an equal and opposite one."""
    open_entries = list(
        line.entries.exclude(kind=EntryKind.REVERSED).filter(reversed_by__isnull=True)
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                line=line,
                person_id=line.person_id,
                kind=EntryKind.REVERSED,
                amount=-entry.amount,
                is_income=entry.is_income,
                on=entry.on,
                reverses=entry,
                note=reason[:300],
                created_by=actor,
            )
            for entry in open_entries
        ]
    )


def _corrected_line(line: RewardLine, amount: Decimal) -> RewardLine:
    """A new generation of the line for the same source, at the corrected amount, to review."""
    generation = (
        RewardLine.objects.filter(source_key=line.source_key).aggregate(g=Max("generation"))["g"]
        + 1
    )
    return RewardLine.objects.create(
        person=line.person,
        project=line.project,
        category=line.category,
        source_key=line.source_key,
        generation=generation,
        attendance=line.attendance,
        time_given=line.time_given,
        expense_claim=line.expense_claim,
        corrects=line,
        on=line.on,
        minutes=line.minutes,
        description=line.description,
        form=line.form,
        voucher_kind=line.voucher_kind,
        charity_name=line.charity_name,
        amount=amount,
        is_income=line.is_income,
        status=LineStatus.TO_REVIEW,
    )


@transaction.atomic
def line_reverse(
    *,
    line: RewardLine,
    actor: User,
    reason: str,
    new_amount: Decimal | None = None,
    request: HttpRequest | None = None,
) -> RewardLine | None:
    """Correct a line: reverse every entry it has (so it nets to zero), and if a new amount is
    given, add a corrected line for the same source that goes through review again."""
    line = RewardLine.objects.select_for_update().get(pk=line.pk)
    if line.status in (LineStatus.REVERSED, LineStatus.DECLINED):
        raise ValidationError("This line has already been cancelled.")
    if not reason.strip():
        raise ValidationError("Say why you are correcting this line.")
    _reverse_entries(line, reason=reason, actor=actor)
    line.status = LineStatus.REVERSED
    line.save(update_fields=["status"])
    corrected = None
    if new_amount is not None:
        corrected = _corrected_line(line, to_money(new_amount))
        _accrue_entries([corrected], actor)
    audit_record(
        action="rewards.line_reversed",
        actor=actor,
        obj=line,
        request=request,
        summary=f"Reversed {pounds(line.amount)}: {reason}"
        + (f"; corrected to {pounds(to_money(new_amount))}" if new_amount is not None else ""),
    )
    return corrected


@transaction.atomic
def expense_claim_create(
    *,
    person: Person,
    project: Project,
    data: dict[str, Any],
    receipt: UploadedFile | None,
    actor: User,
    request: HttpRequest | None = None,
) -> ExpenseClaim:
    """Record a claim with its receipt; it is checked and approved apart from fees."""
    offer = RewardOffer.objects.filter(project=project).first()
    if offer is None:
        raise ValidationError("This project has no reward offer yet, so no expenses are covered.")
    kind = data["kind"]
    if not getattr(offer, f"covers_{kind}", False):
        raise ValidationError("This project's offer does not cover that kind of expense.")
    if receipt is None and not data.get("paper_receipt_seen"):
        raise ValidationError("Upload the receipt, or tick that you have seen a paper receipt.")
    claim = ExpenseClaim(person=person, project=project, created_by=actor, **data)
    claim.amount = to_money(claim.amount)
    if receipt is not None:
        claim.receipt = receipt  # type: ignore[assignment]
    claim.full_clean()
    claim.save()
    line = RewardLine.objects.create(
        person=person,
        project=project,
        category=Category.EXPENSE,
        source_key=f"expense:{claim.pk}",
        expense_claim=claim,
        on=claim.incurred_on,
        description=f"Expense: {claim.get_kind_display()}"
        + (f" ({claim.description})" if claim.description else ""),
        form=RewardForm.BANK_TRANSFER,
        amount=claim.amount,
        is_income=False,
        status=LineStatus.TO_REVIEW,
    )
    _accrue_entries([line], actor)
    audit_record(
        action="rewards.expense_claimed",
        actor=actor,
        obj=claim,
        request=request,
        summary=f"{claim.get_kind_display()} {pounds(claim.amount)} for person #{person.pk}",
    )
    return claim
