"""Every write to promise sets. Tenants decide; staff record on behalf of people offline."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.promises.models import (
    TRANSITIONS,
    Ballot,
    BoardMeeting,
    BoardPromiseDecision,
    CoDesigner,
    Comment,
    DecisionRule,
    Promise,
    PromiseSet,
    PromiseVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    SetStatus,
    Via,
    Vote,
    VoteChoice,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from coproduce.accounts.models import User


class StaleEdit(Exception):
    """Someone else saved this promise first. Carries their saved text."""

    def __init__(self, current: Promise) -> None:
        super().__init__("Someone else changed this promise while you were editing it.")
        self.current = current


def _version(
    promise: Promise,
    *,
    note: str,
    person: Person | None = None,
    user: User | None = None,
    proposal: Proposal | None = None,
) -> PromiseVersion:
    return PromiseVersion.objects.create(
        promise=promise,
        version=promise.version,
        title=promise.title,
        wording=promise.wording,
        in_practice=promise.in_practice,
        note=note[:300],
        proposal=proposal,
        changed_by_person=person,
        changed_by_user=user,
    )


@transaction.atomic
def set_create(
    *,
    project: Any,
    title: str,
    decision_rule: str,
    actor: User,
    request: HttpRequest | None = None,
    replaces: PromiseSet | None = None,
) -> PromiseSet:
    promise_set = PromiseSet.objects.create(
        project=project, title=title, decision_rule=decision_rule, replaces=replaces
    )
    audit_record(
        action="promises.set_created", actor=actor, obj=promise_set, request=request, summary=title
    )
    return promise_set


def _require_drafting(promise_set: PromiseSet) -> None:
    if promise_set.status not in (SetStatus.DRAFTING, SetStatus.RETURNED):
        raise ValidationError("The wording can only change while the set is being drafted.")


@transaction.atomic
def proposal_create(
    *,
    promise_set: PromiseSet,
    kind: str,
    data: dict[str, Any],
    person: Person | None,
    actor: User,
    via: str = Via.WEB,
    promise: Promise | None = None,
    other_promise: Promise | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    _require_drafting(promise_set)
    errors: dict[str, str] = {}
    if kind != ProposalKind.NEW and promise is None:
        errors["promise"] = "Choose the promise this is about."
    if kind == ProposalKind.MERGE and (other_promise is None or other_promise == promise):
        errors["other_promise"] = "Choose a different promise to merge with."
    if kind in (ProposalKind.NEW, ProposalKind.REWORD, ProposalKind.MERGE, ProposalKind.SPLIT):
        if not (data.get("title") or "").strip():
            errors["title"] = "Give the promise a short title."
        if not (data.get("wording") or "").strip():
            errors["wording"] = "Write the promise wording."
    if kind == ProposalKind.SPLIT and not (data.get("wording_2") or "").strip():
        errors["wording_2"] = "Write the wording of the second promise."
    if (
        kind == ProposalKind.REWORD
        and promise is not None
        and (data.get("wording") or "").strip() == promise.wording.strip()
        and (data.get("title") or "").strip() == promise.title.strip()
    ):
        errors["wording"] = "The new wording is the same as the current one."
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        promise_set=promise_set,
        kind=kind,
        promise=promise,
        other_promise=other_promise,
        base_version=promise.version if promise else None,
        title=(data.get("title") or "").strip(),
        wording=(data.get("wording") or "").strip(),
        in_practice=(data.get("in_practice") or "").strip(),
        title_2=(data.get("title_2") or "").strip(),
        wording_2=(data.get("wording_2") or "").strip(),
        reason=(data.get("reason") or "").strip(),
        proposed_by=person,
        recorded_by=actor if via != Via.WEB else None,
        via=via,
    )
    audit_record(
        action="promises.proposed",
        actor=actor,
        obj=proposal,
        request=request,
        summary=str(proposal)[:200],
    )
    return proposal


@transaction.atomic
def comment_add(
    *,
    proposal: Proposal,
    text: str,
    person: Person | None,
    actor: User,
    via: str = Via.WEB,
    request: HttpRequest | None = None,
) -> Comment:
    if not text.strip():
        raise ValidationError("Write a comment first.")
    return Comment.objects.create(
        proposal=proposal, text=text.strip(), person=person, user=actor, via=via
    )


@transaction.atomic
def vote_cast(
    *,
    proposal: Proposal,
    person: Person,
    choice: str,
    actor: User,
    via: str = Via.WEB,
    request: HttpRequest | None = None,
) -> Vote:
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError("Voting on this proposal has closed.")
    if choice not in VoteChoice.values:
        raise ValidationError("Choose for, against or abstain.")
    vote, _ = Vote.objects.update_or_create(
        proposal=proposal,
        person=person,
        defaults={"choice": choice, "via": via, "recorded_by": actor if via != Via.WEB else None},
    )
    if via != Via.WEB:
        audit_record(
            action="promises.vote_recorded",
            actor=actor,
            obj=person,
            request=request,
            summary=f"Vote recorded {Via(via).label.lower()} on proposal #{proposal.pk}",
        )
    return vote


def tally(proposal: Proposal, votes: Iterable[Vote] | None = None) -> dict[str, int]:
    """Votes for, against and abstaining; from `votes` when the caller has read them already."""
    counts = {choice: 0 for choice in VoteChoice.values}
    choices = (
        (v.choice for v in votes)
        if votes is not None
        else proposal.votes.values_list("choice", flat=True)
    )
    for choice in choices:
        counts[choice] += 1
    return counts


def outcome(proposal: Proposal, counts: dict[str, int]) -> str:
    """What the group's rule says, from the votes."""
    if proposal.promise_set.decision_rule == DecisionRule.CONSENT:
        return ProposalStatus.REJECTED if counts["against"] else ProposalStatus.ACCEPTED
    return ProposalStatus.ACCEPTED if counts["for"] > counts["against"] else ProposalStatus.REJECTED


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, person: Person | None, actor: User, request: HttpRequest | None = None
) -> Proposal:
    """Close the vote and apply the result with the group's rule."""
    proposal = (
        Proposal.objects.select_for_update().select_related("promise_set").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError("This proposal has already been decided.")
    counts = tally(proposal)
    votes = sum(counts.values())
    if votes < proposal.promise_set.min_votes:
        raise ValidationError(
            f"At least {proposal.promise_set.min_votes} people need to vote before this can be "
            f"decided; {votes} have so far."
        )
    result = outcome(proposal, counts)
    if result == ProposalStatus.ACCEPTED:
        result = _apply(proposal, person=person, user=actor)
    proposal.status = result
    proposal.decided_at = timezone.now()
    proposal.decided_by = person
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        action=f"promises.proposal_{result}",
        actor=actor,
        obj=proposal,
        request=request,
        summary=f"{counts['for']} for, {counts['against']} against, {counts['abstain']} abstained",
    )
    return proposal


