from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.forms import show_refusal, submit
from coproduce.core.per_request import once_per_request
from coproduce.people.models import Person
from coproduce.promises import selectors, services
from coproduce.promises.diff import word_diff
from coproduce.promises.forms import (
    BoardDecisionForm,
    BoardMeetingForm,
    CommentForm,
    CreditsForm,
    EditForm,
    ProposalForm,
    RankForm,
    SetForm,
    StatusForm,
    VoteForm,
)
from coproduce.promises.models import (
    TRANSITIONS,
    BoardPromiseDecision,
    CoDesigner,
    Promise,
    PromiseSet,
    Proposal,
    ProposalStatus,
    SetStatus,
    Via,
)


def _get_set_for_user(request: AuthenticatedHttpRequest, pk: int) -> PromiseSet:
    promise_set = get_object_or_404(PromiseSet.objects.select_related("project"), pk=pk)
    if not roles.can_see_set(request.user, promise_set):
        raise PermissionDenied
    return promise_set


def _member(request: AuthenticatedHttpRequest, promise_set: PromiseSet) -> Person | None:
    """The signed-in tenant's person in this set's group: asked once per request, though the
    page and its permission checks all need it."""
    return once_per_request(
        request,
        ("promise_member", promise_set.project_id),
        lambda: selectors.member_person(request.user, promise_set),
    )


def _actor_and_person(
    request: AuthenticatedHttpRequest, promise_set: PromiseSet, form: forms.Form
) -> tuple[Person, str]:
    """Who is acting: a tenant in the group for themselves, or staff on someone's behalf."""
    person = _member(request, promise_set)
    if person is not None:
        return person, Via.WEB
    if roles.can_run_sessions(request.user) and "person" in form.cleaned_data:
        members = {p.pk: p for p in selectors.group_members(promise_set)}
        chosen = members.get(form.cleaned_data["person"])
        if chosen is None:
            raise ValidationError("Choose a member of the group.")
        return chosen, form.cleaned_data.get("via") or Via.PHONE
    raise PermissionDenied


def _can_act(request: AuthenticatedHttpRequest, promise_set: PromiseSet) -> bool:
    return _member(request, promise_set) is not None or roles.can_run_sessions(request.user)


