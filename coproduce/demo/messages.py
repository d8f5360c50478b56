"""A month of messages: what the platform sent in the four weeks before the story's today, on
every channel, and what came back.

- invitations to the October residents' panel and the evaluators' training, and reminders
  two days before each; invitations to the three health check sessions still to come;
- "reward issued" to everyone in the batch finance paid in the middle of the month;
- most emails sent and texts delivered; a few emails bounced and texts failed, each falling
  back to the person's next channel; letters printed (those for the sessions still to come
  wait for admin support to print the pack); phone calls made, and a few still on the list;
- replies: "YES" and "NO" by text (taken in as the person's own reply), reply slips posted
  back and answers given on the phone (typed in by admin support on their behalf), and two
  texts nobody could match, waiting for a person to look at them.

Every message is made by `messaging.services.send` (or the session and reward services that
call it) with its ordinary key, so sending again adds nothing. Nothing is handed to a real
sender: a demo must never email or text anyone, whatever the settings. What happened to each
message (sent, delivered, bounced, printed, phoned) is written as the providers and admin
support would have reported it, through `report_status` where a provider reports. The times
are the story's; the choices come from the seed, and reply-slip references from a generator
seeded with it (`references.drawn_from`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from coproduce.accounts.models import User
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, LONDON, REF_PREFIX, at, story_today
from coproduce.meetings import messages as session_messages
from coproduce.meetings import services as meetings
from coproduce.meetings.models import Invitation, Meeting, Rsvp, SessionStatus
from coproduce.messaging import references
from coproduce.messaging import services as messaging
from coproduce.messaging.models import (
    Channel,
    ContactPreference,
    InboundStatus,
    InboundText,
    Message,
    Status,
)
from coproduce.people.models import Person
from coproduce.rewards.models import PaymentBatch
from coproduce.rewards.services import rewards_tell_paid

# Story dates (as written around REFERENCE_DATE, 2026-11-01).
REWARDS_PAID = (dt.date(2026, 10, 15), 15)
UPCOMING_INVITED = (dt.date(2026, 10, 28), 11)
INVITED_DAYS_BEFORE = 14
REMINDED_DAYS_BEFORE = 2
# A session of a 125,000-home demo invites thousands; a month of messages shows at most this
# many per session (the first invited), so the benchmark builds stay quick.
MOST_PER_SESSION = 400

BOUNCE = "550 5.1.1 The email account that you tried to reach does not exist."
TEXT_FAILED = "Notify: permanent-failure (the number is not in service)."
TEXT_WORDS = {Rsvp.YES: ["YES", "Yes", "yes please", "1"], Rsvp.NO: ["NO", "no sorry"]}
TEXT_WORDS[Rsvp.MAYBE] = ["Maybe", "MAYBE"]
UNMATCHED = [
    ("+447700900990", "Is the meeting on Tuesday still on? My bus is cancelled"),
    ("+447700900991", "Can my daughter come with me"),
]


def build_messages_demo(*, seed: int) -> dict[str, Any]:
    if Message.objects.filter(person__external_ref__startswith=REF_PREFIX).exists():
        return {}
    rng = random.Random(seed * 7919 + 16)
    staff = {
        key: User.objects.get(email=f"{local}@{DEMO_EMAIL_DOMAIN}")
        for key, local in (
            ("coordinator", "coordinator"),
            ("admin", "admin.support"),
            ("finance", "finance"),
        )
    }
    month = _Month(rng, staff)
    with references.drawn_from(random.Random(seed * 7919 + 17)):
        _preferences_set()
        for meeting in _sessions_of_the_month():
            month.session(meeting)
        month.rewards()
    month.unmatched_texts()
    month.date_messages()
    by_channel = Counter(Message.objects.values_list("channel", flat=True))
    return {
        "messages": sum(by_channel.values()),
        "messages_by_channel": dict(sorted(by_channel.items())),
        "replies_by_text": month.replies[Channel.TEXT],
        "replies_by_post": month.replies[Channel.LETTER],
        "replies_by_phone": month.replies[Channel.PHONE],
    }


def _sessions_of_the_month() -> list[Meeting]:
    today = dt.datetime.combine(story_today(), dt.time(0), tzinfo=LONDON)
    return list(
        Meeting.objects.filter(
            starts_at__gte=today - dt.timedelta(days=28), starts_at__lt=today + dt.timedelta(60)
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("project", "booking__room__venue")
        .order_by("starts_at", "pk")
    )


def _preferences_set() -> None:
    """A few people who asked for letters in large print, and one who copies in their daughter."""
    paper = list(
        Person.objects.filter(
            external_ref__startswith=REF_PREFIX,
            invitations__meeting__in=_sessions_of_the_month(),
            preferred_channels__icontains="paper",
        )
        .exclude(postcode="")
        .distinct()
        .order_by("pk")[:4]
    )
    for person in paper[:3]:
        ContactPreference.objects.create(person=person, large_print=True)
    emailed = (
        Person.objects.filter(
            external_ref__startswith=REF_PREFIX,
            invitations__meeting__in=_sessions_of_the_month(),
            date_of_birth__lt=dt.date(1950, 1, 1),
        )
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if emailed is not None:
        ContactPreference.objects.update_or_create(
            person=emailed,
            defaults={
                "channels": [Channel.EMAIL, Channel.PHONE],
                "supporter_name": "Their daughter, Jo",
                "supporter_email": f"jo.supporter@{DEMO_EMAIL_DOMAIN}",
            },
        )


class _Month:
    def __init__(self, rng: random.Random, staff: dict[str, User]) -> None:
        self.rng = rng
        self.staff = staff
        self.sent_at: dict[int, dt.datetime] = {}  # message pk -> when it was made
        self.replies: Counter[str] = Counter()
        self.texts_in = 0

    # --- sending ------------------------------------------------------------------------------

    def session(self, meeting: Meeting) -> None:
        upcoming = meeting.status == SessionStatus.PLANNED
        invitations = list(
            Invitation.objects.filter(meeting=meeting)
            .select_related("person")
            .order_by("pk")[:MOST_PER_SESSION]
        )
        if upcoming:
            when = at(*UPCOMING_INVITED)
            made = meetings.invitations_send(
                meeting_id=meeting.pk,
                ids=[i.pk for i in invitations],
                actor=self.staff["coordinator"],
                now=when,
            )
            sent = list(zip(_by_pk(invitations, made), made, strict=True))
        else:
            when = _morning(meeting.starts_at - dt.timedelta(days=INVITED_DAYS_BEFORE), 10)
            sent = meetings.invitation_messages_send(
                invitations=invitations,
                kind=session_messages.INVITATION,
                context=session_messages.context(meeting),
                actor=self.staff["coordinator"],
                now=when,
            )
        for invitation, message in sent:
            final = self.play_out(message, when, upcoming=upcoming)
            self.reply(invitation, final, upcoming=upcoming)
        if not upcoming:
            self.remind(meeting, invitations)

    def remind(self, meeting: Meeting, invitations: list[Invitation]) -> None:
        when = _morning(meeting.starts_at - dt.timedelta(days=REMINDED_DAYS_BEFORE), 10)
        coming = [i for i in invitations if i.rsvp != Rsvp.NO]
        sent = meetings.invitation_messages_send(
            invitations=coming,
            kind=session_messages.REMINDER,
            context=session_messages.context(meeting),
            now=when,
        )
        reached = []
        for invitation, message in sent:
            self.play_out(message, when, upcoming=False)
            if message.status != Status.NOT_SENT:
                reached.append(invitation.pk)
        Invitation.objects.filter(pk__in=reached).update(reminded_at=when)

    def rewards(self) -> None:
        batch = PaymentBatch.objects.filter(paid_at__isnull=False).order_by("pk").first()
        if batch is None:
            return
        when = at(*REWARDS_PAID)
        rewards_tell_paid(batch_id=batch.pk, actor=self.staff["finance"], now=when)
        for message in Message.objects.filter(kind="reward_issued").order_by("pk"):
            self.play_out(message, when, upcoming=False)

    # --- what happened to each message --------------------------------------------------------

    def play_out(self, message: Message, when: dt.datetime, *, upcoming: bool) -> Message:
        """Play out one message and the ones it fell back to; returns the last of them."""
        while True:
            self.sent_at[message.pk] = when
            if message.status == Status.NOT_SENT:
                return message
            roll = self.rng.random()
            if message.channel == Channel.EMAIL:
                self._sent(message, when)
                if roll < 0.05:
                    fallback = self._failed(message, Status.BOUNCED, BOUNCE, when)
                    if fallback is not None:
                        message, when = fallback, when + dt.timedelta(minutes=20)
                        continue
            elif message.channel == Channel.TEXT:
                self._sent(message, when)
                if roll < 0.05:
                    fallback = self._failed(message, Status.FAILED, TEXT_FAILED, when)
                    if fallback is not None:
                        message, when = fallback, when + dt.timedelta(minutes=20)
                        continue
                elif roll < 0.96:  # the rest are still waiting for the network to say
                    messaging.report_status(
                        provider_id=message.provider_id,
                        status=Status.DELIVERED,
                        now=when + dt.timedelta(minutes=1),
                    )
            elif message.channel == Channel.LETTER and not upcoming:
                self._done(message, Status.PRINTED, _morning(when + dt.timedelta(days=1), 10))
            elif message.channel == Channel.PHONE and not upcoming:
                self._done(message, Status.PHONED, _morning(when + dt.timedelta(days=1), 11))
            else:  # a letter waiting for the pack to be printed, a call still to make
                Message.objects.filter(pk=message.pk).update(
                    status=Status.TO_PRINT if message.channel == Channel.LETTER else Status.TO_PHONE
                )
            message.refresh_from_db()
            return message

    def _sent(self, message: Message, when: dt.datetime) -> None:
        message.provider_id = f"demo-{message.key}"[:100]
        message.status, message.sent_at, message.attempts = Status.SENT, when, 1
        message.save(update_fields=["provider_id", "status", "sent_at", "attempts"])

    def _done(self, message: Message, status: str, when: dt.datetime) -> None:
        message.status, message.sent_at, message.attempts = status, when, 1
        message.save(update_fields=["status", "sent_at", "attempts"])

    def _failed(
        self, message: Message, status: str, reason: str, when: dt.datetime
    ) -> Message | None:
        later = when + dt.timedelta(minutes=20)
        messaging.report_status(
            provider_id=message.provider_id, status=status, reason=reason, now=later
        )
        return Message.objects.filter(fallback_of=message).first()

    # --- what came back -----------------------------------------------------------------------

    def reply(self, invitation: Invitation, message: Message, *, upcoming: bool) -> None:
        """A reply to an invitation by text, by post or on the phone. A past session's reply
        is the one it already has (who came is already known); a session still to come gets
        a few new ones by text."""
        if message.status in (Status.NOT_SENT, Status.FAILED, Status.BOUNCED):
            return
        answer = invitation.rsvp
        sent = self.sent_at[message.pk]
        if upcoming:
            if message.channel != Channel.TEXT or self.rng.random() < 0.4:
                return
            answer = self.rng.choice([Rsvp.YES, Rsvp.YES, Rsvp.YES, Rsvp.MAYBE, Rsvp.NO])
        if not answer:
            return
        if message.channel == Channel.TEXT:
            when = sent + dt.timedelta(minutes=self.rng.randint(5, 240))
            done = messaging.record_reply(message=message, code=answer, now=when)
            self.texts_in += 1
            InboundText.objects.create(
                provider_id=f"demo-in-{self.texts_in:04d}",
                from_number=message.to,
                body=self.rng.choice(TEXT_WORDS[Rsvp(answer)]),
                received_at=when,
                status=InboundStatus.MATCHED,
                person=message.person,
                message=message,
                outcome=done,
            )
        elif message.channel == Channel.LETTER and message.status == Status.PRINTED:
            when = _morning(sent + dt.timedelta(days=6), 11)
            messaging.record_reply(
                message=message, code=answer, actor=self.staff["admin"], now=when
            )
        elif message.channel == Channel.PHONE and message.status == Status.PHONED:
            when = message.sent_at or sent
            messaging.record_reply(
                message=message, code=answer, actor=self.staff["admin"], now=when
            )
        else:
            return
        self.replies[message.channel] += 1

    def unmatched_texts(self) -> None:
        """Two texts nobody could match to a message: waiting on the queue for a person."""
        day = story_today() - dt.timedelta(days=1)
        for n, (number, body) in enumerate(UNMATCHED, start=1):
            InboundText.objects.create(
                provider_id=f"demo-in-unmatched-{n}",
                from_number=number,
                body=body,
                received_at=dt.datetime.combine(day, dt.time(9 + 3 * n, 12), tzinfo=LONDON),
                status=InboundStatus.WAITING,
            )

    def date_messages(self) -> None:
        """Each message was made when the story sent it, not when the demo was built."""
        messages = list(Message.objects.filter(pk__in=self.sent_at))
        for message in messages:
            message.created_at = self.sent_at[message.pk]
        Message.objects.bulk_update(messages, ["created_at"], batch_size=500)


def _by_pk(invitations: list[Invitation], made: list[Message]) -> list[Invitation]:
    """The invitation each message is about, in the messages' order."""
    by_about = {session_messages.about(i): i for i in invitations}
    return [by_about[m.about] for m in made]


def _morning(moment: dt.datetime, hour: int) -> dt.datetime:
    """That day (UK time) at `hour` o'clock."""
    day = moment.astimezone(LONDON).date()
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)
