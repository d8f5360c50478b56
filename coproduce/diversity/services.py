"""Every write of equality data, population counts, outreach lists and quick questions."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
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
from coproduce.people.models import Person
from coproduce.people.selectors import usable

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
    request: HttpRequest | None = None,
) -> QuickQuestion:
    """Create a quick question for a stratified sample of `pool` (id, stratum, channel)."""
    questions = [q.strip() for q in questions if q and q.strip()]
    if not 1 <= len(questions) <= 3:
        raise ValidationError("Ask between one and three questions.")
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
    transaction.on_commit(lambda: _email_quick_question(question.pk))
    return question


def _email_quick_question(question_id: int) -> None:
    from django.core.mail import send_mail

    question = QuickQuestion.objects.get(pk=question_id)
    # Consent or a restriction may have changed since the sample was drawn.
    recipients = question.recipients.filter(
        usable("person__"), channel="email", person__contact_consent=True
    ).select_related("person")
    for recipient in recipients:
        if not recipient.person.email:
            continue
        send_mail(
            f"A quick question: {question.title}",
            f"Hello {recipient.person.first_name},\n\nWe would like to know what you think. "
            f"It takes a minute:\n\n/diversity/ask/{recipient.token}/\n\nThank you.",
            None,
            [recipient.person.email],
        )


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
