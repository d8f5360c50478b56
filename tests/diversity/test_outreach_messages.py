"""Inviting an outreach list to a session: picked by equality answers, people get an "outreach"
invitation that needs their outreach consent; picked otherwise, an ordinary invitation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.diversity import selectors, services
from coproduce.diversity.models import EqualityConsent
from coproduce.meetings.models import Invitation, Rsvp
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message, Status


def _upcoming(meeting):
    meeting.starts_at = timezone.now() + dt.timedelta(days=7)
    meeting.ends_at = meeting.starts_at + dt.timedelta(hours=2)
    meeting.save()
    return meeting


def _list(world, users, **criteria):
    people = list(selectors.outreach_candidates(**criteria))
    return services.outreach_list_create(
        name="Unheard", criteria=criteria, people=people, actor=users["carol"]
    )


def test_people_picked_by_equality_answers_get_outreach_invitations_with_consent_only(
    world, users, django_capture_on_commit_callbacks
):
    meeting = _upcoming(world["meeting"])
    outreach = _list(world, users, characteristic="ethnicity", category="black")
    withdrawn = world["people"][80]
    # Withdrawn after the list was made: still on it, but never sent an outreach invitation.
    EqualityConsent.objects.filter(person=withdrawn).update(outreach=False)
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.outreach_invite(outreach=outreach, meeting=meeting, actor=users["carol"])
    assert invited == Message.objects.count() == 28
    assert set(Message.objects.values_list("kind", flat=True)) == {"outreach"}
    refused = Message.objects.get(person=withdrawn)
    assert refused.status == Status.NOT_SENT and "not agreed" in refused.failure
    sent = Message.objects.exclude(status=Status.NOT_SENT).first()
    assert sent.subject.startswith("Would you like to take part? Workshop")
    assert "people like you" in sent.body

    # A reply to an outreach invitation is the invitation's RSVP.
    messaging.record_reply(message=sent, code="maybe", actor=users["adam"])
    assert Invitation.objects.get(person=sent.person).rsvp == Rsvp.MAYBE


def test_people_picked_otherwise_get_ordinary_invitations(
    world, users, django_capture_on_commit_callbacks
):
    meeting = _upcoming(world["meeting"])
    outreach = _list(world, users, characteristic="area", category=str(world["south"].pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_invite(outreach=outreach, meeting=meeting, actor=users["carol"])
    assert set(Message.objects.values_list("kind", flat=True)) == {"invitation"}
