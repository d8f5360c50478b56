"""A local HTTP server that speaks the part of GOV.UK Notify's API we use, for tests and the
texts benchmark. The real `notifications-python-client` talks to it over HTTP, so the wire format
(JSON bodies, the JWT in the Authorization header, error shapes) is exercised, not a mock.

What it does, as Notify does (shapes from Notify's API docs and its python client's docs):

- checks the JWT on every request: HS256, signed with the API key's secret, `iss` = the service
  id, `iat` within 30 seconds of now; a missing header is 401, a bad token 403, each with
  Notify's error JSON (`{"status_code": ..., "errors": [{"error": ..., "message": ...}]}`);
- POST /v2/notifications/sms: checks the phone number (a UK mobile), the template id and that the
  template's one placeholder ((body)) is given; answers 201 with the notification;
- POST /v2/notifications/letter (precompiled): `reference` and base64 `content`, which must be a
  PDF; answers 201 `{"id", "reference", "postage"}`;
- GET /v2/notifications/<id>: the notification, or 400 (not a UUID) / 404 (no such one).

It records every request it answered (`requests`, with what it answered), keeps the accepted
notifications (`notifications`), and can be told to fail for a number or a letter reference
(`fail_for`: 400 ValidationError, 500, 429), a given number of times or for good.

It can also play Notify calling *us*: `post_status` and `post_received_text` POST a delivery
receipt or a received text message, in Notify's callback JSON shapes, with the bearer token, to a
URL (a live server); `status_payload` and `received_text_payload` give the same JSON for a test
that posts it with Django's test client.

    server = NotifyServer(); server.start(); ...; server.stop()
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import requests

CLOCK_SKEW = 30  # seconds either way, as Notify allows
SMS_LIMIT = 918  # characters: Notify refuses a longer text message (6 fragments)

# Notify's own words for its errors (its API docs and python client's documentation).
BAD_TOKEN = "Invalid token: signature, api token not found"
BAD_CLOCK = "Error: Your system clock must be accurate to within 30 seconds"
NO_TOKEN = "Unauthorized: authentication token must be provided"
NOT_BEARER = "Unauthorized: authentication bearer scheme must be used"
FAILURES = {
    400: ("ValidationError", "phone_number Not a UK mobile number"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def uk_mobile(raw: str) -> str:
    """Notify's reading of a UK mobile number: 447xxxxxxxxx, or "" when it is not one."""
    digits = re.sub(r"[\s\-().+]", "", raw or "")
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("07"):
        digits = "44" + digits[1:]
    return digits if re.fullmatch(r"447\d{9}", digits) else ""


@dataclass
class Failure:
    status: int
    times: int | None  # None: every time
    message: str


@dataclass
class Received:
    """One request the server answered."""

    method: str
    path: str
    body: dict[str, Any] | None
    status: int
    answer: dict[str, Any]
    claims: dict[str, Any] = field(default_factory=dict)


