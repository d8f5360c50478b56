"""The customer promises the tenants wrote: a year of drafting, a ranking, the board's wrangle
over one word, and the published set."""

from __future__ import annotations

import datetime as dt
import random

from coproduce.accounts.models import User
from coproduce.demo.riverside import PROMISES_TITLE, at, moved
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.promises.models import (
    Ballot,
    BoardMeeting,
    BoardPromiseDecision,
    CoDesigner,
    Comment,
    Promise,
    PromiseSet,
    PromiseVersion,
    Proposal,
    Vote,
)

# title, the staff's first draft, the tenants' final words, what it means in practice
PROMISES = [
    (
        "Listen and act",
        "We aim to listen to tenants' views where possible.",
        "We will always listen to you, and we will act on what you tell us.",
        "You will see what changed because of what you said, in our 'you said, we did' updates.",
    ),
    (
        "Keep you informed",
        "We will communicate with customers.",
        "We will tell you what is happening, in plain words, and in the way you prefer.",
        "Letters, texts, phone calls or online: you choose.",
    ),
    (
        "Treat you with respect",
        "Customers will be treated fairly.",
        "We will treat you fairly and with respect, whoever you are.",
        "",
    ),
    (
        "Put things right",
        "We will deal with complaints in line with policy.",
        "When we get it wrong, we will say sorry, put it right quickly and learn from it.",
        "",
    ),
    (
        "Safe, warm homes",
        "We will maintain properties to the required standard.",
        "We will keep your home safe and warm, and fix repairs right first time.",
        "",
    ),
    (
        "Stronger communities",
        "We will support communities.",
        "We will work with you to make your neighbourhood a place you are proud of.",
        "",
    ),
]


def build_promises_story(*, seed: int) -> dict[str, int]:
    project = Project.objects.filter(title=PROMISES_TITLE).first()
    if project is None or PromiseSet.objects.filter(project=project).exists():
        return {}
    rng = random.Random(seed * 31 + 7)
    members = [m.person for m in project.members.select_related("person").order_by("id")]
    coordinator = project.owner
    promise_set = _promise_set_create(project)
    day = dt.date(2025, 1, 21)
    votes = 0
    for position, texts in enumerate(PROMISES, start=1):
        votes += _promise_write(promise_set, position, texts, members, coordinator, day, rng)
        day += dt.timedelta(days=14)
    _idea_turned_down(promise_set, members)
    promises = list(promise_set.promises.order_by("position"))
    ballots = _ranking(promise_set, promises, members, rng)
    _board_meeting(promise_set, promises, members, coordinator)
    _co_designers_credit(promise_set, members, rng)
    return {
        "promise_proposals": 2 * len(PROMISES) + 1,
        "promise_votes": votes,
        "promise_ballots": ballots,
    }


def _promise_set_create(project: Project) -> PromiseSet:
    promise_set = PromiseSet.objects.create(
        project=project,
        title="Our customer promises",
        status="published",
        decision_rule="majority",
        min_votes=3,
        agreed_count=6,
        adopted_on=moved(dt.date(2025, 9, 24)),
        published_on=moved(dt.date(2025, 10, 14)),
    )
    PromiseSet.objects.filter(pk=promise_set.pk).update(created_at=at(dt.date(2024, 11, 19), 12))
    return promise_set


def _promise_write(
    promise_set: PromiseSet,
    position: int,
    texts: tuple[str, str, str, str],
    members: list[Person],
    coordinator: User,
    day: dt.date,
    rng: random.Random,
) -> int:
    """One promise: a first draft, the tenants' rewording, their vote; returns the votes."""
    title, draft, final, in_practice = texts
    promise = Promise.objects.create(
        promise_set=promise_set,
        title=title,
        wording=final,
        in_practice=in_practice,
        position=position,
        version=2,
    )
    _first_draft(promise, draft, members[position % len(members)], day)
    rewording = _rewording(promise, members[(position * 3) % len(members)], coordinator, day)
    voters = rng.sample(members, min(len(members), 14))
    Vote.objects.bulk_create(
        [
            Vote(
                proposal=rewording,
                person=p,
                choice="for" if rng.random() < 0.8 else rng.choice(["against", "abstain"]),
            )
            for p in voters
        ]
    )
    Comment.objects.create(
        proposal=rewording,
        person=voters[0],
        text="Much better. My mum would understand this one.",
    )
    return len(voters)


