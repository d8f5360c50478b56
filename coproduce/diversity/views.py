from __future__ import annotations

import csv
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.reauth import reauth_required
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.suppression import suppress
from coproduce.diversity import selectors, services
from coproduce.diversity.forms import (
    AnswerForm,
    AnswerOnBehalfForm,
    DashboardFilterForm,
    EqualityForm,
    OutreachForm,
    PopulationCountForm,
    QuickQuestionForm,
    StaffEqualityForm,
)
from coproduce.diversity.models import (
    CONSENT_WORDING,
    EqualityConsent,
    EqualityRecord,
    OutreachList,
    PopulationCount,
    QuickQuestion,
    QuickQuestionRecipient,
    RecordedVia,
)
from coproduce.people.models import Person


def _require(check: Any, request: HttpRequest) -> None:
    if not check(request.user):
        raise PermissionDenied


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_diversity, request)
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    board = selectors.dashboard(
        raw=roles.sees_unsuppressed_figures(request.user),
        project=filters.get("project"),
        start=filters.get("start"),
        end=filters.get("end"),
        area=filters.get("area"),
        tenure=filters.get("tenure") or "",
    )
    return render(
        request,
        "diversity/dashboard.html",
        {
            "form": form,
            "board": board,
            "can_ask": roles.can_run_sessions(request.user),
            "can_count": roles.can_manage_population(request.user),
        },
    )


@login_required
def same_old_people(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_diversity, request)
    try:
        n = max(2, min(20, int(request.GET.get("n", "3"))))
    except ValueError:
        n = 3
    data = selectors.concentration(
        raw=roles.sees_unsuppressed_figures(request.user), multi_project_n=n
    )
    return render(request, "diversity/same_old_people.html", {"data": data})


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user_id=request.user.pk or 0).first()
    if person is None:
        raise PermissionDenied
    return person


