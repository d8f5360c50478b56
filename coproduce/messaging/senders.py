"""The senders, one per channel: each takes a Message and hands it on, or says why it could not.

- Email: Django's email backend (SMTP in production, the console for `make run`), with a
  one-click unsubscribe link (List-Unsubscribe, RFC 8058) and the person's supporter in copy.
- Text: GOV.UK Notify when NOTIFY_API_KEY is set; otherwise the message stays in the outbox
  (status "sent", provider "outbox") for staff to read on the outbox page.
- Letter: waits for admin support to print a pack, or goes to Notify as a precompiled letter
  when LETTERS_BY_NOTIFY is on.
- Phone: lands on admin support's phone list.

A sender returns the provider's id and the status the message has now, or raises
TemporaryFailure (try again later) or PermanentFailure (fall back to the next channel).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid

from coproduce.messaging.models import Channel, Message, Status

log = logging.getLogger(__name__)

OUTBOX = "outbox"
NOTIFY_TIMEOUT = 10  # seconds: a worker waits no longer for Notify; the message is retried


class TemporaryFailure(Exception):
    """The channel may work later: try again with back-off."""


class PermanentFailure(Exception):
    """This channel will not work for this person: fall back to the next."""

    def __init__(self, reason: str, *, bounced: bool = False) -> None:
        super().__init__(reason)
        self.bounced = bounced


Sent = tuple[str, str]  # (provider id, new status)


def unsubscribe_url(message: Message) -> str:
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps({"p": message.person_id, "m": message.pk}, salt="messaging.unsubscribe")
    return settings.SITE_URL.rstrip("/") + reverse("messaging:unsubscribe", args=[token])


def send_email(message: Message) -> Sent:
    import smtplib

    unsubscribe = unsubscribe_url(message)
    from coproduce.messaging.channels import preference_of

    preference = preference_of(message.person)
    cc = [preference.supporter_email] if preference and preference.supporter_email else []
    # Our own Message-ID, kept as the provider id, so that a bounce report can find the message.
    message_id = make_msgid(domain=_mail_domain())
    email = EmailMessage(
        subject=message.subject,
        body=f"{message.body}\n\nTo stop emails like this: {unsubscribe}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        cc=cc,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Coproduce-Message": message.key,
            "Message-ID": message_id,
        },
    )
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure("The email address was refused.", bounced=True) from exc
        raise TemporaryFailure(f"The mail server refused for now: {codes}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"The mail server could not be reached: {exc}") from exc
    return message_id, Status.SENT


def _mail_domain() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"


_clients = threading.local()


def _notify_client():  # type: ignore[no-untyped-def]
    """One Notify client per thread and key: it keeps its HTTP connection open between messages
    (the client is not thread-safe, so threads never share one)."""
    from notifications_python_client.notifications import NotificationsAPIClient

    wanted = (settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL)
    if getattr(_clients, "key", None) != wanted:
        _clients.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=NOTIFY_TIMEOUT
        )
        _clients.key = wanted
    return _clients.client


def _notify_reason(exc: Exception) -> str:
    """Notify's own words: its error JSON is {"errors": [{"error": ..., "message": ...}]}; an
    answer that is not JSON (a proxy's error page) leaves the client's plain message."""
    found = getattr(exc, "message", None)
    if isinstance(found, list):
        words = "; ".join(str(m.get("message", "")) for m in found if isinstance(m, dict))
        if words:
            return words
    return str(found or exc)


def _notify_call(call: Callable[[], dict]) -> str:
    from notifications_python_client.errors import HTTPError, InvalidResponse

    try:
        response = call()
    except InvalidResponse as exc:
        # A success with no JSON (a proxy in the way): try again later rather than guess.
        raise TemporaryFailure(f"Notify's answer could not be read: {exc}") from exc
    except HTTPError as exc:
        status = getattr(exc, "status_code", 0) or 0
        reason = _notify_reason(exc)
        if status == 429 or status >= 500:
            raise TemporaryFailure(f"Notify answered {status}: {reason}") from exc
        if status in (401, 403):
            # Our key or clock, not the person's number: no reason to give up on the channel yet.
            log.error("Notify refused our API key (%s): %s. Check NOTIFY_API_KEY.", status, reason)
            raise TemporaryFailure(f"Notify refused our API key ({status}): {reason}") from exc
        raise PermanentFailure(f"Notify refused it ({status}): {reason}") from exc
    except OSError as exc:
        raise TemporaryFailure(f"Notify could not be reached: {exc}") from exc
    try:
        return str(response["id"])
    except (KeyError, TypeError) as exc:
        raise TemporaryFailure("Notify's answer had no notification id.") from exc


def send_text(message: Message) -> Sent:
    if not settings.NOTIFY_API_KEY:
        return OUTBOX, Status.SENT
    client = _notify_client()
    return (
        _notify_call(
            lambda: client.send_sms_notification(
                phone_number=message.to,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation={"body": message.body},
                reference=message.key,
            )
        ),
        Status.SENT,
    )


def send_letter(message: Message) -> Sent:
    if not (settings.NOTIFY_API_KEY and settings.LETTERS_BY_NOTIFY):
        return "", Status.TO_PRINT
    import io

    from coproduce.messaging.letters import letter_pdf

    client = _notify_client()
    pdf = letter_pdf(message)
    return (
        _notify_call(
            lambda: client.send_precompiled_letter_notification(
                reference=message.key, pdf_file=io.BytesIO(pdf)
            )
        ),
        Status.SENT,
    )


def send_phone(message: Message) -> Sent:
    return "", Status.TO_PHONE


SENDERS: dict[str, Callable[[Message], Sent]] = {
    Channel.EMAIL: send_email,
    Channel.TEXT: send_text,
    Channel.LETTER: send_letter,
    Channel.PHONE: send_phone,
}
