"""Every write of equality data, population counts, outreach lists and quick questions."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.diversity.models import (
    CONSENT_WORDING,
    EqualityConsent,
    EqualityRecord,
    OutreachList,
    PopulationCount,
    QuickQuestion,
    QuickQuestionRecipient,
    RecordedVia,
)
from coproduce.diversity.selectors import outreach_list_people, outreach_uses_equality_data
from coproduce.meetings.models import Meeting
from coproduce.meetings.services import invitations_create
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message
from coproduce.people.models import Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

EQUALITY_FIELDS = [
    "ethnicity",
    "long_term_condition",
    "condition_impact",
    "sex",
    "gender_same_as_birth",
    "sexual_orientation",
    "religion",
    "first_language_english",
    "first_language",
]


@transaction.atomic
def equality_answers_save(
    *,
    person: Person,
    answers: dict[str, Any],
    statistics: bool,
    outreach: bool,
    actor: User,
    recorded_via: str = RecordedVia.SELF,
    request: HttpRequest | None = None,
) -> EqualityRecord | None:
    """Store a person's answers with their consent. Without any consent nothing is kept."""
    if not (statistics or outreach):
        equality_consent_withdraw(person=person, actor=actor, request=request)
        return None
    EqualityConsent.objects.update_or_create(
        person=person,
        defaults={
            "statistics": statistics,
            "outreach": outreach,
            "wording": CONSENT_WORDING,
            "given_at": timezone.now(),
            "recorded_via": recorded_via,
            "recorded_by": None if recorded_via == RecordedVia.SELF else actor,
        },
    )
    record, _ = EqualityRecord.objects.get_or_create(person=person)
    for name in EQUALITY_FIELDS:
        setattr(record, name, answers.get(name, "") or "")
    record.full_clean()
    record.save()
    purposes = [p for p, on in (("statistics", statistics), ("outreach", outreach)) if on]
    audit_record(
        action="equality.saved",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Equality answers saved ({RecordedVia(recorded_via).label}); "
        f"consent for {' and '.join(purposes)}",
    )
    return record


