"""The last few days before the story's today: this year's health check evaluators had their
training (paid for their time, so the current tax year has rewards to show), and a quick
question about repair reminders went out and is still waiting for most answers, the demo
tenants' among them."""

from __future__ import annotations

import datetime as dt

from coproduce.core.audit import audit_record
from coproduce.demo.cast import Cast
from coproduce.demo.riverside import at
from coproduce.demo.sessions import odds, session_hold
from coproduce.diversity.models import QuickQuestion, QuickQuestionRecipient, RecordedVia
from coproduce.meetings.models import Room, SessionChannel
from coproduce.people.models import Person
from coproduce.projects.models import Project

# A Tuesday five days before the reference date: always in the week before the story's today.
TRAINING_ON = dt.date(2026, 10, 27)
ASKED_ON = dt.date(2026, 10, 29)
QUESTIONS = (
    "Did you get a text the day before your last repair?",
    "What would make repair reminders more useful to you?",
)
ANSWERS = (
    ("Yes, and the repairer came on time.", "Tell me the time, not just the day."),
    ("No, I only got a letter after.", "A phone call for people who don't text."),
    ("Yes.", "Nothing, it works for me."),
)


def lately(cast: Cast, rooms: dict[str, Room]) -> dict[str, int]:
    tenants = list(Person.objects.filter(user__email__in=list(cast.logins.values())))
    return {
        "training_attendances": _evaluator_training(cast, rooms, tenants),
        "quick_question_asked": _quick_question_ask(cast, tenants),
    }


def _evaluator_training(cast: Cast, rooms: dict[str, Room], tenants: list[Person]) -> int:
    project = Project.objects.get(title__startswith="Annual health check")
    evaluators = [m.person for m in project.members.select_related("person").order_by("id")]
    return session_hold(
        cast,
        project,
        "Health check: training for evaluators",
        SessionChannel.HYBRID,
        at(TRAINING_ON, 10, 30),
        2,
        room=rooms["Riverside Community Centre/Garden room"],
        admin=cast.admin,
        agenda="What last year's health check found\nHow to listen without leading\n"
        "Keeping what people tell us safe",
        invitees=evaluators,
        attend_odds={**odds(evaluators, 0.8), **odds(tenants, 1.0)},
        creator=cast.coordinator,
    )


def _quick_question_ask(cast: Cast, tenants: list[Person]) -> int:
    """Asked of the demo tenants and a dozen others; three have answered so far."""
    project = Project.objects.get(title="Changes to the repairs service")
    others = [p for p in cast.established[:8] + cast.new[:6] if p not in tenants]
    people = tenants + others
    question = QuickQuestion.objects.create(
        project=project,
        title="Repair reminders",
        question_1=QUESTIONS[0],
        question_2=QUESTIONS[1],
        sample_size=len(people),
        strata=["age"],
        seed=0,
        created_by=cast.colleague,
    )
    QuickQuestion.objects.filter(pk=question.pk).update(created_at=at(ASKED_ON, 11))
    recipients = QuickQuestionRecipient.objects.bulk_create(
        [
            QuickQuestionRecipient(
                question=question, person=person, channel="email" if person.email else "post"
            )
            for person in people
        ]
    )
    for recipient, (first, second) in zip(recipients[len(tenants) :], ANSWERS, strict=False):
        recipient.answer_1, recipient.answer_2 = first, second
        recipient.answered_at = at(ASKED_ON, 19)
        recipient.recorded_via = RecordedVia.SELF
        recipient.save(update_fields=["answer_1", "answer_2", "answered_at", "recorded_via"])
    audit_record(
        action="quick_question.sent",
        actor=cast.colleague,
        obj=question,
        summary=f"Demo: asked {len(people)} people",
    )
    return len(people)
