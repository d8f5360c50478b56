"""Every message we send to a person, on the channel they chose, and what came back.

One row per message and channel (`Message`): what kind, to whom, the words as sent, where it went
(`to`: an email address, a mobile number, postal address lines or a phone number), its status and
its idempotency `key`, so that the same message is never sent twice. A message that falls back to
another channel gets a new row pointing at the one that failed (`fallback_of`).

`ContactPreference` is what a person (or staff on their behalf) said about how to reach them.
`InboundText` is a text message that came in; one we cannot match or read waits for a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Staff will phone"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to send"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    TO_PRINT = "to_print", "Waiting to be printed"
    PRINTED = "printed", "Printed for post"
    TO_PHONE = "to_phone", "On the phone list"
    PHONED = "phoned", "Phoned"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    RETURNED = "returned", "Letter returned"
    NOT_SENT = "not_sent", "Could not be sent"


# Finished badly: the coordinator's "who could not be reached" list.
UNREACHED = (Status.FAILED, Status.BOUNCED, Status.RETURNED, Status.NOT_SENT)
# Still to go out: the worker (or the letter pack, or the phone list) has it.
WAITING = (Status.QUEUED, Status.TO_PRINT, Status.TO_PHONE)


class Message(models.Model):
    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Idempotency key: the same key never sends twice (e.g. invitation:42).",
    )
    kind = models.CharField(max_length=40, db_index=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="messages_received"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # What the message is about, for replies: "<app>.<model>:<pk>", e.g. "meetings.invitation:7".
    about = models.CharField(max_length=80, blank=True, db_index=True)
    to = models.CharField(max_length=400, blank=True)
    language = models.CharField(max_length=8, default="en")
    large_print = models.BooleanField(default=False)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # The plain values the templates were given, to render again on a fallback channel.
    context = models.JSONField(default=dict, blank=True)
    # A short code printed on a reply slip (letters) to find this message again; unique when set.
    reference = models.CharField(max_length=12, null=True, blank=True, unique=True)
    fallback_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallback"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True, db_index=True)
    failure = models.CharField(max_length=300, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    # The printed pack a letter went out in (to print it again).
    letter_pack = models.ForeignKey(
        "LetterPack", null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["to", "channel", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person_id} by {self.get_channel_display()}"

    def get_kind_display(self) -> str:
        from coproduce.messaging.kinds import label_for

        return label_for(self.kind)


class LetterPack(models.Model):
    """One PDF of letters printed together by admin support; its letters point at it, so the
    same pack can be printed again (a jammed printer, a lost page)."""

    created_at = models.DateTimeField(auto_now_add=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kinds = models.CharField(max_length=200, blank=True, help_text="What the letters are.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Letter pack {self.pk} ({self.count} letters)"


class ContactPreference(models.Model):
    """How a person wants to hear from us. No row: every channel we have details for, in the
    standard order (email, text, letter, phone)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="contact_preference"
    )
    channels = models.JSONField(
        default=list, blank=True, help_text="Channels in the order the person wants them tried."
    )
    language = models.CharField(
        "Language of letters", max_length=8, default="en", choices=[("en", "English")]
    )
    large_print = models.BooleanField(default=False)
    supporter_name = models.CharField(max_length=100, blank=True)
    supporter_email = models.EmailField(blank=True)
    email_opted_out_at = models.DateTimeField(null=True, blank=True)
    email_bounced_at = models.DateTimeField(null=True, blank=True)
    text_opted_out_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Contact preferences of {self.person_id}"


class InboundStatus(models.TextChoices):
    MATCHED = "matched", "Taken in"
    WAITING = "waiting", "Waiting for a person to look at it"
    RESOLVED = "resolved", "Dealt with by staff"


class InboundText(models.Model):
    provider_id = models.CharField(max_length=100, unique=True)
    from_number = models.CharField(max_length=30)
    body = models.TextField()
    received_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=InboundStatus.choices, default=InboundStatus.WAITING, db_index=True
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    outcome = models.CharField(max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Text from {self.from_number} at {self.received_at:%Y-%m-%d %H:%M}"
