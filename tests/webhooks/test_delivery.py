"""Webhook delivery to a real receiving server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coproduce.webhooks import services
from coproduce.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_allowed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def start(**options) -> Receiver:
        server = Receiver(**options).start()
        made.append(server)
        return server

    yield start
    for server in made:
        server.stop()


def subscribe(server: Receiver, kinds=("ping",)) -> WebhookEndpoint:
    endpoint = services.endpoint_create(url=server.url, kinds=list(kinds))
    server.secret = endpoint.secret
    return endpoint


def only_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def test_a_signed_event_is_verified_and_accepted_by_the_receiver(receiver) -> None:
    server = receiver()
    endpoint = subscribe(server)
    services.emit("ping", {"endpoint": endpoint.pk})

    assert services.deliver(only_delivery().pk) == DeliveryStatus.DELIVERED
    assert server.refused == []
    [got] = server.accepted
    assert got["id"] == str(WebhookEvent.objects.get().id)
    assert got["body"]["type"] == "ping"
    assert got["body"]["data"] == {"endpoint": endpoint.pk}


def test_the_receiver_refuses_a_wrong_secret(receiver) -> None:
    server = receiver()
    subscribe(server)
    server.secret = services.new_secret()  # the receiver has a different secret
    services.emit("ping", {})

    assert services.deliver(only_delivery().pk) == DeliveryStatus.PENDING
    assert server.refused == ["signature"]
    delivery = only_delivery()
    assert delivery.last_status_code == 401
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is not None


def test_the_receiver_refuses_a_timestamp_older_than_five_minutes(receiver, monkeypatch) -> None:
    server = receiver()
    subscribe(server)
    services.emit("ping", {})
    real = time.time
    monkeypatch.setattr(services.time, "time", lambda: real() - 301)

    services.deliver(only_delivery().pk)

    assert server.refused == ["timestamp"]
    assert server.accepted == []


def test_a_receiver_failing_twice_gets_the_event_on_the_third_try_exactly_once(receiver) -> None:
    server = receiver(fail_first=2)
    subscribe(server)
    services.emit("ping", {})
    pk = only_delivery().pk
    now = timezone.now()

    assert services.deliver(pk, now=now) == DeliveryStatus.PENDING
    # Not due yet: a second run at once sends nothing.
    assert services.deliver(pk, now=now) == DeliveryStatus.PENDING
    assert only_delivery().last_status_code == 500
    assert services.deliver(pk, now=now + dt.timedelta(minutes=2)) == DeliveryStatus.PENDING
    assert services.deliver(pk, now=now + dt.timedelta(hours=1)) == DeliveryStatus.DELIVERED
    # Delivered: any further run sends nothing again.
    assert services.deliver(pk, now=now + dt.timedelta(days=2)) == DeliveryStatus.DELIVERED

    event_id = str(WebhookEvent.objects.get().id)
    assert server.seen == {event_id: 3}
    assert [item["id"] for item in server.accepted] == [event_id]
    delivery = only_delivery()
    assert (delivery.attempts, delivery.last_status_code) == (3, 200)
    assert delivery.delivered_at is not None


def test_a_delivery_fails_after_the_last_try(receiver) -> None:
    server = receiver(fail_first=100)
    subscribe(server)
    services.emit("ping", {})
    pk = only_delivery().pk
    now = timezone.now()
    for attempt in range(services.MAX_ATTEMPTS):
        services.deliver(pk, now=now + dt.timedelta(days=attempt))
    delivery = only_delivery()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert services.deliver(pk, now=now + dt.timedelta(days=30)) == DeliveryStatus.FAILED
    assert sum(server.seen.values()) == services.MAX_ATTEMPTS


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(receiver) -> None:
    server = receiver()
    subscribe(server)
    services.emit("ping", {})
    pk = only_delivery().pk
    now = timezone.now()
    assert services._claim(pk, now)  # another worker holds it
    assert services.deliver(pk, now=now) == DeliveryStatus.PENDING
    assert server.seen == {}


def test_a_rolled_back_transaction_sends_nothing(receiver) -> None:
    server = receiver()
    subscribe(server)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.emit("ping", {})
        raise RuntimeError
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_no_subscriber_makes_no_rows(receiver) -> None:
    server = receiver()
    subscribe(server, kinds=["payment.approved"])
    WebhookEndpoint.objects.create(
        url=server.url + "/off", kinds=["ping"], secret="x", is_active=False
    )
    services.emit("ping", {})
    assert not WebhookEvent.objects.exists()


def test_emitting_never_makes_the_caller_fail() -> None:
    services.emit("no.such.kind", {})  # logged, not raised


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/hook", "http"),
        ("javascript:alert(1)", "http"),
        ("https://example.org/\nhook", "line breaks"),
        ("http://127.0.0.1:9/hook", "private"),
        ("http://10.0.0.5/hook", "private"),
        ("http://169.254.169.254/latest", "private"),
        ("http://[::1]/hook", "private"),
    ],
)
def test_a_bad_address_is_refused(settings, url, message) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ValidationError) as caught:
        services.endpoint_create(url=url, kinds=["ping"])
    assert message in caught.value.messages[0]
    assert not WebhookEndpoint.objects.exists()


def test_a_private_address_is_refused_again_at_send_time(receiver, settings) -> None:
    server = receiver()
    subscribe(server)
    services.emit("ping", {})
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    services.deliver(only_delivery().pk)
    assert server.seen == {}
    assert "private" in only_delivery().last_error


def test_a_long_description_is_refused(receiver) -> None:
    with pytest.raises(ValidationError):
        services.endpoint_create(url=receiver().url, kinds=["ping"], description="x" * 100_000)
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_kind_is_refused(receiver) -> None:
    with pytest.raises(ValidationError):
        services.endpoint_create(url=receiver().url, kinds=["everything"])
