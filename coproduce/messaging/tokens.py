"""Signed tokens in links we send: an email's reply link carries its message's key."""

from __future__ import annotations

from django.core import signing

ANSWER_SALT = "messaging.answer"
ANSWER_MAX_AGE = 60 * 60 * 24 * 60  # a reply link works for 60 days


def answer_token(key: str) -> str:
    return signing.dumps(key, salt=ANSWER_SALT)


def answer_key(token: str) -> str | None:
    """The message key in a reply link, or None if the link was changed or is too old."""
    try:
        key = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None
