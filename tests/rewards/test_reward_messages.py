"""When finance marks a batch paid, each person is told what they were paid, once, on their own
channel (the "reward issued" message)."""

from __future__ import annotations

from coproduce.messaging.models import Channel, Message, Status
from coproduce.people.models import Person
from coproduce.rewards import services
from coproduce.rewards.models import Category, RewardForm
from tests.rewards.conftest import choose, review_all


def test_paying_a_batch_tells_each_person_once(
    offer, session, users, django_capture_on_commit_callbacks
):
    alice, bob = users["alice"].person, users["bob"].person
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    Person.objects.filter(pk=bob.pk).update(contact_consent=True, email="", phone="07700900123")
    choose(alice)
    choose(bob, RewardForm.VOUCHER, voucher_kind="Supermarket")
    services.rewards_accrue()
    batch = services.batch_approve(
        line_ids=review_all(users), category=Category.FEE, approver=users["frank"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_mark_paid(batch=batch, actor=users["frank"])
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_mark_paid(batch=batch, actor=users["frank"])  # paid twice: told once
    assert services.rewards_tell_paid(batch_id=batch.pk) == 2  # and sending again adds nothing

    messages = {m.person_id: m for m in Message.objects.filter(kind="reward_issued")}
    assert len(messages) == Message.objects.count() == 2
    to_alice, to_bob = messages[alice.pk], messages[bob.pk]
    assert (to_alice.channel, to_alice.key) == (
        Channel.EMAIL,
        f"reward_issued:{batch.pk}:{alice.pk}",
    )
    assert to_alice.subject == "Your reward: £37.50"
    assert "into your bank account" in to_alice.body and "/rewards/mine/" in to_alice.body
    assert to_bob.channel == Channel.TEXT and to_bob.status == Status.QUEUED
    assert "£15.00 as a shopping voucher" in to_bob.body
    assert "voucher code" in to_bob.body and len(to_bob.body) <= 459
