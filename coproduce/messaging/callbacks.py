"""Reading GOV.UK Notify's callbacks: pure functions, no database, no request.

Notify POSTs JSON to two of our URLs, with `Authorization: Bearer <the token we gave it>`:

- a delivery receipt for each text (and letter) we sent: `id` (Notify's id for it), `reference`
  (ours: the message key), `to`, `status`, `created_at`, `completed_at`, `sent_at`,
  `notification_type`, `template_id`, `template_version`; and, for a letter that came back, a
  returned-letter callback: `notification_id`, `reference`, `date_sent`, ...;
- each text message a person sends to our number: `id`, `source_number` ("447700912345"),
  `destination_number`, `message`, `date_received` ("2017-05-14T12:15:30.000000Z", UTC).

Notify retries a callback that fails with 5xx or 429 (every 5 minutes, 5 times) and gives up on
any other 4xx. So a callback we cannot trust or read is a 4xx (retrying would not help), and one
we can read but do not need (an unknown id) is a 200, so that Notify stops asking.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from dataclasses import dataclass
from typing import Any

from coproduce.messaging.models import Status

MAX_BODY = 64 * 1024  # bytes: Notify's callbacks are a few hundred

# Notify's statuses -> ours and the reason the coordinator reads. None: nothing to change (still
# on its way, or a status that needs nothing from us).
_STATUSES: dict[str, tuple[str | None, str]] = {
    "delivered": (Status.DELIVERED, ""),
    # A letter: printed and posted, Notify's last word on it.
    "received": (Status.DELIVERED, ""),
    "permanent-failure": (
        Status.FAILED,
        "The phone number is wrong or no longer in use (Notify: permanent failure).",
    ),
    "temporary-failure": (
        Status.FAILED,
        "The phone was off or not taking messages for 3 days (Notify: temporary failure).",
    ),
    "technical-failure": (
        Status.FAILED,
        "Notify could not pass it on because of a technical problem (Notify: technical failure).",
    ),
    "validation-failed": (
        Status.FAILED,
        "Notify could not print the letter: it did not fit the printable area "
        "(Notify: validation failed).",
    ),
    "virus-scan-failed": (
        Status.FAILED,
        "Notify would not print the letter: its virus check failed (Notify: virus scan failed).",
    ),
    "cancelled": (Status.FAILED, "The letter was cancelled before it was printed."),
    "returned-letter": (
        Status.RETURNED,
        "The letter came back to Notify: it could not be delivered.",
    ),
    # On the way: nothing to record yet.
    "created": (None, ""),
    "sending": (None, ""),
    "pending": (None, ""),
    "sent": (None, ""),  # sent abroad, where networks say no more
    "accepted": (None, ""),
    "pending-virus-check": (None, ""),
}


class CallbackError(ValueError):
    """A callback we cannot read: the message says what is wrong, in plain words."""


@dataclass(frozen=True)
class StatusReport:
    provider_id: str
    notify_status: str
    reference: str
    status: str | None  # ours (Status), or None: nothing to change
    reason: str
    known: bool  # False: a status Notify did not have when this was written


@dataclass(frozen=True)
class TextIn:
    provider_id: str
    from_number: str
    body: str
    received_at: dt.datetime


def bearer_ok(header: str | None, token: str) -> bool:
    """Whether the Authorization header carries our token (compared in constant time)."""
    if not token or not header:
        return False
    scheme, _, given = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def read_json(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY:
        raise CallbackError(f"The callback is too big: at most {MAX_BODY // 1024} KB is read.")
    if not raw.strip():
        raise CallbackError("The callback is empty: a JSON object was expected.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CallbackError(f"The callback is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise CallbackError("The callback must be a JSON object.")
    return data


def _text(data: dict[str, Any], name: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CallbackError(f"The callback has no {name!r}, or it is not text.")
    if len(value) > max_length:
        raise CallbackError(f"The callback's {name!r} is too long (at most {max_length}).")
    return value.strip()


def read_status(data: dict[str, Any]) -> StatusReport:
    """A delivery receipt, or a returned-letter callback."""
    if "status" not in data and "notification_id" in data:
        provider_id = _text(data, "notification_id", max_length=100)
        notify_status = "returned-letter"
    else:
        provider_id = _text(data, "id", max_length=100)
        notify_status = _text(data, "status", max_length=40).lower()
    reference = _text(data, "reference", max_length=200, required=False)
    ours, reason = _STATUSES.get(notify_status, (None, ""))
    return StatusReport(
        provider_id=provider_id,
        notify_status=notify_status,
        reference=reference,
        status=ours,
        reason=reason,
        known=notify_status in _STATUSES,
    )


def read_received_text(data: dict[str, Any]) -> TextIn:
    provider_id = _text(data, "id", max_length=100)
    source = _text(data, "source_number", max_length=30)
    body = data.get("message")
    if not isinstance(body, str):
        raise CallbackError("The callback has no 'message', or it is not text.")
    if len(body) > 5000:
        raise CallbackError("The callback's 'message' is too long (at most 5000).")
    when = _text(data, "date_received", max_length=40)
    try:
        received_at = dt.datetime.fromisoformat(when)
    except ValueError as exc:
        raise CallbackError(
            "The callback's 'date_received' is not a date and time like 2017-05-14T12:15:30Z."
        ) from exc
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=dt.UTC)  # Notify's times are UTC
    return TextIn(provider_id=provider_id, from_number=source, body=body, received_at=received_at)
