"""Consent withdrawals take effect everywhere at once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.diversity import selectors as diversity
from coproduce.diversity.models import (
    EqualityConsent,
    EqualityRecord,
    QuickQuestion,
    QuickQuestionRecipient,
)
from coproduce.diversity.services import outreach_list_create, quick_question_deliver
from coproduce.meetings.models import Invitation
from coproduce.meetings.services import invitations_create
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message, Status
from coproduce.people.services import person_update
from coproduce.privacy.consent import (
    contact_consent_withdraw,
    media_consent_withdraw,
    outreach_consent_withdraw,
    story_publication_withdraw,
)
from coproduce.stories.models import JournalEntry, Story, StoryAnswer

from .conftest import make_session


def _quick_question(project, person, users) -> QuickQuestionRecipient:
    question = QuickQuestion.objects.create(
        project=project, title="Repairs", question_1="How were repairs?", sample_size=1
    )
    return QuickQuestionRecipient.objects.create(question=question, person=person, channel="email")


def test_withdrawing_contact_consent_stops_every_contact_at_once(alice, users, project):
    outreach = outreach_list_create(name="All", criteria={}, people=[alice], actor=users["carol"])
    recipient = _quick_question(project, alice, users)
    meeting = make_session(project, days_from_now=4)
    invitations_create(meeting=meeting, people=[alice], actor=users["carol"])
    contact_consent_withdraw(person=alice, actor=users["dora"])
    alice.refresh_from_db()
    assert not alice.contact_consent and alice.contact_consent_at is None
    assert list(diversity.outreach_list_people(outreach)) == []
    assert not outreach.people.exists()
    assert not QuickQuestionRecipient.objects.filter(pk=recipient.pk).exists()
    assert not Invitation.objects.filter(person=alice).exists()
    assert list(diversity.outreach_candidates(involvement="")) == []
    assert AuditEntry.objects.filter(action="consent.contact_withdrawn").count() == 1


def test_a_quick_question_drawn_before_the_withdrawal_is_not_sent(alice, users, project):
    recipient = _quick_question(project, alice, users)
    alice.contact_consent = False
    alice.save()
    quick_question_deliver(question_id=recipient.question_id)
    messaging.deliver_due()
    assert mail.outbox == []
    message = Message.objects.get(key=f"quick_question:{recipient.pk}")
    assert message.status == Status.NOT_SENT and "not agreed" in message.failure


def test_unticking_happy_to_be_contacted_on_the_record_is_a_withdrawal(alice, users):
    outreach = outreach_list_create(name="All", criteria={}, people=[alice], actor=users["carol"])
    person_update(person=alice, data={"contact_consent": False}, actor=users["carol"])
    assert not outreach.people.exists()


def test_withdrawing_outreach_consent_keeps_answers_for_statistics_but_leaves_lists(alice, users):
    EqualityConsent.objects.create(
        person=alice, statistics=True, outreach=True, given_at=timezone.now()
    )
    EqualityRecord.objects.create(person=alice, ethnicity="white_british")
    by_equality = outreach_list_create(
        name="Ethnicity",
        criteria={"characteristic": "ethnicity", "category": "white"},
        people=[alice],
        actor=users["carol"],
    )
    by_area = outreach_list_create(
        name="Area", criteria={"characteristic": "area"}, people=[alice], actor=users["carol"]
    )
    assert outreach_consent_withdraw(person=alice, actor=alice.user) is True
    assert not EqualityConsent.objects.get(person=alice).outreach
    assert EqualityRecord.objects.filter(person=alice).exists()
    assert not by_equality.people.exists()
    assert by_area.people.filter(pk=alice.pk).exists()
    assert not diversity.outreach_candidates(
        characteristic="ethnicity", category="white", involvement=""
    ).filter(pk=alice.pk)


def test_withdrawing_outreach_consent_with_no_other_purpose_deletes_the_answers(alice, users):
    EqualityConsent.objects.create(
        person=alice, statistics=False, outreach=True, given_at=timezone.now()
    )
    EqualityRecord.objects.create(person=alice, ethnicity="white_british")
    assert outreach_consent_withdraw(person=alice, actor=users["dora"]) is False
    assert not EqualityRecord.objects.filter(person=alice).exists()
    assert not EqualityConsent.objects.filter(person=alice).exists()


def test_withdrawing_story_consent_takes_the_public_page_down_at_once(
    involved_alice, users, client
):
    alice = involved_alice["person"]
    story = Story.objects.get()
    url = reverse("stories:public", args=[story.public_id])
    assert client.get(url).status_code == 200
    assert story_publication_withdraw(person=alice, actor=users["dora"]) == 1
    assert client.get(url).status_code == 404
    assert not StoryAnswer.objects.filter(shareable=True).exists()
    assert story.pk in Story.objects.values_list("pk", flat=True)  # kept for staff


def test_withdrawing_photo_consent_keeps_journal_media_within_the_project(involved_alice, users):
    alice = involved_alice["person"]
    entry = involved_alice["journal"]
    assert entry.consent == "public"
    assert media_consent_withdraw(person=alice, actor=users["dora"]) == 1
    entry.refresh_from_db()
    assert entry.consent == "project"
    bob_entry = JournalEntry.objects.create(
        project=entry.project,
        author=users["bob"],
        happened_on=entry.happened_on,
        what_happened="Bob's note",
        consent="public",
    )
    media_consent_withdraw(person=alice, actor=users["dora"])
    bob_entry.refresh_from_db()
    assert bob_entry.consent == "public"


@pytest.mark.parametrize(
    "withdraw",
    [
        contact_consent_withdraw,
        outreach_consent_withdraw,
        story_publication_withdraw,
        media_consent_withdraw,
    ],
)
def test_every_withdrawal_is_audited_without_personal_values(alice, users, withdraw):
    withdraw(person=alice, actor=users["dora"])
    entry = AuditEntry.objects.filter(action__startswith="consent.").get()
    assert entry.object_id == str(alice.pk)
    assert "Alice" not in entry.summary and "@" not in entry.summary