class NotifyServer:
    def __init__(self, *, sms_template_id: str | None = None, callback_token: str = "") -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        # Notify's key format: <key name>-<service id>-<secret>.
        self.api_key = f"coproduce_test-{self.service_id}-{self.secret}"
        self.sms_template_id = sms_template_id or str(uuid.uuid4())
        self.callback_token = callback_token or uuid.uuid4().hex
        self.from_number = "COPRODUCE"
        self.requests: list[Received] = []
        self.notifications: dict[str, dict[str, Any]] = {}
        self.record = True  # the benchmark turns this off to measure the app, not the list
        self._failures: dict[str, Failure] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- running ----------------------------------------------------------------------------
    def start(self) -> NotifyServer:
        server = self

        class Handler(_Handler):
            notify = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- what tests ask of it --------------------------------------------------------------
    def fail_for(
        self, number_or_reference: str, status: int, *, times: int | None = 1, message: str = ""
    ) -> None:
        """Answer `status` (400, 429 or 500) for this phone number (any format) or letter
        reference, `times` times (None: until `clear_failures`)."""
        key = uk_mobile(number_or_reference) or number_or_reference
        with self._lock:
            self._failures[key] = Failure(status, times, message or FAILURES[status][1])

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def sent(self, kind: str = "sms") -> list[dict[str, Any]]:
        """The bodies of the requests of this kind ("sms" or "letter") that Notify accepted."""
        with self._lock:
            return [
                r.body or {}
                for r in self.requests
                if r.method == "POST" and r.path.endswith(f"/{kind}") and r.status == 201
            ]

    def set_status(self, notification_id: str, status: str) -> None:
        with self._lock:
            self.notifications[notification_id]["status"] = status
            self.notifications[notification_id]["completed_at"] = _stamp(_now())

    # --- Notify calling us -------------------------------------------------------------------
    def status_payload(self, notification_id: str, status: str) -> dict[str, Any]:
        """A delivery receipt as Notify posts it (all strings, but template_version)."""
        with self._lock:
            n = dict(self.notifications.get(notification_id) or {})
        return {
            "id": notification_id,
            "reference": n.get("reference"),
            "to": n.get("phone_number") or n.get("email_address") or "",
            "status": status,
            "created_at": n.get("created_at") or _stamp(_now()),
            "completed_at": _stamp(_now()),
            "sent_at": n.get("sent_at") or _stamp(_now()),
            "notification_type": n.get("type", "sms"),
            "template_id": (n.get("template") or {}).get("id", self.sms_template_id),
            "template_version": 1,
        }

    def returned_letter_payload(self, notification_id: str) -> dict[str, Any]:
        """The returned-letter callback, as Notify posts it."""
        with self._lock:
            n = dict(self.notifications.get(notification_id) or {})
        return {
            "notification_id": notification_id,
            "reference": n.get("reference"),
            "date_sent": n.get("created_at") or _stamp(_now()),
            "sent_by": "API",
            "template_name": None,
            "template_id": None,
            "template_version": None,
            "spreadsheet_file_name": None,
            "spreadsheet_row_number": None,
            "upload_letter_file_name": None,
        }

    def received_text_payload(
        self,
        source_number: str,
        message: str,
        *,
        text_id: str | None = None,
        when: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """A text message a person sent to our number, as Notify forwards it."""
        return {
            "id": text_id or str(uuid.uuid4()),
            "source_number": uk_mobile(source_number) or source_number,
            "destination_number": "07700987654",
            "message": message,
            "date_received": _stamp(when or _now()),
        }

    def post(self, url: str, payload: dict[str, Any], *, token: str | None = None) -> Any:
        """POST a callback to our app as Notify does (JSON, bearer token, 5 s timeout)."""
        return requests.post(
            url,
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.callback_token if token is None else token}",
            },
            timeout=5,
        )

    def post_status(self, url: str, notification_id: str, status: str) -> Any:
        return self.post(url, self.status_payload(notification_id, status))

    def post_received_text(self, url: str, source_number: str, message: str, **kw: Any) -> Any:
        return self.post(url, self.received_text_payload(source_number, message, **kw))

    # --- answering ---------------------------------------------------------------------------
    def _failure_for(self, key: str) -> Failure | None:
        with self._lock:
            failure = self._failures.get(key)
            if failure is None:
                return None
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    del self._failures[key]
            return failure

    def check_token(self, header: str | None) -> tuple[int, str, dict[str, Any]]:
        """(0, "", claims) for a good token, else (status, message, {})."""
        if not header:
            return 401, NO_TOKEN, {}
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return 401, NOT_BEARER, {}
        try:
            if jwt.get_unverified_header(token).get("alg") != "HS256":
                return 403, "Invalid token: algorithm used is not HS256", {}
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.MissingRequiredClaimError as exc:
            return 403, f"Invalid token: {exc.claim} field not provided", {}
        except jwt.PyJWTError:
            return 403, BAD_TOKEN, {}
        if claims["iss"] != self.service_id:
            return 403, BAD_TOKEN, {}
        try:
            issued = int(claims["iat"])
        except (TypeError, ValueError):
            return 403, BAD_TOKEN, {}
        if abs(time.time() - issued) > CLOCK_SKEW:
            return 403, BAD_CLOCK, {}
        return 0, "", claims

    def answer(
        self, method: str, path: str, body: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v2/notifications/sms":
            return self._sms(body or {})
        if method == "POST" and path == "/v2/notifications/letter":
            return self._letter(body or {})
        found = re.fullmatch(r"/v2/notifications/([^/?]+)", path)
        if method == "GET" and found:
            return self._get(found.group(1))
        return _error(404, "ResourceNotFound", "The requested URL was not found on the server.")

    def _sms(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        for name in ("phone_number", "template_id"):
            if not isinstance(body.get(name), str):
                return _error(400, "ValidationError", f"{name} is a required property")
        number = uk_mobile(body["phone_number"])
        failure = self._failure_for(number) if number else None
        if failure is not None:
            return _error(failure.status, FAILURES[failure.status][0], failure.message)
        if not number:
            return _error(400, "ValidationError", "phone_number Not a UK mobile number")
        if body["template_id"] != self.sms_template_id:
            return _error(400, "BadRequestError", "Template not found")
        personalisation = body.get("personalisation") or {}
        if not isinstance(personalisation, dict) or "body" not in personalisation:
            return _error(400, "BadRequestError", "Missing personalisation: body")
        content = str(personalisation["body"])
        if len(content) > SMS_LIMIT:
            return _error(
                400,
                "BadRequestError",
                f"Text messages cannot be longer than {SMS_LIMIT} characters. "
                f"Your message is {len(content)} characters long.",
            )
        reference = body.get("reference")
        notification = self._store(
            type="sms", reference=reference, phone_number=body["phone_number"], body=content
        )
        return 201, {
            "id": notification["id"],
            "reference": reference,
            "content": {"body": content, "from_number": self.from_number},
            "uri": f"{self.base_url}/v2/notifications/{notification['id']}",
            "template": notification["template"],
            "scheduled_for": None,
        }

    def _letter(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if "content" not in body:
            # A templated letter: we only send precompiled ones.
            return _error(400, "ValidationError", "personalisation is a required property")
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference:
            return _error(400, "ValidationError", "reference is a required property")
        failure = self._failure_for(reference)
        if failure is not None:
            return _error(failure.status, FAILURES[failure.status][0], failure.message)
        postage = body.get("postage") or "second"
        if postage not in ("first", "second", "economy"):
            return _error(
                400,
                "ValidationError",
                "postage invalid. It must be either first, second or economy.",
            )
        try:
            pdf = base64.b64decode(str(body["content"]), validate=True)
        except (binascii.Error, ValueError):
            pdf = b""
        if not pdf.startswith(b"%PDF-"):
            return _error(400, "BadRequestError", "Letter content is not a valid PDF")
        notification = self._store(
            type="letter", reference=reference, postage=postage, pdf=pdf, status="accepted"
        )
        return 201, {"id": notification["id"], "reference": reference, "postage": postage}

    def _get(self, notification_id: str) -> tuple[int, dict[str, Any]]:
        try:
            uuid.UUID(notification_id)
        except ValueError:
            return _error(400, "ValidationError", "notification_id is not a valid UUID")
        with self._lock:
            notification = self.notifications.get(notification_id)
            shown = {k: v for k, v in (notification or {}).items() if k != "pdf"}
        if not notification:
            return _error(404, "NoResultFound", "No result found")
        return 200, shown

    def _store(self, **fields: Any) -> dict[str, Any]:
        notification_id = str(uuid.uuid4())
        now = _stamp(_now())
        template_id = self.sms_template_id if fields["type"] == "sms" else str(uuid.UUID(int=0))
        notification = {
            "id": notification_id,
            "reference": None,
            "email_address": None,
            "phone_number": None,
            "line_1": None,
            "line_2": None,
            "line_3": None,
            "line_4": None,
            "line_5": None,
            "line_6": None,
            "postcode": None,
            "type": fields["type"],
            "status": "created",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{template_id}/version/1",
            },
            "body": "",
            "subject": None,
            "created_at": now,
            "created_by_name": None,
            "sent_at": None,
            "completed_at": None,
            **fields,
        }
        with self._lock:
            self.notifications[notification_id] = notification
        return notification


def _error(status: int, error: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


class _Handler(BaseHTTPRequestHandler):
    notify: NotifyServer
    protocol_version = "HTTP/1.1"  # keep-alive, as the client's requests.Session expects
    disable_nagle_algorithm = True  # headers and body go at once, with no 40 ms delayed-ACK wait

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # quiet: tests read `requests`, not a log

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: dict[str, Any] | None = None
        claims: dict[str, Any] = {}
        status, message, claims = self.notify.check_token(self.headers.get("Authorization"))
        if status:
            status, answer = _error(status, "AuthError", message)
        else:
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = "not json"
            if parsed is not None and not isinstance(parsed, dict):
                status, answer = _error(400, "ValidationError", "Invalid JSON supplied")
            else:
                body = parsed
                status, answer = self.notify.answer(method, self.path, body)
        if self.notify.record:
            with self.notify._lock:
                self.notify.requests.append(
                    Received(method, self.path, body, status, answer, claims)
                )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    """Run on its own (the texts benchmark): prints one JSON line with the base URL, API key
    and text template id, then serves until its standard input is closed."""
    import sys

    server = NotifyServer().start()
    server.record = False
    print(
        json.dumps(
            {
                "base_url": server.base_url,
                "api_key": server.api_key,
                "sms_template_id": server.sms_template_id,
            }
        ),
        flush=True,
    )
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
