"""When a health check starts gathering evidence, its evaluators are asked to gather it, once
each, on their own channel (the "call for evidence" message)."""

from __future__ import annotations

import datetime as dt

from coproduce.evaluation import services
from coproduce.messaging.models import Channel, Message, Status
from coproduce.people.models import Person


def _gather(check, users, capture, **extra):
    with capture(execute=True):
        services.check_update(
            check=check, data={"stage": "gathering", **extra}, actor=users["carol"]
        )


def test_evaluators_are_asked_once_when_gathering_starts(
    check, users, group, django_capture_on_commit_callbacks
):
    alice, bob, cath = group["members"]
    Person.objects.filter(pk__in=[alice.pk, cath.pk]).update(contact_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_update(check=check, data={"plan_people": "Tenants"}, actor=users["carol"])
    assert not Message.objects.exists()  # still planning: nobody is asked yet

    _gather(check, users, django_capture_on_commit_callbacks, ends_on=dt.date(2027, 1, 31))
    asked = {m.person_id: m for m in Message.objects.filter(kind="evidence_call")}
    assert set(asked) == {alice.pk, cath.pk}  # bob is not an evaluator
    to_alice = asked[alice.pk]
    assert (to_alice.channel, to_alice.key) == (
        Channel.EMAIL,
        f"evidence_call:{check.pk}:{alice.pk}",
    )
    assert "by 31 January 2027" in to_alice.body
    assert f"/health-checks/{check.pk}/evidence/" in to_alice.body
    assert asked[cath.pk].status == Status.NOT_SENT  # no contact details: recorded, not lost

    # Back to planning and on to gathering again: nobody is asked twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.check_update(check=check, data={"stage": "planning"}, actor=users["carol"])
    _gather(check, users, django_capture_on_commit_callbacks)
    assert Message.objects.count() == 2


def test_an_evaluator_who_joins_during_gathering_is_asked_too(
    check, users, group, django_capture_on_commit_callbacks
):
    _gather(check, users, django_capture_on_commit_callbacks)
    bob = group["members"][1]
    Person.objects.filter(pk=bob.pk).update(contact_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluator_add(check=check, person=bob, actor=users["carol"])
    assert Message.objects.filter(kind="evidence_call", person=bob).count() == 1