def _next_position(promise_set: PromiseSet) -> int:
    last = promise_set.promises.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _apply(proposal: Proposal, *, person: Person | None, user: User) -> str:
    promise_set = proposal.promise_set
    note = f"Proposal #{proposal.pk} accepted by the group"
    targets = [p for p in (proposal.promise, proposal.other_promise) if p is not None]
    for target in targets:
        current = Promise.objects.select_for_update().get(pk=target.pk)
        expected = proposal.base_version if target == proposal.promise else None
        if current.dropped or (expected is not None and current.version != expected):
            return ProposalStatus.SUPERSEDED
    if proposal.kind == ProposalKind.NEW:
        promise = Promise.objects.create(
            promise_set=promise_set,
            title=proposal.title,
            wording=proposal.wording,
            in_practice=proposal.in_practice,
            position=_next_position(promise_set),
        )
        _version(promise, note=note, person=person, user=user, proposal=proposal)
    elif proposal.kind == ProposalKind.REWORD:
        assert proposal.promise_id is not None  # a rewording always names its promise
        promise = Promise.objects.select_for_update().get(pk=proposal.promise_id)
        promise.title, promise.wording = proposal.title, proposal.wording
        promise.in_practice = proposal.in_practice or promise.in_practice
        promise.version += 1
        promise.save(update_fields=["title", "wording", "in_practice", "version", "updated_at"])
        _version(promise, note=note, person=person, user=user, proposal=proposal)
    elif proposal.kind == ProposalKind.DROP:
        assert proposal.promise_id is not None  # so does a drop
        Promise.objects.filter(pk=proposal.promise_id).update(dropped=True)
    elif proposal.kind in (ProposalKind.MERGE, ProposalKind.SPLIT):
        first = proposal.promise
        assert first is not None
        Promise.objects.filter(pk__in=[t.pk for t in targets]).update(dropped=True)
        made = [(proposal.title, proposal.wording, proposal.in_practice)]
        if proposal.kind == ProposalKind.SPLIT:
            made.append((proposal.title_2 or proposal.title, proposal.wording_2, ""))
        for title, wording, in_practice in made:
            promise = Promise.objects.create(
                promise_set=promise_set,
                title=title,
                wording=wording,
                in_practice=in_practice,
                position=first.position,
            )
            _version(
                promise,
                note=f"{note} ({proposal.get_kind_display().lower()} of “{first.title}”)",
                person=person,
                user=user,
                proposal=proposal,
            )
    return ProposalStatus.ACCEPTED


