"""Fixtures for data protection: alice's person record, and a builder that gives one person
a record in every area the subject access export covers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.diversity.models import (
    EqualityConsent,
    EqualityRecord,
    OutreachList,
    ProjectParticipation,
    QuickQuestion,
    QuickQuestionRecipient,
)
from coproduce.evaluation.models import (
    Coding,
    Evaluator,
    EvidenceBatch,
    EvidenceItem,
    EvidenceOriginal,
    HealthCheck,
    Judgement,
    ReportSection,
    ReportSectionVersion,
    Theme,
)
from coproduce.meetings.models import Attendance, CalendarFeed, Invitation, Meeting, TimeGiven
from coproduce.messaging.models import ContactPreference, InboundText, Message
from coproduce.people.models import Interest, Person
from coproduce.privacy.models import DataRequest, one_calendar_month_after
from coproduce.projects.models import Project, ProjectMember
from coproduce.promises.models import (
    Ballot,
    BoardMeeting,
    CoDesigner,
    Comment,
    Promise,
    PromiseSet,
    PromiseVersion,
    Proposal,
    Vote,
)
from coproduce.rewards.models import ExpenseClaim, LedgerEntry, RewardChoice, RewardLine
from coproduce.stories.models import (
    GuideQuestion,
    InterviewGuide,
    JournalEntry,
    SelfAssessment,
    Story,
    StoryAnswer,
)


@pytest.fixture
def alice(users) -> Person:
    return Person.objects.get(user=users["alice"])


@pytest.fixture
def bob(users) -> Person:
    return Person.objects.get(user=users["bob"])


@pytest.fixture
def make_request(users):
    """An open request, received `days_ago` days ago, made straight in the database."""

    def _make(person: Person, *, kind: str = "access", days_ago: int = 0, **extra) -> DataRequest:
        received = timezone.localdate() - dt.timedelta(days=days_ago)
        return DataRequest.objects.create(
            person=person,
            kind=kind,
            received_on=received,
            due_on=one_calendar_month_after(received),
            **extra,
        )

    return _make


@pytest.fixture
def project(users) -> Project:
    return Project.objects.create(
        title="Repairs review", purpose="Look at repairs together", owner=users["carol"]
    )


@pytest.fixture
def involve(users, project):
    """involve(person) gives that person at least one record in every area; returns a dict."""

    def _involve(person: Person, *, sessions: int = 1) -> dict:
        carol = users["carol"]
        now = timezone.now()
        today = timezone.localdate()
        made: dict = {}
        CalendarFeed.objects.create(person=person)
        Interest.objects.create(name=person.full_name, email=person.email.upper(), message="Hi")
        ProjectMember.objects.create(project=project, person=person, joined_on=today)
        for n in range(sessions):
            meeting = Meeting.objects.create(
                project=project,
                title=f"Workshop {n}",
                channel="in_person",
                starts_at=now - dt.timedelta(days=n + 1),
                ends_at=now - dt.timedelta(days=n + 1) + dt.timedelta(hours=2),
                created_by=carol,
            )
            Invitation.objects.create(meeting=meeting, person=person, rsvp="yes", reminded_at=now)
            Attendance.objects.create(
                meeting=meeting, person=person, took_part_via="in_person", minutes=120
            )
        ProjectParticipation.objects.get_or_create(
            person=person, project=project, defaults={"attendances": 1, "first_at": now}
        )
        TimeGiven.objects.create(
            person=person, project=project, on=today, minutes=30, what="Read the papers"
        )
        question = QuickQuestion.objects.create(
            project=project, title="Bins", question_1="Are the bins ok?", sample_size=5, strata=[]
        )
        QuickQuestionRecipient.objects.create(
            question=question, person=person, channel="email", answer_1="Mostly"
        )
        outreach = OutreachList.objects.create(name="Under-heard", criteria={"area": 1})
        outreach.people.add(person)
        message = Message.objects.create(
            key=f"test:{person.pk}",
            kind="invitation",
            person=person,
            channel="text",
            to="+447700900123",
            subject="Invitation",
            body="Can you come? Reply YES or NO.",
        )
        ContactPreference.objects.create(person=person, channels=["text", "letter"])
        InboundText.objects.create(
            provider_id=f"in-{person.pk}",
            from_number="+447700900123",
            body="YES",
            received_at=now,
            person=person,
            message=message,
            status="matched",
        )
        RewardChoice.objects.create(person=person, form="voucher", voucher_kind="Shop")
        ExpenseClaim.objects.create(
            person=person, project=project, kind="travel", incurred_on=today, amount=Decimal("4.20")
        )
        line = RewardLine.objects.create(
            person=person,
            project=project,
            source_key=f"fixed:{project.pk}:{person.pk}",
            on=today,
            description="Taking part",
            form="voucher",
            amount=Decimal("12.50"),
            is_income=True,
        )
        LedgerEntry.objects.create(
            line=line,
            person=person,
            kind="accrued",
            amount=Decimal("12.50"),
            is_income=True,
            on=today,
        )
        EqualityRecord.objects.create(person=person, ethnicity="white_british", sex="female")
        EqualityConsent.objects.create(person=person, statistics=True, given_at=now)
        promise_set = PromiseSet.objects.create(project=project, title="Our promises")
        promise = Promise.objects.create(promise_set=promise_set, title="Fix it", wording="Fast")
        check = HealthCheck.objects.create(promise_set=promise_set, year=2026, title="Check 2026")
        Evaluator.objects.create(health_check=check, person=person)
        item = EvidenceItem.objects.create(
            health_check=check,
            kind="interview",
            source="Estate walk",
            gathered_on=today,
            gathered_by_person=person,
            text="[name] said the lift is broken",
        )
        EvidenceOriginal.objects.create(item=item, text="Maureen said the lift is broken")
        EvidenceBatch.objects.create(
            health_check=check, kind="survey", title="Survey", gathered_by_person=person
        )
        theme = Theme.objects.create(health_check=check, label="Lifts", made_by_person=person)
        Coding.objects.create(item=item, theme=theme, promise=promise, coder=person)
        Judgement.objects.create(
            health_check=check,
            promise=promise,
            rating="amber",
            narrative="Partly",
            updated_by=person,
        )
        section = ReportSection.objects.create(
            health_check=check, title="Summary", body="Text", updated_by=person
        )
        ReportSectionVersion.objects.create(section=section, version=1, title="Summary", by=person)
        proposal = Proposal.objects.create(
            promise_set=promise_set, kind="new", title="Answer calls", proposed_by=person
        )
        Comment.objects.create(proposal=proposal, person=person, text="Good idea")
        Vote.objects.create(proposal=proposal, person=person, choice="for")
        Ballot.objects.create(promise_set=promise_set, person=person, ranking=[promise.pk])
        CoDesigner.objects.create(promise_set=promise_set, person=person, consent_to_be_named=True)
        board = BoardMeeting.objects.create(promise_set=promise_set, held_on=today)
        board.presenters.add(person)
        PromiseVersion.objects.create(
            promise=promise, version=2, title="Fix it", wording="Faster", changed_by_person=person
        )
        guide, _ = InterviewGuide.objects.get_or_create(slug="default", defaults={"name": "Guide"})
        guide_question, _ = GuideQuestion.objects.get_or_create(
            guide=guide, number=1, defaults={"label": "Before", "text": "What was it like?"}
        )
        story = Story.objects.create(
            project=project,
            guide=guide,
            title="My story",
            storyteller=person,
            storyteller_name=person.full_name,
            interviewer=carol,
            recorded_on=today,
            source="typed",
        )
        StoryAnswer.objects.create(story=story, question=guide_question, text="Hard at first")
        SelfAssessment.objects.create(
            person=person, taken_on=today, confidence=3, skills=4, listened_to=5
        )
        if person.user_id:
            JournalEntry.objects.create(
                project=project, author=person.user, happened_on=today, what_happened="We met"
            )
        audit_record(action="person.viewed", actor=carol, obj=person, summary="Record viewed")
        made["data_request"] = DataRequest.objects.create(
            person=person, kind="access", received_on=today, due_on=one_calendar_month_after(today)
        )
        return made

    return _involve
