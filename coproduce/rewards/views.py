"""Rewards pages. Thin: fetch with a permission check, call one service, render."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.reauth import reauth_required
from coproduce.core import uploads
from coproduce.core.audit import audit_record
from coproduce.core.forms import submit
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.rewards import exports, selectors, services
from coproduce.rewards.forms import ChoiceForm, CorrectionForm, ExpenseForm, OfferForm, PolicyForm
from coproduce.rewards.models import (
    Category,
    EntryKind,
    ExpenseClaim,
    LineStatus,
    PaymentBatch,
    RewardChoice,
    RewardLine,
    RewardOffer,
)
from coproduce.rewards.money import tax_year_start

if TYPE_CHECKING:
    from coproduce.accounts.types import AuthenticatedHttpRequest


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _own_person(request: AuthenticatedHttpRequest) -> Person:
    _require(roles.is_tenant(request.user))
    person = selectors.person_for_user(request.user)
    if person is None:
        raise Http404("No person record is linked to this login.")
    return person


def _ids(request: AuthenticatedHttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("line") if v.isdigit()]


# --- staff landing ---------------------------------------------------------------------------
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_rewards_home(request.user))
    return render(
        request,
        "rewards/home.html",
        {
            "policy": selectors.current_policy(),
            "offers": selectors.offers(),
            "to_review": selectors.review_queue().count(),
            "waiting": selectors.people_waiting_for_a_choice().count(),
            "fees_to_approve": selectors.approval_queue(Category.FEE).count(),
            "expenses_to_approve": selectors.approval_queue(Category.EXPENSE).count(),
            "batches": selectors.batches()[:5],
            "can_manage": roles.can_manage_rewards(request.user),
            "can_approve": roles.can_approve_payments(request.user),
            "projects_without_offer": Project.objects.filter(reward_offer__isnull=True)
            if roles.can_manage_rewards(request.user)
            else Project.objects.none(),
        },
    )


# --- policy and offers -------------------------------------------------------------------------
@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.is_tenant(request.user) or roles.is_staff_member(request.user))
    return render(
        request,
        "rewards/policy.html",
        {
            "policy": selectors.current_policy(),
            "history": selectors.policy_history(),
            "can_manage": roles.can_manage_rewards(request.user),
        },
    )


@login_required
def policy_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    current = selectors.current_policy()
    form = PolicyForm(
        request.POST or None,
        initial={"text": current.text if current else "", "effective_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        services.policy_publish(
            text=form.cleaned_data["text"],
            effective_from=form.cleaned_data["effective_from"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "The new version of the policy has been saved.")
        return redirect("rewards:policy")
    return render(
        request,
        "rewards/form.html",
        {
            "form": form,
            "title": "Write a new version of the reward policy",
            "back": "rewards:policy",
        },
    )


@login_required
def offer_detail(request: AuthenticatedHttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=project_pk)
    _require(roles.can_read_offer(request.user, project))
    offer = RewardOffer.objects.filter(project=project).first()
    return render(
        request,
        "rewards/offer_detail.html",
        {
            "project": project,
            "offer": offer,
            "policy": selectors.current_policy(),
            "can_manage": roles.can_manage_rewards(request.user),
        },
    )


@login_required
def offer_edit(request: AuthenticatedHttpRequest, project_pk: int) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    project = get_object_or_404(Project, pk=project_pk)
    offer = RewardOffer.objects.filter(project=project).first()
    form = OfferForm(
        request.POST or None,
        instance=offer,
        initial={"applies_from": project.started_on or timezone.localdate()},
    )
    if request.method == "POST" and submit(
        form,
        lambda data: services.offer_save(
            project=project,
            data={name: data[name] for name in OfferForm.Meta.fields},
            actor=request.user,
            request=request,
        ),
    ):
        messages.success(request, "The reward offer has been saved.")
        return redirect("rewards:offer", project_pk=project.pk)
    return render(
        request,
        "rewards/form.html",
        {
            "form": form,
            "title": f"Reward offer for {project.title}",
            "intro": "People see this before they take part. Write it in plain words.",
        },
    )


# --- choices ---------------------------------------------------------------------------------
@login_required
def choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    page = Paginator(selectors.choices_list(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/choices.html",
        {
            "page": page,
            "query": "",
            "waiting": selectors.people_waiting_for_a_choice().order_by("last_name", "id")[:100],
        },
    )


def _choice_form(request: AuthenticatedHttpRequest, person: Person, *, staff: bool) -> ChoiceForm:
    instance = RewardChoice.objects.filter(person=person).first()
    return ChoiceForm(
        request.POST or None,
        instance=instance,
        staff=staff,
        initial=services.choice_initial(person),
    )


def _save_choice(request: AuthenticatedHttpRequest, person: Person, form: ChoiceForm) -> None:
    data = {name: form.cleaned_data.get(name) for name in ChoiceForm.Meta.fields}
    if "advice_offered_on" in form.cleaned_data:
        data["advice_offered_on"] = form.cleaned_data["advice_offered_on"]
    services.choice_save(person=person, data=data, actor=request.user, request=request)


@login_required
def person_rewards(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    person = get_object_or_404(Person, pk=person_pk)
    audit_record(
        action="rewards.person_viewed",
        request=request,
        obj=person,
        summary="Viewed a person's rewards",
    )
    today = timezone.localdate()
    return render(
        request,
        "rewards/person.html",
        {
            "person": person,
            "choice": RewardChoice.objects.filter(person=person).first(),
            "lines": selectors.person_lines(person)[:200],
            "standing": selectors.person_standing(person, today),
        },
    )


@login_required
def person_choice(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    person = get_object_or_404(Person, pk=person_pk)
    form = _choice_form(request, person, staff=True)
    if request.method == "POST" and form.is_valid():
        _save_choice(request, person, form)
        messages.success(request, f"{person.full_name}'s reward choice has been saved.")
        return redirect("rewards:person", person_pk=person.pk)
    return render(
        request,
        "rewards/form.html",
        {"form": form, "title": f"How {person.full_name} would like to be rewarded"},
    )


@login_required
def expense_new(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    person = get_object_or_404(Person, pk=person_pk)
    form = ExpenseForm(request.POST or None, request.FILES or None)
    uploads.add_refusal(request, form, "receipt_file")
    fields = ("kind", "incurred_on", "amount", "description", "paper_receipt_seen")
    if request.method == "POST" and _record_expense(request, form, person, fields):
        messages.success(request, "The expense claim has been recorded.")
        return redirect("rewards:person", person_pk=person.pk)
    return render(
        request,
        "rewards/form.html",
        {"form": form, "title": f"Record an expense for {person.full_name}", "multipart": True},
    )


@login_required
@reauth_required
def receipt(request: AuthenticatedHttpRequest, claim_pk: int) -> FileResponse:
    claim = get_object_or_404(ExpenseClaim.objects.select_related("person"), pk=claim_pk)
    own = roles.is_tenant(request.user) and claim.person.user_id == request.user.pk
    if roles.is_tenant(request.user) and not own:
        raise Http404
    _require(
        own or roles.can_manage_rewards(request.user) or roles.can_approve_payments(request.user)
    )
    if not claim.receipt:
        raise Http404
    return FileResponse(
        claim.receipt.open("rb"), as_attachment=True, filename=claim.receipt.name.rsplit("/", 1)[-1]
    )


# --- review, approval, batches ----------------------------------------------------------------
@login_required
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    if request.method == "POST":
        count = services.lines_review(line_ids=_ids(request), actor=request.user, request=request)
        if count:
            messages.success(request, f"{count} lines sent to finance for approval.")
        else:
            messages.error(request, "Tick at least one line to send for approval.")
        return redirect("rewards:review")
    page = Paginator(selectors.review_queue(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/review.html",
        {
            "page": page,
            "query": "",
            "waiting": selectors.people_waiting_for_a_choice().count(),
        },
    )


@login_required
@require_POST
def accrue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_rewards(request.user))
    result = services.rewards_accrue(actor=request.user, request=request)
    messages.success(
        request,
        f"{result['created']} new reward lines worked out. "
        f"{result['waiting_for_choice']} people still need to choose how to be rewarded.",
    )
    return redirect("rewards:review")


@login_required
def approve(request: AuthenticatedHttpRequest, category: str) -> HttpResponse:
    _require(roles.can_approve_payments(request.user))
    if category not in Category.values:
        raise Http404
    queue = list(selectors.approval_queue(category)[:500])
    warnings = selectors.warnings_for_lines(queue, kind=EntryKind.APPROVED)
    error = ""
    if request.method == "POST":
        try:
            batch = services.batch_approve(
                line_ids=_ids(request),
                category=category,
                approver=request.user,
                confirm_warnings=request.POST.get("confirm_warnings") == "yes",
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if batch is None:
                error = "Tick at least one line that is waiting for approval."
            else:
                messages.success(request, f"Batch {batch.reference} approved.")
                return redirect("rewards:batch", pk=batch.pk)
    return render(
        request,
        "rewards/approve.html",
        {
            "category": category,
            "category_label": Category(category).label,
            "lines": [(line, warnings.get(line.pk, [])) for line in queue],
            "any_warning": bool(warnings),
            "error": error,
        },
    )


@login_required
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_approve_payments(request.user))
    page = Paginator(selectors.batches(), 50).get_page(request.GET.get("page"))
    return render(request, "rewards/batch_list.html", {"page": page, "query": ""})


def _batch(request: AuthenticatedHttpRequest, pk: int) -> PaymentBatch:
    _require(roles.can_approve_payments(request.user))
    return get_object_or_404(PaymentBatch.objects.select_related("approved_by", "paid_by"), pk=pk)


@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return render(
        request,
        "rewards/batch_detail.html",
        {
            "batch": batch,
            "lines": batch.lines.select_related("person", "project").order_by(
                "person__last_name", "id"
            ),
            "bank_total": selectors.batch_bank_total(batch),
        },
    )


@login_required
@require_POST
def batch_paid(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    count = services.batch_mark_paid(batch=batch, actor=request.user, request=request)
    if count:
        messages.success(request, f"{count} payment{'' if count == 1 else 's'} recorded as paid.")
    else:
        messages.info(request, "This batch was already recorded as paid.")
    return redirect("rewards:batch", pk=batch.pk)


def _download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@reauth_required
def batch_bank_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    audit_record(action="rewards.exported", request=request, obj=batch, summary="Bank CSV")
    return _download(exports.bank_csv(batch), f"{batch.reference}-bank.csv", "text/csv")


@login_required
@reauth_required
def batch_bank_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    audit_record(action="rewards.exported", request=request, obj=batch, summary="Bank XLSX")
    return _download(
        exports.bank_xlsx(batch),
        f"{batch.reference}-bank.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@reauth_required
def batch_vouchers_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    audit_record(action="rewards.exported", request=request, obj=batch, summary="Voucher CSV")
    return _download(exports.voucher_csv(batch), f"{batch.reference}-vouchers.csv", "text/csv")


@login_required
def line_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_correct_lines(request.user))
    line = get_object_or_404(RewardLine.objects.select_related("person", "project"), pk=pk)
    form = CorrectionForm(request.POST or None)
    if line.status in (LineStatus.REVERSED, LineStatus.DECLINED):
        form.add_error(None, "This line has already been cancelled, so it cannot be corrected.")
    elif request.method == "POST" and submit(
        form,
        lambda data: services.line_reverse(
            line=line,
            actor=request.user,
            reason=data["reason"],
            new_amount=data["new_amount"],
            request=request,
        ),
    ):
        messages.success(request, "The line has been reversed in the ledger.")
        if roles.can_manage_rewards(request.user):
            return redirect("rewards:person", person_pk=line.person_id)
        return redirect("rewards:batches")
    return render(request, "rewards/correct.html", {"form": form, "line": line})


# --- a tenant's own -------------------------------------------------------------------------
@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    today = timezone.localdate()
    year = tax_year_start(today)
    return render(
        request,
        "rewards/mine.html",
        {
            "person": person,
            "choice": RewardChoice.objects.filter(person=person).first(),
            "offers": selectors.offers_for_person(person),
            "lines": selectors.person_lines(person)[:200],
            "standing": selectors.person_standing(person, today),
            "summary": selectors.year_summary(person, year),
            "years": [year.year - n for n in range(0, 4)],
            "advice": selectors.WELFARE_ADVICE,
        },
    )


@login_required
def mine_choice(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    form = _choice_form(request, person, staff=False)
    if request.method == "POST" and form.is_valid():
        _save_choice(request, person, form)
        messages.success(request, "Thank you. Your choice has been saved.")
        return redirect("rewards:mine")
    return render(
        request,
        "rewards/form.html",
        {
            "form": form,
            "title": "How would you like to be rewarded?",
            "intro": "We ask everyone: you can change your mind at any time. Rewards can affect "
            "benefits and tax, so we can tell you when they might.",
            "back": "rewards:mine",
        },
    )


def _record_expense(
    request: AuthenticatedHttpRequest, form: ExpenseForm, person: Person, fields: tuple[str, ...]
) -> bool:
    """Create the expense claim from the form, if valid; a refusal becomes the form's error."""
    return submit(
        form,
        lambda data: services.expense_claim_create(
            person=person,
            project=data["project"],
            data={n: data[n] for n in fields},
            receipt=data.get("receipt_file"),
            actor=request.user,
            request=request,
        ),
    )


@login_required
def mine_expense(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    form = ExpenseForm(request.POST or None, request.FILES or None, person=person)
    uploads.add_refusal(request, form, "receipt_file")
    fields = ("kind", "incurred_on", "amount", "description")
    if request.method == "POST" and _record_expense(request, form, person, fields):
        messages.success(request, "Thank you. Your claim has been sent to be checked.")
        return redirect("rewards:mine")
    return render(
        request,
        "rewards/form.html",
        {
            "form": form,
            "title": "Claim back a cost",
            "intro": "Costs paid back are not income: they do not affect benefits or tax.",
            "multipart": True,
            "back": "rewards:mine",
        },
    )


@login_required
def mine_summary(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    person = _own_person(request)
    if not 2000 <= year <= 2100:
        raise Http404
    summary = selectors.year_summary(person, dt.date(year, 4, 6))
    if request.GET.get("format") == "csv":
        return _download(
            exports.year_summary_csv(summary), f"rewards-{year}-{year + 1}.csv", "text/csv"
        )
    return render(
        request, "rewards/summary.html", {"summary": summary, "person": person, "year": year}
    )
