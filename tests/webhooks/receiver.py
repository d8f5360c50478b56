"""A real receiving HTTP server on 127.0.0.1 that checks Standard Webhooks signatures with its
own code (not ours), counts every webhook-id it sees and accepts each id once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import time as clock  # bound now: a test may shift the sender's clock
from typing import Any


class Receiver:
    def __init__(self, secret: str = "", *, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.seen: Counter[str] = Counter()
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                code = receiver.handle(self.headers, body)
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verify(self, headers: Any, body: bytes) -> str:
        """Why the request is refused, or ""."""
        event_id = headers.get("webhook-id", "")
        stamp = headers.get("webhook-timestamp", "")
        if not stamp.isdigit() or abs(clock() - int(stamp)) > 300:
            return "timestamp"
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        expected = base64.b64encode(
            hmac.new(key, f"{event_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
        ).decode()
        given = [part.split(",", 1)[-1] for part in headers.get("webhook-signature", "").split()]
        if not any(hmac.compare_digest(expected, value) for value in given):
            return "signature"
        return ""

    def handle(self, headers: Any, body: bytes) -> int:
        event_id = headers.get("webhook-id", "")
        self.seen[event_id] += 1
        reason = self.verify(headers, body)
        if reason:
            self.refused.append(reason)
            return 401
        if self.seen[event_id] <= self.fail_first:
            return 500
        if any(item["id"] == event_id for item in self.accepted):
            return 200  # a duplicate: acknowledged, not accepted again
        self.accepted.append({"id": event_id, "body": json.loads(body)})
        return 200

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
