"""Emit events, sign them (Standard Webhooks, standardwebhooks.com) and deliver them.

`emit` is called by other apps' services. It records nothing and costs one cheap query when no
active endpoint wants the kind, sends only after the caller's transaction commits, and never
makes the caller fail. `deliver` sends one delivery: a conditional update claims it first, so two
workers cannot both send it, and a delivered one is never sent again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

log = logging.getLogger(__name__)

# Every event kind, in one place: kind -> what it means (docs/webhooks.md has the payloads).
KINDS = {
    "person.signed_up": "A 'Get involved' sign-up came in",
    "attendance.recorded": "Attendance at a session was recorded",
    "payment.approved": "A reward payment was approved",
    "report.published": "A health-check report was presented to the board",
    "consent.withdrawn": "A person withdrew their consent to be contacted",
    "ping": "A test sent from the webhooks page",
}

# Back-off after each failed try; after the last one the delivery has failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a claimed delivery is held by the worker sending it (longer than the timeout).
LEASE = dt.timedelta(minutes=2)
TIMEOUT = 10
READ_AT_MOST = 4096


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for a body."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def check_url(url: str) -> None:
    """Refuse a URL we must not post to: not http(s), or (unless allowed) one whose host
    resolves to a private, loopback, link-local or otherwise internal address."""
    if any(ch in url for ch in "\r\n\t\x00 "):
        raise ValidationError("The address must not contain spaces or line breaks.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("The address must start with http:// or https://.")
    if settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise ValidationError("We could not find that address.") from exc
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not address.is_global:
            raise ValidationError(
                "That address is on a private or internal network; webhooks go only to "
                "public addresses."
            )


def _check_endpoint(*, url: str, kinds: list[str], description: str) -> list[str]:
    """The kinds, sorted, once the address, the kinds and the description are acceptable."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValidationError({"kinds": f"Unknown event kinds: {', '.join(sorted(unknown))}."})
    if not kinds:
        raise ValidationError({"kinds": "Choose at least one event."})
    if any(ch in description for ch in "\r\n\x00"):
        raise ValidationError({"description": "The description must be one line."})
    try:
        check_url(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from exc
    return sorted(set(kinds))


def _save_endpoint(endpoint: WebhookEndpoint, **save: Any) -> None:
    endpoint.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the unique address may be taken meanwhile
            endpoint.save(**save)
    except IntegrityError as exc:
        raise ValidationError({"url": TAKEN}) from exc


TAKEN = "There is already a webhook for that address. Change that one instead."


@transaction.atomic
def endpoint_create(
    *,
    url: str,
    kinds: list[str],
    description: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> WebhookEndpoint:
    """A new endpoint with a new secret (`endpoint.secret`: show it to the admin once)."""
    kinds = _check_endpoint(url=url, kinds=kinds, description=description)
    if WebhookEndpoint.objects.filter(url=url).exists():
        raise ValidationError({"url": TAKEN})
    endpoint = WebhookEndpoint(url=url, kinds=kinds, description=description, secret=new_secret())
    _save_endpoint(endpoint)
    audit_record(
        action="webhooks.endpoint_created",
        actor=actor,
        obj=endpoint,
        summary=f"{endpoint.url}: {', '.join(endpoint.kinds)}",
        request=request,
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    kinds: list[str],
    description: str,
    is_active: bool,
    actor: User | None,
    request: HttpRequest | None = None,
) -> WebhookEndpoint:
    """Change where an endpoint posts, what it receives, or switch it off. The secret stays."""
    kinds = _check_endpoint(url=url, kinds=kinds, description=description)
    current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if WebhookEndpoint.objects.filter(url=url).exclude(pk=current.pk).exists():
        raise ValidationError({"url": TAKEN})
    values = {"url": url, "kinds": kinds, "description": description, "is_active": is_active}
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    _save_endpoint(current, update_fields=changed)
    audit_record(
        action="webhooks.endpoint_updated",
        actor=actor,
        obj=current,
        summary="Changed " + ", ".join(sorted(changed)),
        request=request,
    )
    return current


@transaction.atomic
def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor: User | None, request: HttpRequest | None = None
) -> str:
    """Give the endpoint a new secret at once (the old one stops working); returns it."""
    secret = new_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    audit_record(
        action="webhooks.secret_rotated",
        actor=actor,
        obj=endpoint,
        summary=endpoint.url,
        request=request,
    )
    return secret


# A second "Send test" this soon after one still waiting to go is the same click twice.
TEST_AGAIN_AFTER = dt.timedelta(seconds=30)


@transaction.atomic
def send_test(
    *, endpoint: WebhookEndpoint, actor: User | None, request: HttpRequest | None = None
) -> WebhookDelivery | None:
    """Send a `ping` to this endpoint only (active or not, whatever kinds it wants).

    Returns the new delivery, or None when a test sent moments ago is still waiting to go.
    """
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    waiting = WebhookDelivery.objects.filter(
        endpoint=endpoint,
        event__kind="ping",
        status=DeliveryStatus.PENDING,
        created_at__gte=timezone.now() - TEST_AGAIN_AFTER,
    )
    if waiting.exists():
        return None
    event = WebhookEvent.objects.create(
        kind="ping", payload=_body("ping", {"endpoint_id": endpoint.pk})
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    audit_record(
        action="webhooks.test_sent",
        actor=actor,
        obj=endpoint,
        summary=f"Test event {event.id}",
        request=request,
    )
    enqueue(delivery.pk)
    return delivery


@transaction.atomic
def delivery_retry(
    *, delivery: WebhookDelivery, actor: User | None, request: HttpRequest | None = None
) -> bool:
    """Try a failed delivery once more, now. If that try fails too it is failed again (the
    count of tries goes on). True if this call did it (a second click finds it waiting)."""
    changed = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    if changed:
        audit_record(
            action="webhooks.delivery_retried",
            actor=actor,
            obj=delivery,
            summary=f"Event {delivery.event_id} to endpoint {delivery.endpoint_id}",
            request=request,
        )
        enqueue(delivery.pk)
    delivery.refresh_from_db()
    return bool(changed)


def _body(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "timestamp": timezone.now().isoformat(), "data": payload}


def person_path(person_id: int) -> str:
    """Where a receiver fetches a person's record with its API token."""
    return f"/api/v1/people/{person_id}"


def emit(kind: str, payload: dict[str, Any]) -> None:
    """Record `kind` for every active endpoint that wants it, and deliver after commit.

    Never raises: webhooks must not make the work that caused them fail.
    """
    try:
        _emit(kind, payload)
    except Exception:
        log.exception("Could not emit webhook event %s", kind)


def _emit(kind: str, payload: dict[str, Any]) -> None:
    assert kind in KINDS, kind
    endpoint_ids = [
        pk
        for pk, kinds in WebhookEndpoint.objects.filter(is_active=True).values_list("pk", "kinds")
        if kind in kinds
    ]
    if not endpoint_ids:
        return
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            kind=kind,
            payload=_body(kind, payload),
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint_id=pk, event=event) for pk in endpoint_ids
        )
    ids = [delivery.pk for delivery in deliveries]
    if any(pk is None for pk in ids):  # a backend that does not return ids from bulk_create
        ids = list(event.deliveries.values_list("pk", flat=True))
    for pk in ids:
        enqueue(pk)


