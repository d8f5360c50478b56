"""GOV.UK Notify's callbacks: delivery receipts and text messages people send us.

Both are POSTed JSON with `Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>` (the token we gave
Notify). Answers are JSON problem details (`type`, `title`, `status`, `detail`), as in our API:

- no token configured here: 503 (we cannot trust any callback; Notify retries for 25 minutes,
  time to set the token, so a text sent meanwhile is not lost), logged as an error;
- no or wrong token: 401, nothing changed;
- too big, not JSON, a field missing: 400 with what is wrong (Notify does not retry a 4xx);
- readable: 200, even for a notification we do not know (logged), so Notify stops retrying.

The reading is `callbacks.py` (pure); the writing is `services.report_status` and
`services.inbound_text_receive`. The same callback twice changes things once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from coproduce.messaging import callbacks, services

log = logging.getLogger(__name__)


def _answer(status: int, title: str, detail: str = "", **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    kind = "application/problem+json" if status >= 400 else "application/json"
    response = JsonResponse(body, status=status, content_type=kind)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="notify-callbacks"'
    if status == 405:
        response["Allow"] = "POST"
    return response


def _read(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The callback's JSON, or the answer refusing it."""
    if request.method != "POST":
        return _answer(405, "Method not allowed", "Notify's callbacks are POSTed.")
    token = settings.NOTIFY_CALLBACK_TOKEN
    if not token:
        log.error("A Notify callback came in but NOTIFY_CALLBACK_TOKEN is not set: refused")
        return _answer(
            503,
            "Callbacks are not set up",
            "NOTIFY_CALLBACK_TOKEN is not set on this server, so no callback can be trusted. "
            "Set it to the bearer token given to Notify; Notify will try again.",
        )
    if not callbacks.bearer_ok(request.headers.get("Authorization"), token):
        return _answer(
            401,
            "Not signed",
            "The Authorization header must be 'Bearer <the callback token given to Notify>'.",
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > callbacks.MAX_BODY:
        return _answer(
            400, "Too big", f"At most {callbacks.MAX_BODY // 1024} KB is read from a callback."
        )
    try:
        return callbacks.read_json(request.body)
    except callbacks.CallbackError as exc:
        return _answer(400, "Cannot read the callback", str(exc))


@csrf_exempt  # Notify posts with no cookie; the bearer token is the key
def notify_status(request: HttpRequest) -> JsonResponse:
    data = _read(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        report = callbacks.read_status(data)
    except callbacks.CallbackError as exc:
        return _answer(400, "Cannot read the callback", str(exc))
    if report.status is None:
        if not report.known:
            log.warning(
                "Notify status %r for %s is new to us: nothing changed",
                report.notify_status,
                report.provider_id,
            )
        return _answer(200, "Nothing to change", result="ignored")
    message = services.report_status(
        provider_id=report.provider_id, status=report.status, reason=report.reason
    )
    if message is None:
        log.warning(
            "Notify reported %r for notification %s (reference %r), which we did not send",
            report.notify_status,
            report.provider_id,
            report.reference,
        )
        return _answer(200, "Unknown notification", result="unknown")
    return _answer(200, "Recorded", result=message.status)


@csrf_exempt  # Notify posts with no cookie; the bearer token is the key
def notify_inbound(request: HttpRequest) -> JsonResponse:
    data = _read(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        text = callbacks.read_received_text(data)
    except callbacks.CallbackError as exc:
        return _answer(400, "Cannot read the callback", str(exc))
    received = services.inbound_text_receive(
        provider_id=text.provider_id,
        from_number=text.from_number,
        body=text.body,
        received_at=text.received_at,
    )
    return _answer(200, "Received", result=received.status)
