from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.promises import selectors, services
from coproduce.promises.diff import word_diff
from coproduce.promises.forms import (
    BoardDecisionForm,
    BoardMeetingForm,
    CommentForm,
    EditForm,
    ProposalForm,
    SetForm,
    VoteForm,
)
from coproduce.promises.models import (
    TRANSITIONS,
    CoDesigner,
    Promise,
    PromiseSet,
    Proposal,
    ProposalStatus,
    SetStatus,
    Via,
)


def _get_set_for_user(request: HttpRequest, pk: int) -> PromiseSet:
    promise_set = get_object_or_404(PromiseSet.objects.select_related("project"), pk=pk)
    if not selectors.can_see_set(request.user, promise_set):
        raise PermissionDenied
    return promise_set


def _actor_and_person(
    request: HttpRequest, promise_set: PromiseSet, form: forms.Form
) -> tuple[Person, str]:
    """Who is acting: a tenant in the group for themselves, or staff on someone's behalf."""
    person = selectors.member_person(request.user, promise_set)
    if person is not None:
        return person, Via.WEB
    if roles.can_run_sessions(request.user) and "person" in form.cleaned_data:
        members = {p.pk: p for p in selectors.group_members(promise_set)}
        chosen = members.get(form.cleaned_data["person"])
        if chosen is None:
            raise ValidationError("Choose a member of the group.")
        return chosen, form.cleaned_data.get("via") or Via.PHONE
    raise PermissionDenied


def _can_act(request: HttpRequest, promise_set: PromiseSet) -> bool:
    return selectors.member_person(request.user, promise_set) is not None or roles.can_run_sessions(
        request.user
    )


@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    sets = selectors.sets_for_user(request.user)
    form = SetForm(request.POST or None) if roles.can_manage_projects(request.user) else None
    projects = Project.objects.order_by("title") if form else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        project = Project.objects.filter(pk=request.POST.get("project") or 0).first()
        if form.is_valid() and project is not None:
            promise_set = services.set_create(
                project=project, actor=request.user, request=request, **form.cleaned_data
            )
            return redirect("promises:set", pk=promise_set.pk)
        messages.error(request, "Choose a project and a name for the set.")
    return render(
        request, "promises/set_list.html", {"sets": sets, "form": form, "projects": projects}
    )


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    number, count_tally = services.agreed_count(promise_set)
    me = selectors.member_person(request.user, promise_set)
    allowed_moves = [(s, SetStatus(s).label) for s in TRANSITIONS[promise_set.status]]
    can_move = roles.can_manage_projects(request.user) or (
        me is not None and promise_set.status == SetStatus.DRAFTING
    )
    return render(
        request,
        "promises/set_detail.html",
        {
            "set": promise_set,
            "promises": selectors.live_promises(promise_set),
            "open": promise_set.proposals.filter(status=ProposalStatus.OPEN).select_related(
                "promise", "proposed_by"
            ),
            "decided": promise_set.proposals.exclude(status=ProposalStatus.OPEN).select_related(
                "promise", "proposed_by"
            )[:30],
            "ranking": selectors.ranking_result(promise_set),
            "number": number,
            "count_tally": count_tally,
            "me": me,
            "can_act": _can_act(request, promise_set),
            "drafting": promise_set.status in (SetStatus.DRAFTING, SetStatus.RETURNED),
            "can_manage": roles.can_manage_projects(request.user),
            "moves": allowed_moves if can_move else [],
            "board_meetings": promise_set.board_meetings.prefetch_related(
                "decisions__promise", "presenters"
            ),
        },
    )