@transaction.atomic
def equality_consent_withdraw(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> bool:
    """Withdrawal removes the answers and the consent, straight away."""
    deleted = EqualityRecord.objects.filter(person=person).delete()[0]
    deleted += EqualityConsent.objects.filter(person=person).delete()[0]
    if deleted:
        audit_record(
            action="equality.withdrawn",
            actor=actor,
            obj=person,
            request=request,
            summary="Consent withdrawn: equality answers deleted",
        )
    return bool(deleted)


def equality_record_view(
    *, person: Person, actor: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="equality.viewed",
        actor=actor,
        obj=person,
        request=request,
        summary="Data-protection lead viewed equality answers",
    )


@transaction.atomic
def population_count_save(
    *, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> PopulationCount:
    entry, _ = PopulationCount.objects.update_or_create(
        characteristic=data["characteristic"],
        category=data["category"],
        area=data.get("area"),
        tenure=data.get("tenure") or "",
        defaults={"count": data["count"], "as_of": data["as_of"], "source": data.get("source", "")},
    )
    audit_record(
        action="population.saved",
        actor=actor,
        obj=entry,
        request=request,
        summary=f"{entry.characteristic} {entry.category} = {entry.count}",
    )
    return entry


@transaction.atomic
def population_count_delete(
    *, entry: PopulationCount, actor: User, request: HttpRequest | None = None
) -> None:
    summary = f"{entry.characteristic} {entry.category}"
    entry.delete()
    audit_record(
        action="population.deleted",
        actor=actor,
        object_type="diversity.population",
        request=request,
        summary=summary,
    )


@transaction.atomic
def outreach_list_create(
    *,
    name: str,
    criteria: Mapping[str, Any],
    people: list[Person],
    actor: User,
    request: HttpRequest | None = None,
) -> OutreachList:
    outreach = OutreachList.objects.create(name=name, criteria=criteria, created_by=actor)
    outreach.people.set(people)
    audit_record(
        action="outreach.list_created",
        actor=actor,
        obj=outreach,
        request=request,
        summary=f"{len(people)} people; criteria {sorted(criteria.items())}"[:500],
    )
    return outreach


def outreach_list_exported(
    *, outreach: OutreachList, actor: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="outreach.list_exported",
        actor=actor,
        obj=outreach,
        request=request,
        summary=f"Exported {outreach_list_people(outreach).count()} people for contact",
    )


# Outreach invitations (issue #16, messages) ---------------------------------------------------


def outreach_invite(
    *,
    outreach: OutreachList,
    meeting: Meeting,
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """Invite everyone still on an outreach list to a session; returns how many were new.

    People picked by their equality answers get an "outreach" invitation, which messaging sends
    only with their outreach consent (asked again when each is sent: it may have been withdrawn
    since the list was made). People picked by anything else get an ordinary invitation.
    """
    kind = "outreach" if outreach_uses_equality_data(outreach.criteria) else "invitation"
    return invitations_create(
        meeting=meeting,
        people=list(outreach_list_people(outreach)),
        actor=actor,
        request=request,
        kind=kind,
    )


def stratified_sample(people: list[tuple[int, str]], size: int, seed: int) -> list[int]:
    """Draw `size` ids so each stratum gets its fair share (largest remainder), at random within.

    `people` holds (person id, stratum key). The key is built from equality data only
    for people who consented to outreach; it is used to draw and then thrown away.
    """
    if size >= len(people):
        return sorted(pid for pid, _ in people)
    rng = random.Random(seed)
    strata: dict[str, list[int]] = defaultdict(list)
    for pid, key in sorted(people):
        strata[key].append(pid)
    total = len(people)
    quotas = {key: size * len(ids) / total for key, ids in strata.items()}
    counts = {key: int(q) for key, q in quotas.items()}
    leftover = size - sum(counts.values())
    by_remainder = sorted(quotas, key=lambda k: (-(quotas[k] - counts[k]), k))
    for key in by_remainder[:leftover]:
        counts[key] += 1
    chosen: list[int] = []
    for key in sorted(strata):
        chosen.extend(rng.sample(strata[key], counts[key]))
    return sorted(chosen)


@transaction.atomic
def quick_question_send(
    *,
    project: Any,
    title: str,
    questions: list[str],
    sample_size: int,
    strata: list[str],
    pool: list[tuple[int, str, str]],
    actor: User,
    seed: int = 0,
    choices: list[str] | None = None,
    several: bool = False,
    request: HttpRequest | None = None,
) -> QuickQuestion:
    """Create a quick question for a stratified sample of `pool` (id, stratum, channel), and
    send it to each person on their own channel once the question is saved (a background task:
    `quick_question_deliver`)."""
    questions = [q.strip() for q in questions if q and q.strip()]
    choices = [c.strip() for c in choices or [] if c and c.strip()]
    if not 1 <= len(questions) <= 3:
        raise ValidationError("Ask between one and three questions.")
    if choices and (len(questions) != 1 or not 2 <= len(choices) <= 6):
        raise ValidationError("Answers to choose from go with one question, 2 to 6 of them.")
    if several and not choices:
        raise ValidationError("Give the answers to choose from first.")
    if sample_size < 1:
        raise ValidationError("The sample must have at least one person.")
    if not pool:
        raise ValidationError(
            "Nobody in the involvement pool can be asked: check that people "
            "have agreed to be contacted."
        )
    chosen = set(stratified_sample([(pid, key) for pid, key, _ in pool], sample_size, seed))
    channel_of = {pid: channel for pid, _, channel in pool}
    question = QuickQuestion.objects.create(
        project=project,
        title=title,
        question_1=questions[0],
        question_2=questions[1] if len(questions) > 1 else "",
        question_3=questions[2] if len(questions) > 2 else "",
        choices=choices,
        several=several,
        sample_size=sample_size,
        strata=strata,
        seed=seed,
        created_by=actor,
    )
    QuickQuestionRecipient.objects.bulk_create(
        [
            QuickQuestionRecipient(question=question, person_id=pid, channel=channel_of[pid])
            for pid in sorted(chosen)
        ]
    )
    audit_record(
        action="quick_question.sent",
        actor=actor,
        obj=question,
        request=request,
        summary=f"Asked {len(chosen)} people",
    )
    transaction.on_commit(lambda: _queue_delivery(question.pk))
    return question


def _queue_delivery(question_id: int) -> None:
    from coproduce.diversity.tasks import deliver_quick_question

    deliver_quick_question.enqueue(question_id)


def quick_question_context(recipient: QuickQuestionRecipient) -> dict[str, Any]:
    """What the quick question's templates need (plain values, kept on the message)."""
    question = recipient.question
    link = settings.SITE_URL.rstrip("/") + reverse(
        "diversity:quick_answer_public", args=[recipient.token]
    )
    return {
        "title": question.title,
        "questions": question.questions,
        "choices": list(question.choices or []),
        "several": question.several,
        "link": link,
        # The reply slip prints the question above its tick boxes, or lines to write on.
        "question": question.question_1 if question.choices else "",
        "write_in": [] if question.choices else question.questions,
    }


def quick_question_deliver(*, question_id: int) -> int:
    """Send the quick question to everyone asked, each on their own channel (email, text,
    letter or a call from staff), once each whatever happens: the key is the recipient.
    Returns how many messages it made this time."""
    question = QuickQuestion.objects.filter(pk=question_id).select_related("created_by").first()
    if question is None:
        return 0
    made = 0
    recipients = question.recipients.select_related("person", "question")
    for recipient in recipients.iterator(chunk_size=500):
        key = f"quick_question:{recipient.pk}"
        if Message.objects.filter(key=key).exists():
            continue
        messaging.send(
            kind="quick_question",
            person=recipient.person,
            key=key,
            context=quick_question_context(recipient),
            about=f"diversity.quickquestionrecipient:{recipient.pk}",
            actor=question.created_by,
        )
        made += 1
    return made


@transaction.atomic
def quick_answer_record(
    *,
    recipient: QuickQuestionRecipient,
    answers: list[str],
    recorded_via: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> QuickQuestionRecipient:
    recipient = QuickQuestionRecipient.objects.select_for_update().get(pk=recipient.pk)
    for index, answer in enumerate(answers[:3], start=1):
        setattr(recipient, f"answer_{index}", answer.strip())
    recipient.answered_at = timezone.now()
    recipient.recorded_via = recorded_via
    recipient.recorded_by = None if recorded_via == RecordedVia.SELF else actor
    recipient.save(
        update_fields=[
            "answer_1",
            "answer_2",
            "answer_3",
            "answered_at",
            "recorded_via",
            "recorded_by",
        ]
    )
    if actor is not None and recorded_via != RecordedVia.SELF:
        audit_record(
            action="quick_question.answer_recorded",
            actor=actor,
            obj=recipient.person,
            request=request,
            summary=f"Answer recorded {RecordedVia(recorded_via).label.lower()}",
        )
    return recipient
