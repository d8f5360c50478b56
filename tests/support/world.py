"""One small world with a record behind every URL that needs one, for the permission matrix.

The personas are those of tests/conftest.py. Alice is a tenant in the project (a member, an
evaluator, invited to the session, with a journal entry and a reward line); Bob is a tenant
outside it. Carol owns the project; Fiona facilitates it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coproduce.api.tokens import token_create
from coproduce.core.models import UploadJob
from coproduce.diversity.models import (
    OutreachList,
    PopulationCount,
    QuickQuestion,
    QuickQuestionRecipient,
)
from coproduce.evaluation import services as evaluation_services
from coproduce.evaluation.models import (
    Action,
    Evaluator,
    EvidenceItem,
    Recommendation,
    ReportSection,
    Theme,
)
from coproduce.meetings.models import CalendarFeed, Invitation, Meeting, Room, SessionStaff, Venue
from coproduce.messaging.models import InboundStatus, InboundText, LetterPack, Message
from coproduce.people import tasks as people_tasks
from coproduce.people.models import Area, Interest, Person
from coproduce.privacy.models import DataRequest
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    ProjectStaff,
    StaffRole,
    Stage,
    SupportRequest,
)
from coproduce.promises.models import Promise, PromiseSet, PromiseVersion, Proposal, SetStatus
from coproduce.rewards import services as reward_services
from coproduce.rewards.models import Category, ExpenseClaim, PaymentBatch, RewardLine
from coproduce.stories import services as story_services
from coproduce.stories.models import ImpactChange, StoryConsent
from coproduce.tsm.models import SurveyResponse, SurveyUpload, TsmYear
from coproduce.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from coproduce.webhooks.services import new_secret
from tests.conftest import PERSONAS, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
YEAR = 2026
TRANSCRIPT = """WEBVTT

1
00:00:01.000 --> 00:00:05.000
<v Sam Interviewer>Can you introduce yourself?