def enqueue(delivery_id: int, *, run_after: dt.datetime | None = None) -> None:
    def go() -> None:
        from coproduce.webhooks.tasks import deliver_webhook

        task = deliver_webhook
        if run_after and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)

    transaction.on_commit(go)


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take the delivery for this worker: one conditional UPDATE, so only one worker wins."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        WebhookDelivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.PENDING).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(endpoint: WebhookEndpoint, event: WebhookEvent) -> tuple[int | None, str]:
    """(HTTP status or None, error) of one POST of the event to the endpoint."""
    try:
        check_url(endpoint.url)
    except ValidationError as exc:
        return None, exc.messages[0]
    body = json.dumps(event.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (check_url allows only http and https)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "content-type": "application/json",
            "user-agent": "coproduce-webhooks",
            "webhook-id": str(event.id),
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(endpoint.secret, str(event.id), timestamp, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            response.read(READ_AT_MOST)
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"The receiver answered {exc.code}."
    except (OSError, ValueError) as exc:
        return None, str(exc)[:300] or exc.__class__.__name__


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and not yet delivered. Returns its status afterwards."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return (
            WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
            or ""
        )
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    code, error = _post(delivery.endpoint, delivery.event)
    delivery.last_status_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
    else:
        delivery.last_error = (error or f"The receiver answered {code}.")[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
        ]
    )
    if delivery.status == DeliveryStatus.PENDING:
        with transaction.atomic():
            enqueue(delivery.pk, run_after=delivery.next_attempt_at)
    return delivery.status
