"""Password reset emails go through messaging, so they are recorded with every other message.

Accounts (below messaging) asks the sender registered here (`HomeConfig.ready`). A login whose
person record has the same, usable email address gets the reset email as a "password_reset"
message, sent at once (the person is waiting for it). The link in it lets anyone who has it
choose the password, so once it is sent the link is taken out of the copy we keep (staff see
message bodies on the outbox pages). Anyone else (staff logins, an address that differs, email
switched off for this person) gets Django's own email, as before.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.urls import reverse

from coproduce.messaging import channels
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message, Status
from coproduce.people.models import Person

REMOVED = "(the link is removed from our copy once it is sent)"


def send(*, context: dict[str, Any], to_email: str) -> bool:
    user = context["user"]
    person = Person.objects.filter(user_id=user.pk).first()
    if person is None:
        return False
    address = channels.address_for(person, "email", channels.preference_of(person))
    if address.strip().lower() != to_email.strip().lower():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": context["uid"], "token": context["token"]},
    )
    reset_url = f"{context['protocol']}://{context['domain']}{path}"
    # The same request twice (a double click) makes one message; the token itself is not kept.
    token_hash = hashlib.sha256(context["token"].encode()).hexdigest()[:16]
    message = messaging.send(
        kind="password_reset",
        person=person,
        key=f"password_reset:{user.pk}:{token_hash}",
        context={"email": to_email, "reset_url": reset_url},
        about=f"accounts.user:{user.pk}",
    )
    if message.status == Status.QUEUED:
        messaging.deliver(message.pk)
    sent = Message.objects.filter(pk=message.pk, status=Status.SENT).exists()
    if not sent:
        Message.objects.filter(pk=message.pk, status=Status.QUEUED).update(
            status=Status.FAILED, failure="Could not be sent at once; sent directly instead."
        )
    Message.objects.filter(pk=message.pk).update(
        body=message.body.replace(reset_url, REMOVED),
        context={"email": to_email, "reset_url": REMOVED},
    )
    return sent