@transaction.atomic
def promise_edit(
    *,
    promise: Promise,
    title: str,
    wording: str,
    in_practice: str,
    expected_version: int,
    person: Person | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Promise:
    """Direct edit by the drafting group. Never loses a change: a stale edit is refused and
    the caller gets the other person's text to merge with theirs."""
    current = Promise.objects.select_for_update().select_related("promise_set").get(pk=promise.pk)
    _require_drafting(current.promise_set)
    if current.version != expected_version:
        raise StaleEdit(current)
    if not wording.strip() or not title.strip():
        raise ValidationError("A promise needs a title and wording.")
    current.title, current.wording, current.in_practice = (
        title.strip(),
        wording.strip(),
        in_practice.strip(),
    )
    current.version += 1
    current.save(update_fields=["title", "wording", "in_practice", "version", "updated_at"])
    _version(current, note="Edited by the drafting group", person=person, user=actor)
    audit_record(
        action="promises.edited",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Version {current.version}",
    )
    return current


@transaction.atomic
def ballot_cast(
    *,
    promise_set: PromiseSet,
    person: Person,
    ranking: list[int],
    count: int | None,
    actor: User,
    via: str = Via.WEB,
    request: HttpRequest | None = None,
) -> Ballot:
    live = set(promise_set.promises.filter(dropped=False).values_list("id", flat=True))
    if not ranking or set(ranking) - live or len(set(ranking)) != len(ranking):
        raise ValidationError("Give each promise a different place.")
    if count is not None and not 1 <= count <= 30:
        raise ValidationError("Say how many promises there should be, between 1 and 30.")
    ballot, _ = Ballot.objects.update_or_create(
        promise_set=promise_set,
        person=person,
        defaults={
            "ranking": ranking,
            "count": count,
            "via": via,
            "recorded_by": actor if via != Via.WEB else None,
        },
    )
    if via != Via.WEB:
        audit_record(
            action="promises.ballot_recorded",
            actor=actor,
            obj=person,
            request=request,
            summary=f"Ranking recorded for set #{promise_set.pk}",
        )
    return ballot


def agreed_count(promise_set: PromiseSet) -> tuple[int | None, dict[int, int]]:
    """The group's number: the median of what people said (ties go to the lower)."""
    counts = [c for c in promise_set.ballots.values_list("count", flat=True) if c]
    tally_counts: dict[int, int] = {}
    for c in counts:
        tally_counts[c] = tally_counts.get(c, 0) + 1
    if not counts:
        return None, {}
    return int(statistics.median_low(counts)), dict(sorted(tally_counts.items()))


@transaction.atomic
def set_transition(
    *, promise_set: PromiseSet, to: str, actor: User, request: HttpRequest | None = None
) -> PromiseSet:
    promise_set = PromiseSet.objects.select_for_update().get(pk=promise_set.pk)
    if to not in TRANSITIONS.get(promise_set.status, set()):
        raise ValidationError(
            f"A set that is “{promise_set.get_status_display().lower()}” cannot move to "
            f"“{SetStatus(to).label.lower()}”."
        )
    fields = ["status"]
    if to == SetStatus.AGREED:
        number, _ = agreed_count(promise_set)
        promise_set.agreed_count = number
        fields.append("agreed_count")
        _apply_ranking(promise_set)
    if to == SetStatus.ADOPTED:
        promise_set.adopted_on = timezone.localdate()
        fields.append("adopted_on")
    if to == SetStatus.PUBLISHED:
        promise_set.published_on = timezone.localdate()
        fields.append("published_on")
        for older in PromiseSet.objects.filter(
            project__isnull=False, status=SetStatus.PUBLISHED
        ).exclude(pk=promise_set.pk):
            if promise_set.replaces_id == older.pk:
                older.status = SetStatus.RETIRED
                older.save(update_fields=["status"])
    promise_set.status = to
    promise_set.save(update_fields=fields)
    audit_record(
        action="promises.status",
        actor=actor,
        obj=promise_set,
        request=request,
        summary=f"Now {promise_set.get_status_display().lower()}",
    )
    return promise_set


def _apply_ranking(promise_set: PromiseSet) -> None:
    """When the group agrees the set, the promises take the order of the ranking."""
    from coproduce.promises.selectors import ranking_result

    result = ranking_result(promise_set)
    if result is None:
        return
    for position, placed in enumerate(result["borda"], start=1):
        Promise.objects.filter(pk=placed.candidate).update(position=position)


@transaction.atomic
def board_meeting_record(
    *,
    promise_set: PromiseSet,
    held_on: Any,
    presenters: list[Person],
    notes: str,
    actor: User,
    request: HttpRequest | None = None,
) -> BoardMeeting:
    meeting = BoardMeeting.objects.create(
        promise_set=promise_set, held_on=held_on, notes=notes, recorded_by=actor
    )
    meeting.presenters.set(presenters)
    audit_record(
        action="promises.board_meeting",
        actor=actor,
        obj=promise_set,
        request=request,
        summary=f"Board meeting on {held_on}",
    )
    return meeting


@transaction.atomic
def board_decision_record(
    *,
    meeting: BoardMeeting,
    promise: Promise,
    data: dict[str, Any],
    actor: User,
    request: HttpRequest | None = None,
) -> BoardPromiseDecision:
    if data.get("decision") == "change" and not (data.get("requested_change") or "").strip():
        raise ValidationError({"requested_change": "Say what change the board asked for."})
    if data.get("tenant_response") == "stand_by" and not (data.get("tenant_reason") or "").strip():
        raise ValidationError(
            {"tenant_reason": "Record the tenants' reason for standing by their wording."}
        )
    try:
        decision, _ = BoardPromiseDecision.objects.update_or_create(
            meeting=meeting,
            promise=promise,
            defaults={
                k: data.get(k, "") or ""
                for k in (
                    "decision",
                    "requested_change",
                    "reason",
                    "tenant_response",
                    "tenant_reason",
                    "final",
                )
            },
        )
    except IntegrityError as exc:  # pragma: no cover - unique per meeting and promise
        raise ValidationError("That decision is already recorded.") from exc
    audit_record(
        action="promises.board_decision",
        actor=actor,
        obj=promise,
        request=request,
        summary=f"Board: {decision.get_decision_display()}",
    )
    return decision


@transaction.atomic
def co_designer_set(
    *,
    promise_set: PromiseSet,
    person: Person,
    consent: bool,
    name_as: str,
    actor: User,
    request: HttpRequest | None = None,
) -> CoDesigner:
    credit, _ = CoDesigner.objects.update_or_create(
        promise_set=promise_set,
        person=person,
        defaults={"consent_to_be_named": consent, "name_as": name_as.strip()},
    )
    audit_record(
        action="promises.credit",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Named on set #{promise_set.pk}: {'yes' if consent else 'no'}",
    )
    return credit
