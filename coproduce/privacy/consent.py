"""Consent withdrawals that take effect everywhere at once.

Each withdrawal is one service, one transaction, one audit entry, and applies every effect:

- contact (`Person.contact_consent`): off every outreach list, unanswered quick questions
  withdrawn, invitations to sessions still to come that they have not answered removed;
  reminders and quick-question emails already check the consent when they are sent;
- outreach (`EqualityConsent.outreach`, the diversity app's second purpose): off the outreach
  lists that were drawn using equality answers; equality answers are deleted when no purpose
  is left (as `diversity.services.equality_consent_withdraw` does);
- story publication (`Story.consent == public`): their stories stop being public at once
  (kept for staff and the board) and no answer is shareable any more;
- photos and media (`JournalEntry.consent` for entries with files): their journal entries
  with photos, audio or video go back to "only people in this project".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.people.services import consent_withdrawn_emit
from coproduce.people.signals import contact_consent_withdrawn

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


def _unanswered_future_invitations(person: Person) -> Any:
    from coproduce.meetings.models import Invitation, Rsvp, SessionStatus

    return Invitation.objects.filter(
        person=person,
        rsvp=Rsvp.NO_REPLY,
        meeting__status=SessionStatus.PLANNED,
        meeting__starts_at__gt=timezone.now(),
    )


def contact_consent_effects(*, person: Person) -> tuple[int, int, int]:
    """Take someone who may no longer be contacted off everything that would contact them:
    (outreach lists, unanswered quick questions, unanswered future invitations) removed."""
    from coproduce.diversity.models import OutreachList, QuickQuestionRecipient

    lists = OutreachList.people.through.objects.filter(person=person).delete()[0]
    questions = QuickQuestionRecipient.objects.filter(
        person=person, answered_at__isnull=True
    ).delete()[0]
    invitations = _unanswered_future_invitations(person).delete()[0]
    return lists, questions, invitations


def _on_contact_consent_withdrawn(sender: Any, *, person: Person, **kwargs: Any) -> None:
    """Unticking "Happy to be contacted" on the record (people.services.person_update)."""
    contact_consent_effects(person=person)


def connect() -> None:
    contact_consent_withdrawn.connect(
        _on_contact_consent_withdrawn, dispatch_uid="privacy-contact-consent-withdrawn"
    )


@transaction.atomic
def contact_consent_withdraw(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> Person:
    """They no longer want to be contacted: nothing reaches them from now on."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    was_given = current.contact_consent
    current.contact_consent = False
    current.contact_consent_at = None
    current.save(update_fields=["contact_consent", "contact_consent_at", "updated_at"])
    lists, questions, invitations = contact_consent_effects(person=current)
    audit_record(
        action="consent.contact_withdrawn",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Contact consent withdrawn: off {lists} outreach lists, {questions} "
        f"unanswered quick questions and {invitations} unanswered invitations",
    )
    if was_given:
        consent_withdrawn_emit(current)
    return current


def _equality_lists() -> Any:
    """Outreach lists drawn using equality answers (which need outreach consent)."""
    from coproduce.diversity.models import OutreachList
    from coproduce.diversity.selectors import BY_KEY

    keys = [key for key, char in BY_KEY.items() if char.equality]
    return [
        pk
        for pk, criteria in OutreachList.objects.values_list("pk", "criteria")
        if (criteria or {}).get("characteristic") in keys
    ]


@transaction.atomic
def outreach_consent_withdraw(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> bool:
    """Their equality answers may no longer be used to invite them.

    Returns True when answers are kept for statistics, False when no purpose is left and
    the answers were deleted."""
    from coproduce.diversity.models import EqualityConsent, OutreachList
    from coproduce.diversity.services import equality_consent_withdraw

    consent = EqualityConsent.objects.select_for_update().filter(person=person).first()
    removed = OutreachList.people.through.objects.filter(
        person=person, outreachlist_id__in=_equality_lists()
    ).delete()[0]
    kept = bool(consent and consent.statistics)
    if consent is not None and kept:
        consent.outreach = False
        consent.save(update_fields=["outreach"])
    elif consent is not None:
        equality_consent_withdraw(person=person, actor=actor, request=request)
    audit_record(
        action="consent.outreach_withdrawn",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Outreach consent withdrawn: off {removed} outreach lists drawn from "
        + ("equality answers; answers kept for statistics" if kept else "equality answers"),
    )
    return kept


@transaction.atomic
def story_publication_withdraw(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> int:
    """Their stories stop being public straight away; returns how many were public."""
    from coproduce.stories.models import Story, StoryAnswer, StoryConsent

    stories = Story.objects.select_for_update().filter(storyteller=person)
    public = stories.filter(consent=StoryConsent.PUBLIC).update(
        consent=StoryConsent.INTERNAL, public_name=""
    )
    StoryAnswer.objects.filter(story__storyteller=person).update(shareable=False)
    audit_record(
        action="consent.story_publication_withdrawn",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Story publication consent withdrawn: {public} stories no longer public",
    )
    return public


@transaction.atomic
def media_consent_withdraw(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> int:
    """Their photos, audio and video are no longer shown beyond their project."""
    from coproduce.stories.models import JournalEntry, ShareConsent

    changed = 0
    if person.user_id is not None:
        with_media = (
            JournalEntry.objects.filter(author_id=person.user_id, files__isnull=False)
            .exclude(consent=ShareConsent.PROJECT)
            .values_list("pk", flat=True)
        )
        changed = JournalEntry.objects.filter(pk__in=list(with_media)).update(
            consent=ShareConsent.PROJECT
        )
    audit_record(
        action="consent.media_withdrawn",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Photo and media consent withdrawn: {changed} journal entries kept "
        "within their project",
    )
    return changed