def _first_draft(promise: Promise, draft: str, proposer: Person, day: dt.date) -> None:
    first = Proposal.objects.create(
        promise_set=promise.promise_set,
        kind="new",
        title=promise.title,
        wording=draft,
        proposed_by=proposer,
        status="accepted",
        decided_by=proposer,
        decided_at=at(day, 20),
        reason="A starting point from the first workshop.",
    )
    PromiseVersion.objects.create(
        promise=promise,
        version=1,
        title=promise.title,
        wording=draft,
        note=f"Proposal #{first.pk} accepted by the group",
        proposal=first,
        changed_by_person=proposer,
    )


def _rewording(promise: Promise, proposer: Person, coordinator: User, day: dt.date) -> Proposal:
    """The tenants' plain words replace the draft (on paper for the third promise)."""
    on_paper = promise.position == 3
    rewording = Proposal.objects.create(
        promise_set=promise.promise_set,
        kind="reword",
        promise=promise,
        base_version=1,
        title=promise.title,
        wording=promise.wording,
        in_practice=promise.in_practice,
        proposed_by=proposer,
        via="paper" if on_paper else "web",
        recorded_by=coordinator if on_paper else None,
        reason="Plain words that we can hold them to: 'we will', not 'we aim to'.",
        status="accepted",
        decided_at=at(day + dt.timedelta(days=56), 20),
    )
    PromiseVersion.objects.create(
        promise=promise,
        version=2,
        title=promise.title,
        wording=promise.wording,
        in_practice=promise.in_practice,
        note=f"Proposal #{rewording.pk} accepted by the group",
        proposal=rewording,
        changed_by_person=proposer,
    )
    return rewording


def _idea_turned_down(promise_set: PromiseSet, members: list[Person]) -> None:
    turned_down = Proposal.objects.create(
        promise_set=promise_set,
        kind="new",
        title="Value for money",
        wording="We will make sure your rent is good value for money.",
        proposed_by=members[-1],
        status="rejected",
        decided_at=at(dt.date(2025, 5, 20), 20),
        reason="Rent matters to everyone.",
    )
    Vote.objects.bulk_create(
        [
            Vote(proposal=turned_down, person=p, choice="against" if i % 3 else "for")
            for i, p in enumerate(members[:12])
        ]
    )
    Comment.objects.create(
        proposal=turned_down,
        person=members[2],
        text="Good point, but rents are set by the government: we can't "
        "promise what we don't control.",
    )


def _ranking(
    promise_set: PromiseSet, promises: list[Promise], members: list[Person], rng: random.Random
) -> int:
    """Everyone ranks the promises: "Listen and act" first for most people."""
    ballots = []
    for person in members:
        order = promises[:]
        rng.shuffle(order)
        order.sort(key=lambda p: p.position + rng.random() * 3.5)
        ballots.append(
            Ballot(
                promise_set=promise_set,
                person=person,
                ranking=[p.pk for p in order],
                count=rng.choice([5, 6, 6, 6, 7, 8]),
            )
        )
    Ballot.objects.bulk_create(ballots)
    return len(ballots)


def _board_meeting(
    promise_set: PromiseSet, promises: list[Promise], members: list[Person], coordinator: User
) -> None:
    """The board and the one disputed word: the tenants stand by it, and the board agrees."""
    meeting = BoardMeeting.objects.create(
        promise_set=promise_set,
        held_on=moved(dt.date(2025, 9, 24)),
        outcome="adopted",
        recorded_by=coordinator,
        notes="Three tenants presented the promises. The board asked about one word.",
    )
    meeting.presenters.set(members[:3])
    for promise in promises:
        disputed = promise.title == "Listen and act"
        BoardPromiseDecision.objects.create(
            meeting=meeting,
            promise=promise,
            decision="change" if disputed else "accept",
            requested_change="Change 'always' to 'aim to'" if disputed else "",
            reason="We cannot guarantee we will always act on every view." if disputed else "",
            tenant_response="stand_by" if disputed else "",
            tenant_reason="We've done a year's worth of co-production; these are the words we "
            "want. 'Always listen' is the point."
            if disputed
            else "",
            final="Adopted with the tenants' wording." if disputed else "Adopted as written.",
        )


def _co_designers_credit(
    promise_set: PromiseSet, members: list[Person], rng: random.Random
) -> None:
    CoDesigner.objects.bulk_create(
        [
            CoDesigner(
                promise_set=promise_set,
                person=p,
                consent_to_be_named=rng.random() < 0.7,
                name_as=f"{p.first_name} {p.last_name[:1]}.",
            )
            for p in members
        ]
    )
