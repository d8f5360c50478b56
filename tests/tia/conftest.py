"""A small world for the TIA evidence pack.

- "Repairs panel": alice is a member (joined 1 Jan 2025). Three decisions after she joined:
  one by tenants and one together (views written down, fed back), one by staff alone (neither).
  Measured: 2 of 3 with tenants (67%), none before tenants joined -> co-design.
- "Estate walkabouts": no tenants; one decision by the board, not fed back -> coercion.
  Totals: 4 decisions, 2 with tenants (50%), 2 views (50%), 2 fed back (50%).
- "Our repair promises" (published, Repairs panel): 2 live promises and 1 dropped, alice
  proposed, voted and ranked, and 12 more tenants are credited co-designers: 13 took part.
  Presented to the board once (adopted).
- "Estate promises" (adopted, Estate walkabouts): 2 tenants voted -> fewer than 10 shown.
- "Health check 2025" of the published set: alice evaluates; Listen green, Repairs red; one
  recommendation the board agreed, with one action done and one in progress; CH01 and CH02.
- One "you said, we did" message sent about the first decision.
- Alice took part in one session (one participant: hidden in the whose-voice figures).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.evaluation.models import (
    Action,
    ActionStatus,
    Evaluator,
    HealthCheck,
    Judgement,
    Recommendation,
    Stage,
    TsmFigure,
)
from coproduce.meetings.models import Attendance, Meeting, SessionChannel, SessionStatus
from coproduce.messaging.models import Channel, Message, Status
from coproduce.people.models import Person
from coproduce.projects.models import DecidedBy, Decision, Project, ProjectMember
from coproduce.promises.models import (
    Ballot,
    BoardMeeting,
    CoDesigner,
    Promise,
    PromiseSet,
    Proposal,
    ProposalKind,
    SetStatus,
    Vote,
    VoteChoice,
)


def decision(project: Project, day: dt.date, by: str, *, said: str = "", did: str = "") -> Decision:
    return Decision.objects.create(
        project=project,
        decided_on=day,
        summary=f"{project.title}: decided {day:%d %B}",
        decided_by=by,
        tenant_views=said,
        feedback=did,
        feedback_on=day + dt.timedelta(days=7) if did else None,
    )


def promise_set(project: Project, title: str, status: str, **dates) -> PromiseSet:
    made = PromiseSet.objects.create(project=project, title=title, status=status, **dates)
    for n, name in enumerate(("Listen", "Repairs"), start=1):
        Promise.objects.create(promise_set=made, title=name, wording=f"We will {name}.", position=n)
    return made


def health_check(promises: PromiseSet, year: int, **extra) -> HealthCheck:
    return HealthCheck.objects.create(
        promise_set=promises, year=year, title=f"Health check {year}", scale="rag", **extra
    )


@pytest.fixture
def world(users):
    alice = Person.objects.get(user=users["alice"])
    repairs = Project.objects.create(title="Repairs panel", purpose="x", owner=users["carol"])
    estate = Project.objects.create(title="Estate walkabouts", purpose="x", owner=users["carol"])
    ProjectMember.objects.create(project=repairs, person=alice, joined_on=dt.date(2025, 1, 1))
    first = decision(
        repairs,
        dt.date(2025, 2, 1),
        DecidedBy.TENANTS,
        said="Evening repair slots, please.",
        did="We added evening slots from March.",
    )
    decision(
        repairs, dt.date(2025, 3, 1), DecidedBy.TOGETHER, said="Text before you come.", did="Done."
    )
    decision(repairs, dt.date(2025, 4, 1), DecidedBy.STAFF)
    decision(estate, dt.date(2025, 5, 1), DecidedBy.BOARD)

    published = promise_set(
        repairs,
        "Our repair promises",
        SetStatus.PUBLISHED,
        adopted_on=dt.date(2025, 6, 1),
        published_on=dt.date(2025, 6, 15),
    )
    Promise.objects.create(
        promise_set=published, title="Dropped", wording="Gone.", position=3, dropped=True
    )
    proposal = Proposal.objects.create(
        promise_set=published, kind=ProposalKind.NEW, title="Call back", proposed_by=alice
    )
    Vote.objects.create(proposal=proposal, person=alice, choice=VoteChoice.FOR)
    Ballot.objects.create(promise_set=published, person=alice, ranking=[])
    for n in range(12):
        helper = Person.objects.create(first_name=f"Helper{n}", last_name="Example")
        CoDesigner.objects.create(promise_set=published, person=helper)
    BoardMeeting.objects.create(
        promise_set=published, held_on=dt.date(2025, 6, 1), outcome="adopted"
    )

    adopted = promise_set(
        estate, "Estate promises", SetStatus.ADOPTED, adopted_on=dt.date(2025, 7, 1)
    )
    estate_proposal = Proposal.objects.create(
        promise_set=adopted, kind=ProposalKind.NEW, title="Bins"
    )
    for n in range(2):
        voter = Person.objects.create(first_name=f"Voter{n}", last_name="Example")
        Vote.objects.create(proposal=estate_proposal, person=voter, choice=VoteChoice.FOR)

    check = health_check(published, 2025, stage=Stage.FOLLOW_UP, board_date=dt.date(2026, 3, 4))
    Evaluator.objects.create(health_check=check, person=alice)
    listen, repairs_promise = published.promises.filter(dropped=False).order_by("position")
    Judgement.objects.create(health_check=check, promise=listen, rating="green", narrative="Good.")
    Judgement.objects.create(
        health_check=check, promise=repairs_promise, rating="red", narrative="Too slow."
    )
    rec = Recommendation.objects.create(
        health_check=check,
        promise=repairs_promise,
        text="Answer repair calls within a day.",
        board_response="We will hire two more call handlers.",
        board_agreed="yes",
        responded_on=dt.date(2026, 3, 4),
    )
    Action.objects.create(
        recommendation=rec, description="Hire", owner="Ops", status=ActionStatus.DONE
    )
    Action.objects.create(
        recommendation=rec, description="Train", owner="Ops", status=ActionStatus.IN_PROGRESS
    )
    TsmFigure.objects.create(
        health_check=check,
        code="CH01",
        name="Complaints per 1,000 homes",
        value=Decimal("12.5"),
        year="2024-25",
    )
    TsmFigure.objects.create(
        health_check=check,
        code="CH02",
        name="Complaints answered in time",
        value=Decimal("87"),
        year="2024-25",
    )
    Message.objects.create(
        key="ysdw:1",
        kind="you_said_we_did",
        person=alice,
        channel=Channel.EMAIL,
        status=Status.SENT,
        about=f"projects.decision:{first.pk}",
        body="You said, we did",
    )
    starts = timezone.now() - dt.timedelta(days=30)
    meeting = Meeting.objects.create(
        project=repairs,
        title="Repairs workshop",
        channel=SessionChannel.ONLINE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        status=SessionStatus.HELD,
    )
    Attendance.objects.create(meeting=meeting, person=alice, took_part_via="online", minutes=60)
    return {
        "repairs": repairs,
        "estate": estate,
        "published": published,
        "adopted": adopted,
        "check": check,
        "alice": alice,
    }