@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not _can_act(request, promise_set):
        raise PermissionDenied
    staff = selectors.member_person(request.user, promise_set) is None
    promises = selectors.live_promises(promise_set)
    form = ProposalForm(
        request.POST or None,
        promises=promises,
        members=selectors.group_members(promise_set) if staff else None,
        initial={"promise": request.GET.get("promise")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {p.pk: p for p in promises}
        try:
            person, via = _actor_and_person(request, promise_set, form)
            proposal = services.proposal_create(
                promise_set=promise_set,
                kind=data["kind"],
                data=data,
                person=person,
                actor=request.user,
                via=via,
                promise=by_pk.get(data.get("promise") or 0),
                other_promise=by_pk.get(data.get("other_promise") or 0),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else [
                form.add_error(field if field in form.fields else None, errors)
                for field, errors in exc.error_dict.items()
            ]
        else:
            messages.success(request, "Your proposal is open for the group to discuss and vote.")
            return redirect("promises:proposal", pk=proposal.pk)
    return render(
        request, "promises/propose.html", {"set": promise_set, "form": form, "staff": staff}
    )


def _proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    promise_set = proposal.promise_set
    staff = selectors.member_person(request.user, promise_set) is None
    members = selectors.group_members(promise_set) if staff else None
    before = ""
    if proposal.promise is not None:
        version = proposal.promise.versions.filter(version=proposal.base_version).first()
        before = version.wording if version else proposal.promise.wording
    vote_form = VoteForm(prefix="vote")
    comment_form = CommentForm(prefix="comment")
    if members is not None:
        vote_form.add_on_behalf(members)
        comment_form.add_on_behalf(members)
    me = selectors.member_person(request.user, promise_set)
    return {
        "proposal": proposal,
        "set": promise_set,
        "diff": word_diff(before, proposal.wording),
        "diff_2": word_diff("", proposal.wording_2) if proposal.wording_2 else None,
        "tally": services.tally(proposal),
        "votes": proposal.votes.select_related("person"),
        "comments": proposal.comments.select_related("person", "user"),
        "vote_form": vote_form,
        "comment_form": comment_form,
        "staff": staff,
        "can_act": _can_act(request, promise_set),
        "can_decide": proposal.status == ProposalStatus.OPEN
        and (
            me is not None
            or (promise_set.staff_may_decide and roles.can_run_sessions(request.user))
        ),
        "my_vote": proposal.votes.filter(person=me).first() if me else None,
    }


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "promise_set__project", "promise", "other_promise", "proposed_by", "recorded_by"
        ),
        pk=pk,
    )
    if not selectors.can_see_set(request.user, proposal.promise_set):
        raise PermissionDenied
    context = _proposal_context(request, proposal)
    if request.method == "POST":
        if not context["can_act"]:
            raise PermissionDenied
        action = request.POST.get("action")
        form: forms.Form
        if action == "vote":
            form = VoteForm(request.POST, prefix="vote")
        elif action == "comment":
            form = CommentForm(request.POST, prefix="comment")
        else:
            raise Http404
        if context["staff"]:
            form.add_on_behalf(selectors.group_members(proposal.promise_set))  # type: ignore[attr-defined]
        if form.is_valid():
            try:
                person, via = _actor_and_person(request, proposal.promise_set, form)
                if action == "vote":
                    services.vote_cast(
                        proposal=proposal,
                        person=person,
                        choice=form.cleaned_data["choice"],
                        actor=request.user,
                        via=via,
                        request=request,
                    )
                    messages.success(request, "Your vote has been counted.")
                else:
                    services.comment_add(
                        proposal=proposal,
                        text=form.cleaned_data["text"],
                        person=person,
                        actor=request.user,
                        via=via,
                        request=request,
                    )
                    messages.success(request, "Your comment has been added.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("promises:proposal", pk=proposal.pk)
        context["vote_form" if action == "vote" else "comment_form"] = form
    return render(request, "promises/proposal.html", context)


@require_POST
@login_required
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("promise_set__project"), pk=pk)
    promise_set = proposal.promise_set
    me = selectors.member_person(request.user, promise_set)
    if me is None and not (promise_set.staff_may_decide and roles.can_run_sessions(request.user)):
        raise PermissionDenied
    try:
        proposal = services.proposal_decide(
            proposal=proposal, person=me, actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The group's decision: {proposal.get_status_display()}.")
    return redirect("promises:proposal", pk=proposal.pk)


@login_required
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_object_or_404(Promise.objects.select_related("promise_set__project"), pk=pk)
    promise_set = promise.promise_set
    if not selectors.can_see_set(request.user, promise_set):
        raise PermissionDenied
    me = selectors.member_person(request.user, promise_set)
    drafting = promise_set.status in (SetStatus.DRAFTING, SetStatus.RETURNED)
    can_edit = drafting and me is not None
    form = EditForm(
        request.POST or None,
        initial={
            "title": promise.title,
            "wording": promise.wording,
            "in_practice": promise.in_practice,
            "version": promise.version,
        },
    )
    conflict = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.promise_edit(
                    promise=promise,
                    title=form.cleaned_data["title"],
                    wording=form.cleaned_data["wording"],
                    in_practice=form.cleaned_data["in_practice"],
                    expected_version=form.cleaned_data["version"],
                    person=me,
                    actor=request.user,
                    request=request,
                )
            except services.StaleEdit as stale:
                # Keep what they typed; show the other person's saved text beside it.
                conflict = {
                    "current": stale.current,
                    "diff": word_diff(stale.current.wording, form.cleaned_data["wording"]),
                }
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form = EditForm(data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "The promise has been saved.")
                return redirect("promises:promise", pk=promise.pk)
    versions = list(promise.versions.select_related("changed_by_person", "changed_by_user"))
    history = []
    previous = ""
    for version in versions:
        diff = (
            word_diff(previous, version.wording)
            if previous
            else word_diff(version.wording, version.wording)
        )
        history.append({"version": version, "diff": diff})
        previous = version.wording
    return render(
        request,
        "promises/promise.html",
        {
            "promise": promise,
            "set": promise_set,
            "history": list(reversed(history)),
            "form": form,
            "can_edit": can_edit,
            "conflict": conflict,
            "board": promise.board_decisions.select_related("meeting"),
        },
    )


@login_required
def rank(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not _can_act(request, promise_set):
        raise PermissionDenied
    promises = selectors.live_promises(promise_set)
    staff = selectors.member_person(request.user, promise_set) is None
    places = [(str(i), str(i)) for i in range(1, len(promises) + 1)]

    fields: dict[str, forms.Field] = {
        f"place_{p.pk}": forms.ChoiceField(label=p.title, choices=[("", "Choose")] + places)
        for p in promises
    }
    fields["count"] = forms.IntegerField(
        label="How many promises should there be?", min_value=1, max_value=30, required=False
    )
    form_class = type("RankForm", (forms.Form,), fields)
    form = form_class(request.POST or None)
    if staff:
        VoteForm.add_on_behalf(form, selectors.group_members(promise_set))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        chosen = {p.pk: int(form.cleaned_data[f"place_{p.pk}"]) for p in promises}
        if len(set(chosen.values())) != len(chosen):
            form.add_error(None, "Give each promise a different place: 1 for the most important.")
        else:
            try:
                person, via = _actor_and_person(request, promise_set, form)
                services.ballot_cast(
                    promise_set=promise_set,
                    person=person,
                    ranking=sorted(chosen, key=chosen.__getitem__),
                    count=form.cleaned_data.get("count"),
                    actor=request.user,
                    via=via,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Your ranking has been counted.")
                return redirect("promises:set", pk=promise_set.pk)
    return render(request, "promises/rank.html", {"set": promise_set, "form": form, "staff": staff})


@require_POST
@login_required
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    to = request.POST.get("to", "")
    me = selectors.member_person(request.user, promise_set)
    tenant_agrees = (
        me is not None and promise_set.status == SetStatus.DRAFTING and to == SetStatus.AGREED
    )
    if not (roles.can_manage_projects(request.user) or tenant_agrees):
        raise PermissionDenied
    try:
        services.set_transition(promise_set=promise_set, to=to, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The set has moved on.")
    return redirect("promises:set", pk=promise_set.pk)


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    members = selectors.group_members(promise_set)
    meeting = promise_set.board_meetings.order_by("-held_on", "-id").first()
    meeting_form = BoardMeetingForm(
        request.POST if request.POST.get("action") == "meeting" else None, members=members
    )
    if request.method == "POST" and request.POST.get("action") == "meeting":
        if meeting_form.is_valid():
            chosen = [p for p in members if p.pk in meeting_form.cleaned_data["presenters"]]
            services.board_meeting_record(
                promise_set=promise_set,
                held_on=meeting_form.cleaned_data["held_on"],
                presenters=chosen,
                notes=meeting_form.cleaned_data["notes"],
                actor=request.user,
                request=request,
            )
            messages.success(request, "The board meeting has been recorded.")
            return redirect("promises:board", pk=promise_set.pk)
    decision_forms = []
    if meeting is not None:
        existing = {d.promise_id: d for d in meeting.decisions.all()}
        for promise in selectors.live_promises(promise_set):
            prefix = f"p{promise.pk}"
            bound = request.POST if request.POST.get("action") == prefix else None
            instance = existing.get(promise.pk)
            initial = (
                {
                    k: getattr(instance, k)
                    for k in (
                        "decision",
                        "requested_change",
                        "reason",
                        "tenant_response",
                        "tenant_reason",
                        "final",
                    )
                }
                if instance
                else {}
            )
            form = BoardDecisionForm(bound, prefix=prefix, initial=initial)
            if bound is not None and form.is_valid():
                try:
                    services.board_decision_record(
                        meeting=meeting,
                        promise=promise,
                        data=form.cleaned_data,
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    for field, errors in exc.error_dict.items():
                        form.add_error(field, errors)
                else:
                    messages.success(request, f"The decision on “{promise.title}” is recorded.")
                    return redirect("promises:board", pk=promise_set.pk)
            decision_forms.append((promise, form, instance))
    return render(
        request,
        "promises/board.html",
        {
            "set": promise_set,
            "meeting": meeting,
            "meeting_form": meeting_form,
            "decision_forms": decision_forms,
        },
    )


@login_required
def credits(request: HttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    members = selectors.group_members(promise_set)
    if request.method == "POST":
        for person in members:
            services.co_designer_set(
                promise_set=promise_set,
                person=person,
                consent=request.POST.get(f"consent_{person.pk}") == "on",
                name_as=request.POST.get(f"name_{person.pk}", person.full_name)[:100],
                actor=request.user,
                request=request,
            )
        messages.success(request, "Who may be named has been saved.")
        return redirect("promises:set", pk=promise_set.pk)
    existing = {c.person_id: c for c in promise_set.co_designers.all()}
    rows = [(p, existing.get(p.pk)) for p in members]
    return render(request, "promises/credits.html", {"set": promise_set, "rows": rows})


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """The published promises, for anyone: no login."""
    promise_set = get_object_or_404(PromiseSet, pk=pk, status=SetStatus.PUBLISHED)
    named = CoDesigner.objects.filter(promise_set=promise_set, consent_to_be_named=True).order_by(
        "name_as"
    )
    others = CoDesigner.objects.filter(promise_set=promise_set, consent_to_be_named=False).count()
    return render(
        request,
        "promises/public.html",
        {
            "set": promise_set,
            "promises": selectors.live_promises(promise_set),
            "named": named,
            "others": others,
            "large": request.GET.get("large") == "1",
            "print": request.GET.get("print") == "1",
        },
    )


def public_latest(request: HttpRequest) -> HttpResponse:
    latest = (
        PromiseSet.objects.filter(status=SetStatus.PUBLISHED)
        .order_by("-published_on", "-id")
        .first()
    )
    if latest is None:
        raise Http404
    return redirect("promises:public", pk=latest.pk)
