"""Signed tokens in links we send: an email's reply link carries its message's key.

The token is the key signed with the site's secret (no time in it, so the same message always
has the same link); the link stops working 60 days after the message was made (see
views_answer)."""

from __future__ import annotations

import datetime as dt

from django.core import signing

ANSWER_SALT = "messaging.answer"
ANSWER_LIFETIME = dt.timedelta(days=60)


def answer_token(key: str) -> str:
    return signing.Signer(salt=ANSWER_SALT).sign(key)


def answer_key(token: str) -> str | None:
    """The message key in a reply link, or None if the link was changed."""
    try:
        return signing.Signer(salt=ANSWER_SALT).unsign(token)
    except signing.BadSignature:
        return None