@login_required
def set_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sets = selectors.sets_for_user(request.user)
    form = SetForm(request.POST or None) if roles.can_manage_projects(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            promise_set = services.set_create(
                project=form.cleaned_data["project"],
                title=form.cleaned_data["title"],
                decision_rule=form.cleaned_data["decision_rule"],
                actor=request.user,
                request=request,
            )
            return redirect("promises:set", pk=promise_set.pk)
    return render(request, "promises/set_list.html", {"sets": sets, "form": form})


@login_required
def set_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    number, count_tally = services.agreed_count(promise_set)
    me = _member(request, promise_set)
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
def propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not _can_act(request, promise_set):
        raise PermissionDenied
    staff = _member(request, promise_set) is None
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
            show_refusal(form, exc)
        else:
            messages.success(request, "Your proposal is open for the group to discuss and vote.")
            return redirect("promises:proposal", pk=proposal.pk)
    return render(
        request, "promises/propose.html", {"set": promise_set, "form": form, "staff": staff}
    )


def _proposal_page(
    request: AuthenticatedHttpRequest,
    proposal: Proposal,
    *,
    vote_form: VoteForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The proposal with its vote and comment forms; a form that failed keeps its errors."""
    promise_set = proposal.promise_set
    me = _member(request, promise_set)
    staff = me is None
    members = selectors.group_members(promise_set) if staff else None
    before = ""
    if proposal.promise is not None:
        version = (
            proposal.promise.versions.filter(version=proposal.base_version).first()
            if proposal.base_version is not None
            else None
        )
        before = version.wording if version else proposal.promise.wording
    # read once: listed on the page, counted, and the person's own vote found among them
    votes = list(proposal.votes.select_related("person"))
    return render(
        request,
        "promises/proposal.html",
        {
            "proposal": proposal,
            "set": promise_set,
            "diff": word_diff(before, proposal.wording),
            "diff_2": word_diff("", proposal.wording_2) if proposal.wording_2 else None,
            "tally": services.tally(proposal, votes),
            "votes": votes,
            "comments": proposal.comments.select_related("person", "user"),
            "vote_form": vote_form or VoteForm(prefix="vote", members=members),
            "comment_form": comment_form or CommentForm(prefix="comment", members=members),
            "staff": staff,
            "can_act": _can_act(request, promise_set),
            "can_decide": proposal.status == ProposalStatus.OPEN
            and (
                me is not None
                or (promise_set.staff_may_decide and roles.can_run_sessions(request.user))
            ),
            "my_vote": next((v for v in votes if v.person_id == me.pk), None) if me else None,
        },
    )


def _get_proposal_for_user(request: AuthenticatedHttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "promise_set__project", "promise", "other_promise", "proposed_by", "recorded_by"
        ),
        pk=pk,
    )
    if not roles.can_see_set(request.user, proposal.promise_set):
        raise PermissionDenied
    return proposal


def _get_proposal_to_act(
    request: AuthenticatedHttpRequest, pk: int
) -> tuple[Proposal, list[Person] | None]:
    """The proposal, for someone who may vote or comment on it; and the members, for staff."""
    proposal = _get_proposal_for_user(request, pk)
    if not _can_act(request, proposal.promise_set):
        raise PermissionDenied
    staff = _member(request, proposal.promise_set) is None
    return proposal, selectors.group_members(proposal.promise_set) if staff else None


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, _get_proposal_for_user(request, pk))


@require_POST
@login_required
def vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal, members = _get_proposal_to_act(request, pk)
    form = VoteForm(request.POST, prefix="vote", members=members)

    def cast(data: dict[str, Any]) -> None:
        person, via = _actor_and_person(request, proposal.promise_set, form)
        services.vote_cast(
            proposal=proposal,
            person=person,
            choice=data["choice"],
            actor=request.user,
            via=via,
            request=request,
        )

    if submit(form, cast):
        messages.success(request, "Your vote has been counted.")
        return redirect("promises:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, vote_form=form)


@require_POST
@login_required
def comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal, members = _get_proposal_to_act(request, pk)
    form = CommentForm(request.POST, prefix="comment", members=members)

    def add(data: dict[str, Any]) -> None:
        person, via = _actor_and_person(request, proposal.promise_set, form)
        services.comment_add(
            proposal=proposal,
            text=data["text"],
            person=person,
            actor=request.user,
            via=via,
            request=request,
        )

    if submit(form, add):
        messages.success(request, "Your comment has been added.")
        return redirect("promises:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, comment_form=form)


@require_POST
@login_required
def proposal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("promise_set__project"), pk=pk)
    promise_set = proposal.promise_set
    me = _member(request, promise_set)
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
def promise_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise = get_object_or_404(Promise.objects.select_related("promise_set__project"), pk=pk)
    promise_set = promise.promise_set
    if not roles.can_see_set(request.user, promise_set):
        raise PermissionDenied
    me = _member(request, promise_set)
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
def rank(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    if not _can_act(request, promise_set):
        raise PermissionDenied
    staff = _member(request, promise_set) is None
    form = RankForm(
        request.POST or None,
        promises=selectors.live_promises(promise_set),
        members=selectors.group_members(promise_set) if staff else None,
    )

    def cast(data: dict[str, Any]) -> None:
        person, via = _actor_and_person(request, promise_set, form)
        services.ballot_cast(
            promise_set=promise_set,
            person=person,
            ranking=form.ranking(),
            count=data.get("count"),
            actor=request.user,
            via=via,
            request=request,
        )

    if request.method == "POST" and submit(form, cast):
        messages.success(request, "Your ranking has been counted.")
        return redirect("promises:set", pk=promise_set.pk)
    return render(request, "promises/rank.html", {"set": promise_set, "form": form, "staff": staff})


@require_POST
@login_required
def set_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_for_user(request, pk)
    form = StatusForm(request.POST)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    me = _member(request, promise_set)
    tenant_agrees = (
        me is not None and promise_set.status == SetStatus.DRAFTING and to == SetStatus.AGREED
    )
    if not (roles.can_manage_projects(request.user) or tenant_agrees):
        raise PermissionDenied
    try:
        if not to:
            raise ValidationError("Choose where the set moves to.")
        services.set_transition(promise_set=promise_set, to=to, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The set has moved on.")
    return redirect("promises:set", pk=promise_set.pk)


# The board meeting ----------------------------------------------------------------------------


def _get_set_to_manage(request: AuthenticatedHttpRequest, pk: int) -> PromiseSet:
    promise_set = _get_set_for_user(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    return promise_set


def _decision_form(
    promise: Promise, existing: BoardPromiseDecision | None, data: QueryDict | None = None
) -> BoardDecisionForm:
    initial = {f: getattr(existing, f) for f in BoardDecisionForm.base_fields} if existing else {}
    return BoardDecisionForm(data, prefix=f"p{promise.pk}", initial=initial)


def _board_page(
    request: AuthenticatedHttpRequest,
    promise_set: PromiseSet,
    *,
    meeting_form: BoardMeetingForm | None = None,
    failed: BoardDecisionForm | None = None,
) -> HttpResponse:
    """The latest board meeting's decision forms and a form to record a meeting."""
    meeting = promise_set.board_meetings.order_by("-held_on", "-id").first()
    decision_forms = []
    if meeting is not None:
        existing = {d.promise_id: d for d in meeting.decisions.all()}
        for promise in selectors.live_promises(promise_set):
            instance = existing.get(promise.pk)
            form = _decision_form(promise, instance)
            if failed is not None and failed.prefix == form.prefix:
                form = failed
            decision_forms.append((promise, form, instance))
    return render(
        request,
        "promises/board.html",
        {
            "set": promise_set,
            "meeting": meeting,
            "meeting_form": meeting_form
            or BoardMeetingForm(members=selectors.group_members(promise_set)),
            "decision_forms": decision_forms,
            "failed": failed,
        },
    )


@login_required
def board(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _board_page(request, _get_set_to_manage(request, pk))


@require_POST
@login_required
def board_meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_to_manage(request, pk)
    form = BoardMeetingForm(request.POST, members=selectors.group_members(promise_set))
    if form.is_valid():
        services.board_meeting_record(
            promise_set=promise_set,
            held_on=form.cleaned_data["held_on"],
            presenters=form.chosen_presenters(),
            notes=form.cleaned_data["notes"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "The board meeting has been recorded.")
        return redirect("promises:board", pk=promise_set.pk)
    return _board_page(request, promise_set, meeting_form=form)


@require_POST
@login_required
def board_decision(request: AuthenticatedHttpRequest, pk: int, promise_pk: int) -> HttpResponse:
    promise_set = _get_set_to_manage(request, pk)
    meeting = promise_set.board_meetings.order_by("-held_on", "-id").first()
    if meeting is None:
        raise Http404
    promise = get_object_or_404(Promise, pk=promise_pk, promise_set=promise_set, dropped=False)
    existing = meeting.decisions.filter(promise=promise).first()
    form = _decision_form(promise, existing, request.POST)
    if submit(
        form,
        lambda data: services.board_decision_record(
            meeting=meeting, promise=promise, data=data, actor=request.user, request=request
        ),
    ):
        messages.success(request, f"The decision on “{promise.title}” is recorded.")
        return redirect("promises:board", pk=promise_set.pk)
    return _board_page(request, promise_set, failed=form)


@login_required
def credits(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise_set = _get_set_to_manage(request, pk)
    existing = {c.person_id: c for c in promise_set.co_designers.all()}
    rows = [(p, existing.get(p.pk)) for p in selectors.group_members(promise_set)]
    form = CreditsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        for person, _ in rows:
            services.co_designer_set(
                promise_set=promise_set,
                person=person,
                consent=form.cleaned_data[f"consent_{person.pk}"],
                name_as=form.cleaned_data[f"name_{person.pk}"],
                actor=request.user,
                request=request,
            )
        messages.success(request, "Who may be named has been saved.")
        return redirect("promises:set", pk=promise_set.pk)
    return render(request, "promises/credits.html", {"set": promise_set, "form": form})


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
