"""The real services emit their events: the right kind, only ids, references, amounts and API
paths in the payload (never names, contact details or words tenants wrote), and nothing at all
when the change is rolled back."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import transaction

from coproduce.evaluation import services as evaluation_services
from coproduce.evaluation.models import HealthCheck
from coproduce.meetings import services as meeting_services
from coproduce.meetings.models import Attendance
from coproduce.people import services as people_services
from coproduce.people.models import Person
from coproduce.privacy.consent import contact_consent_withdraw
from coproduce.promises.models import PromiseSet
from coproduce.rewards import services as reward_services
from coproduce.rewards.models import Category, RewardForm
from coproduce.webhooks import services
from coproduce.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.rewards.conftest import choose, offer, project, review_all, session  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_allowed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture
def endpoint() -> WebhookEndpoint:
    kinds = [kind for kind in services.KINDS if kind != "ping"]
    return services.endpoint_create(url="http://127.0.0.1:9/hook", kinds=kinds)


@pytest.fixture
def sent(endpoint, django_capture_on_commit_callbacks):
    """sent(call) runs a service and returns the one event it emitted (kind, data)."""

    def run(call) -> tuple[str, dict]:
        with django_capture_on_commit_callbacks() as queued:
            call()
        event = WebhookEvent.objects.get()
        assert WebhookDelivery.objects.get().endpoint == endpoint
        assert len(queued) >= 1  # the delivery is queued only once the change is committed
        assert event.payload["type"] == event.kind
        return event.kind, event.payload["data"]

    return run


def test_a_get_involved_sign_up_emits_person_signed_up(sent):
    data = {
        "name": "Grace Okafor",
        "email": "grace@example.org",
        "postcode": "AB1 2CD",
        "message": "My boiler has been broken for weeks",
        "contact_consent": True,
    }
    kind, payload = sent(lambda: people_services.interest_register(data=data))
    interest = people_services.Interest.objects.get()
    assert kind == "person.signed_up"
    assert payload == {"interest_id": interest.pk}
    body = json.dumps(WebhookEvent.objects.get().payload)
    for private in ("Grace", "grace@example.org", "AB1", "boiler"):
        assert private not in body


def test_recording_attendance_emits_attendance_recorded(sent, session, users):  # noqa: F811
    alice, bob = users["alice"].person, users["bob"].person
    Attendance.objects.filter(meeting=session).delete()
    rows = [
        {"person": alice, "took_part": True},
        {"person": bob, "took_part": False},
    ]
    kind, payload = sent(
        lambda: meeting_services.attendance_register(
            meeting=session, rows=rows, actor=users["carol"]
        )
    )
    assert kind == "attendance.recorded"
    assert payload == {
        "session_id": session.pk,
        "project_id": session.project_id,
        "person_ids": [alice.pk],
        "people": [f"/api/v1/people/{alice.pk}"],
    }


def test_a_register_that_changes_nothing_emits_nothing(endpoint, session, users):  # noqa: F811
    alice = users["alice"].person
    rows = [{"person": alice, "took_part": False}]
    Attendance.objects.filter(meeting=session, person=alice).delete()
    meeting_services.attendance_register(meeting=session, rows=rows, actor=users["carol"])
    assert not WebhookEvent.objects.exists()


def test_approving_a_batch_emits_payment_approved(sent, offer, session, users):  # noqa: F811
    choose(users["alice"].person, RewardForm.BANK_TRANSFER)
    choose(users["bob"].person, RewardForm.BANK_TRANSFER)
    reward_services.rewards_accrue()
    ids = review_all(users)
    batches = []
    kind, payload = sent(
        lambda: batches.append(
            reward_services.batch_approve(
                line_ids=ids, category=Category.FEE, approver=users["frank"]
            )
        )
    )
    batch = batches[0]
    lines = list(batch.lines.order_by("pk"))
    assert kind == "payment.approved"
    assert payload == {
        "batch_id": batch.pk,
        "category": "fee",
        "line_ids": [line.pk for line in lines],
        "total": str(sum((line.amount for line in lines), Decimal("0.00"))),
    }
    assert Decimal(payload["total"]) > 0


def test_presenting_a_report_emits_report_published(sent, project, users):  # noqa: F811
    promise_set = PromiseSet.objects.create(project=project, title="Our promises")
    check = HealthCheck.objects.create(
        promise_set=promise_set,
        year=2026,
        title="Health check 2026",
        created_by=users["carol"],
        stage="reporting",
    )
    kind, payload = sent(
        lambda: evaluation_services.check_update(
            check=check, data={"stage": "presented"}, actor=users["carol"]
        )
    )
    assert kind == "report.published"
    assert payload == {"health_check_id": check.pk, "year": 2026}


def test_other_stages_emit_nothing(endpoint, project, users):  # noqa: F811
    promise_set = PromiseSet.objects.create(project=project, title="Our promises")
    check = HealthCheck.objects.create(
        promise_set=promise_set,
        year=2026,
        title="Health check 2026",
        created_by=users["carol"],
        stage="judging",
    )
    evaluation_services.check_update(check=check, data={"stage": "reporting"}, actor=users["carol"])
    assert not WebhookEvent.objects.exists()


def _consenting(users) -> Person:
    alice = users["alice"].person
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    alice.refresh_from_db()
    return alice


def test_withdrawing_contact_consent_emits_consent_withdrawn(sent, users):
    alice = _consenting(users)
    kind, payload = sent(lambda: contact_consent_withdraw(person=alice, actor=users["dora"]))
    assert kind == "consent.withdrawn"
    assert payload == {
        "person_id": alice.pk,
        "external_ref": "T-ALICE",
        "person": f"/api/v1/people/{alice.pk}",
    }


def test_unticking_happy_to_be_contacted_emits_consent_withdrawn(sent, users):
    alice = _consenting(users)
    kind, payload = sent(
        lambda: people_services.person_update(
            person=alice, data={"contact_consent": False}, actor=users["carol"]
        )
    )
    assert kind == "consent.withdrawn"
    assert payload["person_id"] == alice.pk
    assert payload["external_ref"] == "T-ALICE"


def test_withdrawing_consent_never_given_emits_nothing(endpoint, users):
    alice = users["alice"].person
    Person.objects.filter(pk=alice.pk).update(contact_consent=False)
    contact_consent_withdraw(person=alice, actor=users["dora"])
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_emits_nothing(users, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    services.endpoint_create(url="http://127.0.0.1:9/hook", kinds=["consent.withdrawn"])
    alice = _consenting(users)
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_consent_withdraw(person=alice, actor=users["dora"])
        raise RuntimeError("something later in the same change failed")
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    alice.refresh_from_db()
    assert alice.contact_consent is True
    # The same change, committed, is sent.
    contact_consent_withdraw(person=alice, actor=users["dora"])
    assert WebhookEvent.objects.get().kind == "consent.withdrawn"


def test_no_event_carries_a_date_of_birth_or_name(sent, users):
    alice = _consenting(users)
    sent(lambda: contact_consent_withdraw(person=alice, actor=users["dora"]))
    body = json.dumps(WebhookEvent.objects.get().payload)
    assert "Alice" not in body
    assert "alice@example.org" not in body
    assert str(dt.date(1980, 5, 1)) not in body