@login_required
def about_me(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    record = EqualityRecord.objects.filter(person=person).first()
    consent = EqualityConsent.objects.filter(person=person).first()
    initial = {"statistics": consent.statistics, "outreach": consent.outreach} if consent else {}
    form = EqualityForm(request.POST or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data.get(name) for name in services.EQUALITY_FIELDS}
        saved = services.equality_answers_save(
            person=person,
            answers=answers,
            statistics=form.cleaned_data["statistics"],
            outreach=form.cleaned_data["outreach"],
            actor=request.user,
            request=request,
        )
        messages.success(
            request,
            "Thank you. Your answers have been saved."
            if saved
            else "Nothing has been kept, as you did not give consent.",
        )
        return redirect("diversity:about_me")
    return render(
        request,
        "diversity/about_me.html",
        {"form": form, "consent": consent, "wording": CONSENT_WORDING},
    )


@require_POST
@login_required
def about_me_withdraw(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    services.equality_consent_withdraw(person=person, actor=request.user, request=request)
    messages.success(request, "Your answers have been deleted.")
    return redirect("diversity:about_me")


@login_required
def record_for_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff fill the questions in *with* someone on the phone or from a paper form.
    They never see earlier answers: only the data-protection lead can."""
    _require(roles.can_record_equality_for_others, request)
    person = get_object_or_404(Person, pk=pk)
    form = StaffEqualityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data.get(name) for name in services.EQUALITY_FIELDS}
        services.equality_answers_save(
            person=person,
            answers=answers,
            statistics=form.cleaned_data["statistics"],
            outreach=form.cleaned_data["outreach"],
            actor=request.user,
            recorded_via=form.cleaned_data["recorded_via"],
            request=request,
        )
        messages.success(request, f"The answers for {person.full_name} have been saved.")
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "diversity/record_for_person.html",
        {"form": form, "person": person, "wording": CONSENT_WORDING},
    )


@login_required
@reauth_required
def equality_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_read_equality_records, request)
    person = get_object_or_404(Person, pk=pk)
    services.equality_record_view(person=person, actor=request.user, request=request)
    return render(
        request,
        "diversity/equality_record.html",
        {
            "person": person,
            "record": EqualityRecord.objects.filter(person=person).first(),
            "consent": EqualityConsent.objects.filter(person=person).first(),
        },
    )


@require_POST
@login_required
def equality_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_read_equality_records, request)
    person = get_object_or_404(Person, pk=pk)
    services.equality_consent_withdraw(person=person, actor=request.user, request=request)
    messages.success(request, f"The equality answers of {person.full_name} have been deleted.")
    return redirect("diversity:equality_record", pk=person.pk)


@login_required
def population(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_population, request)
    form = PopulationCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.population_count_save(data=form.cleaned_data, actor=request.user, request=request)
        messages.success(request, "The count has been saved.")
        return redirect("diversity:population")
    return render(
        request,
        "diversity/population.html",
        {"form": form, "entries": PopulationCount.objects.select_related("area")},
    )


@require_POST
@login_required
def population_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_manage_population, request)
    services.population_count_delete(
        entry=get_object_or_404(PopulationCount, pk=pk), actor=request.user, request=request
    )
    messages.success(request, "The count has been removed.")
    return redirect("diversity:population")


class OutreachCriteria(TypedDict):
    """Who an outreach list is for: the arguments of ``selectors.outreach_candidates``."""

    characteristic: str
    category: str
    involvement: str
    channel: str
    availability: str


def _outreach_criteria(form: OutreachForm) -> OutreachCriteria:
    data = form.cleaned_data
    key, _, category = (data.get("group") or "").partition(":")
    return {
        "characteristic": key,
        "category": category,
        "involvement": data.get("involvement") or "never",
        "channel": data.get("channel") or "",
        "availability": data.get("availability") or "",
    }


@login_required
def outreach(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_do_outreach, request)
    form = OutreachForm(request.POST or request.GET or None)
    candidates: list[Person] = []
    total = None
    if form.is_bound and form.is_valid():
        criteria = _outreach_criteria(form)
        people = selectors.outreach_candidates(**criteria)
        if request.method == "POST":
            chosen = list(people)
            if not chosen:
                messages.error(request, "Nobody matches, so no list was made.")
            else:
                group = form.cleaned_data["group"] or "anyone"
                name = f"Outreach {timezone.localdate():%d %b %Y}: {group}"
                outreach_list = services.outreach_list_create(
                    name=name, criteria=criteria, people=chosen, actor=request.user, request=request
                )
                return redirect("diversity:outreach_list", pk=outreach_list.pk)
        total = people.count()
        candidates = list(people[:50])
    return render(
        request,
        "diversity/outreach.html",
        {
            "form": form,
            "candidates": candidates,
            "total": total,
            "lists": OutreachList.objects.select_related("created_by")[:20],
        },
    )


@login_required
def outreach_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_do_outreach, request)
    from coproduce.meetings.models import Meeting

    outreach_obj = get_object_or_404(OutreachList, pk=pk)
    people = (
        selectors.outreach_list_people(outreach_obj)
        .select_related("area")
        .order_by("last_name", "first_name")
    )
    upcoming = Meeting.objects.filter(
        starts_at__gte=timezone.now(), status="planned"
    ).select_related("project")
    if request.method == "POST":
        meeting = upcoming.filter(pk=request.POST.get("meeting") or 0).first()
        if meeting is None:
            messages.error(request, "Choose a session to invite the list to.")
        else:
            n = services.outreach_invite(
                outreach=outreach_obj, meeting=meeting, actor=request.user, request=request
            )
            messages.success(request, f"{n} people invited to “{meeting.title}”.")
            return redirect("diversity:outreach_list", pk=outreach_obj.pk)
    return render(
        request,
        "diversity/outreach_list.html",
        {"list": outreach_obj, "people": people, "upcoming": upcoming[:50]},
    )


@login_required
@reauth_required
def outreach_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_do_outreach, request)
    outreach_obj = get_object_or_404(OutreachList, pk=pk)
    services.outreach_list_exported(outreach=outreach_obj, actor=request.user, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outreach-{outreach_obj.pk}.csv"'
    writer = csv.writer(response)
    # Contact details only: the list never carries anyone's equality answers.
    writer.writerow(
        [
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postcode",
            "preferred_channels",
            "availability",
            "accessibility_needs",
            "language_needs",
        ]
    )
    for p in selectors.outreach_list_people(outreach_obj).order_by("last_name", "first_name"):
        writer.writerow(
            [
                p.first_name,
                p.last_name,
                p.email,
                p.phone,
                p.address,
                p.postcode,
                ";".join(p.preferred_channels),
                ";".join(p.availability),
                p.accessibility_needs,
                p.language_needs,
            ]
        )
    return response


@login_required
def quick_questions(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_run_sessions, request)
    can_send = roles.can_send_quick_questions(request.user)
    form = QuickQuestionForm(request.POST or None) if can_send else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            strata = list(data["strata"])
            try:
                question = services.quick_question_send(
                    project=data["project"],
                    title=data["title"],
                    questions=[data["question_1"], data["question_2"], data["question_3"]],
                    choices=data["choices"],
                    several=data["several"],
                    sample_size=data["sample_size"],
                    strata=strata,
                    pool=selectors.quick_question_pool(strata=strata),
                    seed=int(timezone.now().timestamp()) % 100000,
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "The question is on its way.")
                return redirect("diversity:quick_question", pk=question.pk)
    return render(
        request,
        "diversity/quick_questions.html",
        {"form": form, "questions": QuickQuestion.objects.select_related("project")[:50]},
    )


@login_required
def quick_question(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_run_sessions, request)
    question = get_object_or_404(QuickQuestion.objects.select_related("project"), pk=pk)
    recipients = list(question.recipients.select_related("person", "recorded_by"))
    answered = [r for r in recipients if r.answered_at]
    by_channel: dict[str, int] = {}
    by_via: dict[str, int] = {}
    for r in answered:
        by_channel[r.channel] = by_channel.get(r.channel, 0) + 1
        label = RecordedVia(r.recorded_via).label if r.recorded_via else "Not known"
        by_via[label] = by_via.get(label, 0) + 1
    sent = selectors.quick_question_messages(question)
    return render(
        request,
        "diversity/quick_question.html",
        {
            "question": question,
            "recipients": [(r, sent.get(r.pk)) for r in recipients],
            "asked": len(recipients),
            "answered": suppress(
                {"answered": len(answered), "waiting": len(recipients) - len(answered)}
            ),
            "rate": (len(answered) / len(recipients)) if recipients else None,
            "by_channel": suppress(by_channel).cells,
            "by_via": suppress(by_via).cells,
            "tally": selectors.quick_question_tally(question, answered),
            "answers": sorted(answered, key=lambda r: r.answered_at or r.pk),
            "can_print": roles.can_print_letters(request.user),
            "can_enter_slips": roles.can_enter_reply_slips(request.user),
        },
    )


def _answer_form_kwargs(recipient: QuickQuestionRecipient) -> dict[str, Any]:
    question = recipient.question
    return {
        "questions": question.questions,
        "choices": list(question.choices or []),
        "several": question.several,
    }


@login_required
def quick_answer_on_behalf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(roles.can_run_sessions, request)
    recipient = get_object_or_404(
        QuickQuestionRecipient.objects.select_related("question", "person"), pk=pk
    )
    form = AnswerOnBehalfForm(request.POST or None, **_answer_form_kwargs(recipient))
    if request.method == "POST" and form.is_valid():
        services.quick_answer_record(
            recipient=recipient,
            recorded_via=form.cleaned_data["recorded_via"],
            actor=request.user,
            request=request,
            answers=[form.cleaned_data.get(f"answer_{i}", "") for i in (1, 2, 3)],
        )
        messages.success(request, f"The answer from {recipient.person.full_name} is recorded.")
        return redirect("diversity:quick_question", pk=recipient.question_id)
    return render(
        request,
        "diversity/quick_answer.html",
        {"form": form, "recipient": recipient, "on_behalf": True},
    )


def quick_answer_public(request: HttpRequest, token: str) -> HttpResponse:
    """The web link sent by email: no login needed, the secret token is the key."""
    recipient = get_object_or_404(
        QuickQuestionRecipient.objects.select_related("question", "person"), token=token
    )
    form = AnswerForm(request.POST or None, **_answer_form_kwargs(recipient))
    if request.method == "POST" and form.is_valid():
        services.quick_answer_record(
            recipient=recipient,
            recorded_via=RecordedVia.SELF,
            answers=[form.cleaned_data.get(f"answer_{i}", "") for i in (1, 2, 3)],
        )
        return render(request, "diversity/quick_answer_thanks.html")
    return render(
        request,
        "diversity/quick_answer.html",
        {"form": form, "recipient": recipient, "on_behalf": False},
    )
