"""Privacy fixtures: alice with something in most places, and open requests about her."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.meetings.models import Attendance, CalendarFeed, Meeting, SessionStatus
from coproduce.people.models import Interest, Person
from coproduce.privacy.models import DataRequest, RequestKind, one_calendar_month_after
from coproduce.projects.models import Project, ProjectMember
from coproduce.promises.models import Comment, PromiseSet, Proposal
from coproduce.rewards.models import Category, LineStatus, RewardLine
from coproduce.stories import services as story_services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def alice(users) -> Person:
    person = users["alice"].person
    person.phone = "07700 900461"
    person.postcode = "ZZ9 9ZZ"
    person.address = "14 Mill Lane"
    person.contact_consent = True
    person.save()
    return person


@pytest.fixture
def project(users) -> Project:
    project = Project.objects.create(
        title="Our customer promises", purpose="Write promises", owner=users["carol"]
    )
    for name in ("alice", "bob"):
        ProjectMember.objects.create(
            project=project, person=users[name].person, joined_on=dt.date(2025, 1, 1)
        )
    return project


def make_session(project, *, days_from_now: int, status=SessionStatus.PLANNED) -> Meeting:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_from_now)
    return Meeting.objects.create(
        project=project,
        title="Workshop",
        channel="in_person",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=status,
    )


def open_request(person, kind=RequestKind.ERASURE, **extra) -> DataRequest:
    today = timezone.localdate()
    return DataRequest.objects.create(
        person=person,
        kind=kind,
        received_on=today,
        due_on=one_calendar_month_after(today),
        **extra,
    )


@pytest.fixture
def involved_alice(alice, users, project):
    """Alice with equality answers, a sign-up, a feed, a story, a journal photo, a comment,
    a proposal reason, a session attended and a reward paid."""
    EqualityConsent.objects.create(
        person=alice, statistics=True, outreach=True, given_at=timezone.now()
    )
    EqualityRecord.objects.create(person=alice, ethnicity="white_british")
    Interest.objects.create(name="Alice Example", email=alice.email, phone=alice.phone)
    CalendarFeed.objects.create(person=alice)
    guide = story_services.guide_ensure_default()
    story_services.story_create(
        project=project,
        guide=guide,
        title="Alice Example's story",
        storyteller=alice,
        storyteller_name="Alice Example",
        interviewer=users["fiona"],
        recorded_on=dt.date(2026, 3, 1),
        consent="public",
        answers={1: "I'm Alice Example, call me on 07700 900461.", 5: "It took a long time."},
    )
    entry = story_services.journal_entry_create(
        project=project,
        author=users["alice"],
        happened_on=dt.date(2026, 2, 1),
        what_happened="We agreed the first promise.",
        consent="public",
        files=[SimpleUploadedFile("board.png", PNG, content_type="image/png")],
        descriptions=["Alice at the board"],
    )
    promise_set = PromiseSet.objects.create(project=project, title="Our promises")
    proposal = Proposal.objects.create(
        promise_set=promise_set,
        kind="new",
        title="Answer the phone",
        wording="We answer within a minute.",
        reason="I waited an hour on 07700 900461 last week.",
        proposed_by=alice,
    )
    Comment.objects.create(proposal=proposal, person=alice, text="Yes! Signed, Alice Example")
    Comment.objects.create(
        proposal=proposal, person=users["bob"].person, text="I agree with Alice Example."
    )
    held = make_session(project, days_from_now=-30, status=SessionStatus.HELD)
    attendance = Attendance.objects.create(
        meeting=held, person=alice, took_part_via="in_person", minutes=120
    )
    RewardLine.objects.create(
        person=alice,
        project=project,
        category=Category.FEE,
        source_key=f"attendance:{attendance.pk}",
        attendance=attendance,
        on=held.starts_at.date(),
        minutes=120,
        description="Session: Workshop",
        form="bank_transfer",
        amount=Decimal("30.00"),
        is_income=True,
        status=LineStatus.PAID,
    )
    return {"person": alice, "journal": entry, "proposal": proposal, "held": held}