2
00:00:05.500 --> 00:00:12.000
<v Amira>Hi, I'm Amira and I live in Westside.
"""


def build_world() -> dict[str, Any]:
    """Create the world and return the records the URL table fills its kwargs from."""
    w: dict[str, Any] = {}
    users = {name: make_user(name, role) for name, role in PERSONAS.items()}
    w["users"] = users
    area = Area.objects.create(name="Northfield")
    people = {
        name: Person.objects.create(
            user=users[name],
            first_name=name.title(),
            last_name="Example",
            email=f"{name}@example.org",
            area=area,
            date_of_birth=dt.date(1980, 5, 1),
            external_ref=f"T-{name.upper()}",
        )
        for name in ("alice", "bob")
    }
    alice, bob = people["alice"], people["bob"]
    w["alice_person"], w["bob_person"] = alice, bob
    carol, fiona = users["carol"], users["fiona"]

    # Projects.
    project = Project.objects.create(
        title="Customer promises",
        purpose="Write them together",
        owner=carol,
        started_on=dt.date(2025, 1, 1),
    )
    w["project"] = project
    w["staff"] = ProjectStaff.objects.create(
        project=project, user=fiona, role=StaffRole.FACILITATOR
    )
    w["member"] = ProjectMember.objects.create(
        project=project, person=alice, joined_on=dt.date(2025, 1, 1)
    )
    w["stage"] = Stage.objects.create(project=project, name="Listen")
    w["decision"] = Decision.objects.create(
        project=project,
        decided_on=dt.date(2025, 2, 1),
        summary="Meet monthly",
        decided_by="together",
        recorded_by=carol,
    )
    w["support"] = SupportRequest.objects.create(
        requested_by=users["colin"], team="Repairs", what="Help us listen", why="Complaints"
    )

    # Sessions.
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        project=project,
        title="Promises workshop",
        channel="in_person",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        created_by=fiona,
    )
    w["meeting"] = meeting
    w["invitation"] = Invitation.objects.create(meeting=meeting, person=alice)
    w["session_staff"] = SessionStaff.objects.create(
        meeting=meeting, user=fiona, role="facilitator", starts_at=starts, ends_at=meeting.ends_at
    )
    w["venue"] = Venue.objects.create(name="Riverside Community Centre")
    w["room"] = Room.objects.create(venue=w["venue"], name="Main hall", capacity=30)
    w["feed"] = CalendarFeed.objects.create(person=alice)

    # People.
    w["interest"] = Interest.objects.create(name="Pat Jones", email="pat@example.org")
    w["import_job"] = UploadJob.objects.create(
        kind=people_tasks.CHECK, file_name="people.csv", created_by=carol
    )

    # Diversity.
    w["population"] = PopulationCount.objects.create(
        characteristic="age", category="25-34", count=100, as_of=dt.date(2025, 1, 1)
    )
    w["outreach"] = OutreachList.objects.create(name="Young people")
    w["question"] = QuickQuestion.objects.create(
        project=project, title="Quick question", question_1="How was it?", sample_size=5
    )
    w["recipient"] = QuickQuestionRecipient.objects.create(
        question=w["question"], person=alice, channel="email"
    )

    # Letters: a pack printed before, with alice's letter in it.
    w["letter_pack"] = LetterPack.objects.create(printed_by=users["adam"], count=1)
    Message.objects.create(
        key="quick_question:world",
        kind="quick_question",
        person=alice,
        channel="letter",
        status="printed",
        to="Alice Example\n1 Oak Street\nNF1 2AB",
        subject="A quick question",
        body="Dear Alice,\n\nHow was it?",
        reference="ABCDEFG",
        letter_pack=w["letter_pack"],
    )

    # Promises and the health check.
    promise_set = PromiseSet.objects.create(
        project=project, title="Our promises", min_votes=2, status=SetStatus.PUBLISHED
    )
    w["promise_set"] = promise_set
    promise = Promise.objects.create(
        promise_set=promise_set, title="Listen", wording="We will listen.", position=1
    )
    PromiseVersion.objects.create(
        promise=promise, version=1, title=promise.title, wording=promise.wording
    )
    w["promise"] = promise
    w["proposal"] = Proposal.objects.create(
        promise_set=promise_set, kind="reword", promise=promise, wording="We will listen well."
    )
    # A second set still being drafted, so the drafting pages (propose, rank) have links to them.
    w["draft_set"] = PromiseSet.objects.create(
        project=project, title="Next year's promises", min_votes=2, status=SetStatus.DRAFTING
    )
    Promise.objects.create(
        promise_set=w["draft_set"], title="Fix it first time", wording="We will.", position=1
    )
    check = evaluation_services.check_create(
        promise_set=promise_set, year=YEAR, title="Health check", scale="rag", actor=carol
    )
    w["check"] = check
    Evaluator.objects.create(health_check=check, person=alice)
    w["item"] = EvidenceItem.objects.create(
        health_check=check,
        kind="interview",
        source="Survey",
        gathered_on=dt.date(YEAR, 5, 1),
        text="Repairs were slow.",
    )
    w["theme"] = Theme.objects.create(health_check=check, label="Repairs")
    w["section"] = ReportSection.objects.create(health_check=check, title="Summary")
    w["recommendation"] = Recommendation.objects.create(
        health_check=check, promise=promise, text="Call back about repairs."
    )
    w["action"] = Action.objects.create(
        recommendation=w["recommendation"], description="Set up call-backs", owner="Repairs"
    )
    w["evidence_job"] = UploadJob.objects.create(
        kind=evaluation_services.EVIDENCE_JOB,
        file_name="survey.csv",
        created_by=carol,
        params={"check": check.pk},
    )

    # Rewards.
    reward_services.policy_publish(
        text="We pay for time.", effective_from=dt.date(2025, 1, 1), actor=carol
    )
    reward_services.offer_save(
        project=project,
        data={
            "activities": "Sessions",
            "rewards_sessions": True,
            "rewards_time_given": True,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": dt.date(2025, 1, 1),
            "covers_travel": True,
            "covers_care": False,
            "covers_childcare": False,
            "covers_phone_data": False,
            "covers_meals": False,
            "expenses_notes": "",
        },
        actor=carol,
    )
    claim = ExpenseClaim(
        person=alice,
        project=project,
        kind="travel",
        incurred_on=dt.date(2025, 3, 4),
        amount=Decimal("4.50"),
    )
    claim.receipt.save("ticket.png", ContentFile(PNG), save=False)
    claim.save()
    w["claim"] = claim
    w["batch"] = PaymentBatch.objects.create(
        category=Category.FEE, approved_by=users["frank"], approved_at=timezone.now()
    )
    w["line"] = RewardLine.objects.create(
        person=alice,
        project=project,
        source_key="fixed:test",
        on=dt.date(2025, 3, 4),
        description="Workshop",
        form="bank_transfer",
        amount=Decimal("15.00"),
        is_income=True,
    )

    # The reward line for the claim, so "My rewards" links to the receipt.
    w["claim_line"] = RewardLine.objects.create(
        person=alice,
        project=project,
        source_key="expense:test",
        on=dt.date(2025, 3, 4),
        description="Bus fare",
        form="bank_transfer",
        amount=Decimal("4.50"),
        is_income=False,
        expense_claim=claim,
    )

    # Stories.
    guide = story_services.guide_ensure_default()
    entry = story_services.journal_entry_create(
        project=project,
        author=users["alice"],
        happened_on=dt.date(YEAR, 2, 1),
        what_happened="We agreed the first promise.",
        consent="project",
        files=[SimpleUploadedFile("board.png", PNG, content_type="image/png")],
        descriptions=["Tenants at the board meeting"],
    )
    w["journal_file"] = entry.files.get()
    w["story"] = story_services.story_create(
        project=project,
        guide=guide,
        title="How we wrote the promises",
        storyteller_name="Maureen Example",
        interviewer=fiona,
        recorded_on=dt.date(YEAR, 3, 1),
        consent=StoryConsent.PRIVATE,
        answers={1: "I'm Maureen, a tenant."},
    )
    w["public_story"] = story_services.story_create(
        project=project,
        guide=guide,
        title="Board day",
        storyteller_name="Amira Example",
        interviewer=fiona,
        recorded_on=dt.date(YEAR, 3, 2),
        consent=StoryConsent.PUBLIC,
        answers={1: "I'm Amira."},
    )
    w["transcript_story"] = story_services.story_create(
        project=project,
        guide=guide,
        title="Amira's story",
        storyteller_name="Amira Example",
        interviewer=fiona,
        recorded_on=dt.date(YEAR, 3, 3),
        consent=StoryConsent.PRIVATE,
        answers=None,
        transcript=TRANSCRIPT,
        transcript_format="vtt",
    )
    w["impact"] = ImpactChange.objects.create(
        project=project,
        kind="service",
        title="Faster repairs",
        after="Two weeks",
        voices="Tenants",
        changed_on=dt.date(YEAR, 4, 1),
    )

    # Data protection.
    w["data_request"] = DataRequest.objects.create(
        kind="access",
        person=bob,
        received_on=dt.date(YEAR, 1, 5),
        due_on=dt.date(YEAR, 2, 5),
        opened_by=users["dora"],
    )

    w["data_request"].export_file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    w["erasure_request"] = DataRequest.objects.create(
        kind="erasure",
        person=alice,
        received_on=dt.date(YEAR, 1, 6),
        due_on=dt.date(YEAR, 2, 6),
        opened_by=users["dora"],
    )

    # A text from a number we do not know, waiting for a person to read it.
    w["inbound_text"] = InboundText.objects.create(
        provider_id="00000000-0000-4000-8000-000000000016",
        from_number="+447700900999",
        body="Who is this?",
        received_at=timezone.now(),
        status=InboundStatus.WAITING,
        outcome="We do not know this number: we have never texted it.",
    )
    # Messages: one to alice waiting on the phone list.
    from coproduce.messaging.models import Channel, Status

    w["alice_message"] = Message.objects.create(
        key="world:alice:1",
        kind="invitation",
        person=alice,
        channel=Channel.PHONE,
        status=Status.TO_PHONE,
        to="+441134960000",
        subject="You are invited",
        body="Hello Alice,\n\nYou are invited.",
    )

    # Tenant Satisfaction Measures: a draft year with one survey file, and a published year.
    w["tsm_year"] = TsmYear.objects.create(label="2025/26", year_end=dt.date(2026, 3, 31))
    w["tsm_upload"] = SurveyUpload.objects.create(
        year=w["tsm_year"], filename="survey.csv", sha256="0" * 64, responses=1
    )
    SurveyResponse.objects.create(
        year=w["tsm_year"],
        upload=w["tsm_upload"],
        respondent="R1",
        line=2,
        tenure="LCRA",
        answers={"TP01": "very_satisfied"},
    )
    w["tsm_published"] = TsmYear.objects.create(
        label="2024/25", year_end=dt.date(2025, 3, 31), published_at=timezone.now()
    )

    # An API token for the landlord's housing system, owned by the system admin.
    w["api_token"] = token_create(
        name="Housing system",
        kind="service",
        owner=users["sam"],
        scopes=["people:read"],
        days=30,
        created_by=users["sam"],
    ).token

    # A webhook to the housing system, with one delivery that failed (so "Try again" shows).
    w["webhook"] = WebhookEndpoint.objects.create(
        url="https://housing.example.org/hooks",
        description="Housing system",
        kinds=["person.signed_up"],
        secret=new_secret(),
    )
    w["webhook_delivery"] = WebhookDelivery.objects.create(
        endpoint=w["webhook"],
        event=WebhookEvent.objects.create(kind="person.signed_up", payload={}),
        status=DeliveryStatus.FAILED,
        attempts=8,
        last_status_code=500,
        last_error="The receiver answered 500.",
    )

    # A password-reset link for alice.
    w["reset_uid"] = urlsafe_base64_encode(force_bytes(users["alice"].pk))
    w["reset_token"] = default_token_generator.make_token(users["alice"])
    return w
