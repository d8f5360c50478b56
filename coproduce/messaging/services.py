"""One way to send: `send` picks the channel, renders, records and queues; `deliver` hands a
queued message to its channel's sender, retrying with back-off and falling back to the next
channel the person accepts when one fails. Replies, opt-outs and delivery reports come back in
through `record_reply`, `opt_out` and `report_status`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template import Engine
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.text import multiline, single_line
from coproduce.messaging import channels, inbound, kinds, references, selectors
from coproduce.messaging.models import (
    Channel,
    ContactPreference,
    InboundStatus,
    InboundText,
    LetterPack,
    Message,
    Status,
)
from coproduce.messaging.senders import SENDERS, PermanentFailure, TemporaryFailure
from coproduce.people.models import Person
from coproduce.people.selectors import usable

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User
    from coproduce.people.models import Person

log = logging.getLogger(__name__)

# Back-off between tries of one channel: 1 minute, 5 minutes, 30 minutes, then fall back.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
MAX_TRIES = len(BACKOFF) + 1


# Messages are plain text: nothing is HTML-escaped (letters escape when laid out as a PDF).
_TEXT = Engine(app_dirs=True, autoescape=False)


def render(kind: str, channel: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) from `messaging/<language>/<kind>/<channel>.txt`, English if the
    language has no template yet. The template's first line is "Subject: ..."."""
    from django.template import Context

    template = _TEXT.select_template(
        [f"messaging/{language}/{kind}/{channel}.txt", f"messaging/en/{kind}/{channel}.txt"]
    )
    text = template.render(Context(context, autoescape=False)).replace("\r\n", "\n")
    first, _, rest = text.lstrip("\n").partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"{template.origin.name} must start with a 'Subject:' line")
    body = "\n".join(line.rstrip() for line in rest.strip("\n").split("\n"))
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return first.removeprefix("Subject:").strip(), body


def _context(
    message: Message, kind: kinds.Kind, person: Person, extra: dict[str, Any]
) -> dict[str, Any]:
    options = kind.reply.options(message) if kind.reply else []
    return {
        **extra,
        "person": person,
        "first_name": person.first_name,
        "channel": message.channel,
        "options": [
            {"number": n, "code": code, "label": label}
            for n, (code, label) in enumerate(options, start=1)
        ],
        "reference": references.shown(message.reference) if message.reference else "",
        # An email's reply link: answer without signing in (views_answer).
        "answer_url": _answer_url(message) if options and message.channel == Channel.EMAIL else "",
    }


def _answer_url(message: Message) -> str:
    from django.conf import settings
    from django.urls import reverse

    from coproduce.messaging.tokens import answer_token

    token = answer_token(message.key)
    return settings.SITE_URL.rstrip("/") + reverse("messaging:answer", args=[token])


def _new_message(
    *,
    key: str,
    kind: kinds.Kind,
    person: Person,
    route: channels.Route,
    context: dict[str, Any],
    about: str,
    actor: User | None,
    now: dt.datetime,
    fallback_of: Message | None = None,
) -> Message:
    preference = channels.preference_of(person)
    message = Message(
        key=key,
        kind=kind.name,
        person=person,
        channel=route.channel,
        about=about,
        to=route.to,
        language=preference.language if preference else "en",
        large_print=bool(preference and preference.large_print),
        sent_by=actor,
        fallback_of=fallback_of,
        context=context,
    )
    if route.channel == Channel.LETTER and kind.reply is not None:
        message.reference = references.new_reference()
    if route.channel == Channel.TEXT:
        message.send_after = channels.after_quiet_hours(now)
    message.subject, message.body = render(
        kind.name, route.channel, message.language, _context(message, kind, person, context)
    )
    message.save()
    return message


def send(
    *,
    kind: str,
    person: Person,
    key: str,
    context: dict[str, Any] | None = None,
    about: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """Send one message to one person on their best channel, once per `key`.

    `context` holds plain values only (text and numbers: format dates and links first): it is
    kept on the message so that a fallback channel renders its own template from it.

    The same key again returns the message already made, whatever the channel, so a double click,
    a retried task or two workers never send twice. With no consent, or no channel left, the
    message is still recorded (status "Could not be sent", with the reason) so that the
    coordinator sees who could not be reached.
    """
    spec = kinds.get(kind)
    now = now or timezone.now()
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    context = context or {}
    try:
        with transaction.atomic():
            reachable = type(person).objects.filter(
                usable(), pk=person.pk
            ).exists() and kinds.consents(spec, person)
            found = channels.routes(person, spec) if reachable else []
            if not found:
                reason = (
                    channels.why_unreachable(person, spec)
                    if reachable
                    else "The person has not agreed to be contacted this way, or their "
                    "record is restricted."
                )
                return Message.objects.create(
                    key=key,
                    kind=spec.name,
                    person=person,
                    channel=Channel.PHONE,
                    about=about,
                    status=Status.NOT_SENT,
                    failure=reason,
                    body="",
                    sent_by=actor,
                )
            message = _new_message(
                key=key,
                kind=spec,
                person=person,
                route=found[0],
                context=context,
                about=about,
                actor=actor,
                now=now,
            )
            enqueue(message)
            return message
    except IntegrityError:
        # The same key at the same moment from elsewhere (or a reference clash: very rare).
        existing = Message.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing


def enqueue(message: Message) -> None:
    """Deliver after the current transaction commits: by the task worker, at `send_after`."""
    if message.status != Status.QUEUED:
        return
    message_id, run_after = message.pk, message.send_after

    def go() -> None:
        from coproduce.messaging.tasks import deliver_message

        task = deliver_message
        if run_after and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(message_id)

    transaction.on_commit(go)


def deliver(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Hand one queued message to its sender. Returns the message's status afterwards.

    Safe to call any number of times and from several workers: the row is locked, and only a
    message still waiting to send (and due) is sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # No ORDER BY and no join: this runs once per message sent, 10,000 times for a big
        # mailing (benchmarks/bench_texts.py). The person is read only when needed.
        message = next(
            iter(
                Message.objects.select_for_update()
                .filter(pk=message_id, status=Status.QUEUED)
                .order_by()[:1]
            ),
            None,
        )
        if message is None:
            return (
                Message.objects.filter(pk=message_id).values_list("status", flat=True).first() or ""
            )
        if message.send_after and message.send_after > now:
            return message.status
        stopped = _stopped_since_queued(message)
        if stopped:
            # A STOP or an unsubscribe that came in while this waited (quiet hours, a retry).
            _fall_back(message, Status.NOT_SENT, stopped, now=now)
            return message.status
        message.attempts += 1
        try:
            provider_id, status = SENDERS[message.channel](message)
        except TemporaryFailure as exc:
            message.failure = str(exc)[:300]
            if message.attempts >= MAX_TRIES:
                _fall_back(message, Status.FAILED, message.failure, now=now)
            else:
                message.send_after = now + BACKOFF[message.attempts - 1]
                message.save(update_fields=["attempts", "failure", "send_after"])
                enqueue(message)
            return message.status
        except PermanentFailure as exc:
            if exc.bounced and message.channel == Channel.EMAIL:
                _note_email_bounce(message.person, now)
            _fall_back(message, Status.BOUNCED if exc.bounced else Status.FAILED, str(exc), now=now)
            return message.status
        message.provider_id = provider_id[:100]
        message.status = status
        message.failure = ""
        if status == Status.SENT:
            message.sent_at = now
        message.save(update_fields=["attempts", "provider_id", "status", "failure", "sent_at"])
        return message.status


def _stopped_since_queued(message: Message) -> str:
    """Why this message may no longer go on its channel, or ""."""
    if message.channel not in (Channel.TEXT, Channel.EMAIL):
        return ""
    stops = (
        ContactPreference.objects.filter(person_id=message.person_id)
        .order_by()
        .values_list("text_opted_out_at", "email_opted_out_at", "email_bounced_at")[:1]
    )
    for texts_stopped, unsubscribed, bounced in stops:
        if message.channel == Channel.TEXT and texts_stopped:
            return "The person asked us to stop texts before this one went."
        if message.channel == Channel.EMAIL and unsubscribed:
            return "The person unsubscribed from emails before this one went."
        if message.channel == Channel.EMAIL and bounced:
            return "Emails to this person bounced before this one went."
    return ""


def deliver_due(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Deliver every queued message that is due (for cron, or a worker that cannot defer)."""
    now = now or timezone.now()
    due = Message.objects.filter(status=Status.QUEUED).exclude(send_after__gt=now)
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if deliver(pk, now=now) not in ("", Status.QUEUED))


def _chain(message: Message) -> list[Message]:
    """The message and the ones it fell back from, oldest first."""
    chain = [message]
    while chain[0].fallback_of_id:
        parent = Message.objects.filter(pk=chain[0].fallback_of_id).first()
        if parent is None:
            break
        chain.insert(0, parent)
    return chain


def _fall_back(message: Message, status: str, reason: str, *, now: dt.datetime) -> Message | None:
    """Mark `message` as failed and send it on the next channel the person accepts, if any."""
    message.status = status
    message.failure = reason[:300]
    message.save(update_fields=["attempts", "status", "failure", "send_after"])
    chain = _chain(message)
    tried = tuple({m.channel for m in chain})
    spec = kinds.get(message.kind)
    person = message.person
    if not kinds.consents(spec, person):
        return None
    left = channels.routes(person, spec, skip=tried)
    if not left:
        return None
    root = chain[0]
    try:
        with transaction.atomic():
            fallback = _new_message(
                key=f"{root.key}~{left[0].channel}",
                kind=spec,
                person=person,
                route=left[0],
                context=root.context,
                about=message.about,
                actor=None,
                now=now,
                fallback_of=message,
            )
    except IntegrityError:
        return None  # already fallen back (another worker got there first)
    enqueue(fallback)
    return fallback


def _preference_for(person: Person) -> ContactPreference:
    preference, _ = ContactPreference.objects.get_or_create(person=person)
    return preference


def _note_email_bounce(person: Person, now: dt.datetime) -> None:
    preference = _preference_for(person)
    preference.email_bounced_at = now
    preference.save(update_fields=["email_bounced_at", "updated_at"])
    audit_record(
        action="messages.email_bounced",
        obj=person,
        summary="Email to this person bounced; no more emails until the address is changed",
    )


def opt_out(*, person: Person, channel: str, how: str, now: dt.datetime | None = None) -> bool:
    """Stop a channel for a person (email unsubscribe, text STOP). True if it changed."""
    now = now or timezone.now()
    field = {"email": "email_opted_out_at", "text": "text_opted_out_at"}[str(channel)]
    with transaction.atomic():
        preference = _preference_for(person)
        preference = ContactPreference.objects.select_for_update().get(pk=preference.pk)
        if getattr(preference, field):
            return False
        setattr(preference, field, now)
        preference.save(update_fields=[field, "updated_at"])
        audit_record(
            action=f"messages.opted_out_{channel}",
            obj=person,
            summary=f"No more {Channel(channel).label.lower()}s: {how}",
        )
    return True


def report_status(
    *, provider_id: str, status: str, reason: str = "", now: dt.datetime | None = None
) -> Message | None:
    """A delivery report from a provider: delivered, failed, bounced or returned."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .select_related("person")
            .filter(provider_id=provider_id)
            .exclude(provider_id="")
            .first()
        )
        if message is None:
            return None
        if status == Status.DELIVERED:
            if message.status in (Status.SENT, Status.PRINTED):
                message.status = Status.DELIVERED
                message.delivered_at = now
                message.save(update_fields=["status", "delivered_at"])
        elif status in (Status.FAILED, Status.BOUNCED, Status.RETURNED):
            if message.status not in (Status.FAILED, Status.BOUNCED, Status.RETURNED):
                if status == Status.BOUNCED and message.channel == Channel.EMAIL:
                    _note_email_bounce(message.person, now)
                _fall_back(message, status, reason or Status(status).label, now=now)
        return message


class AlreadyReplied(ValueError):
    """The person has answered already (`at`), and the caller did not ask to replace it."""

    def __init__(self, at: dt.datetime) -> None:
        local = timezone.localtime(at)
        clock = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
        super().__init__(f"An answer was already recorded on {local.day} {local:%B %Y} at {clock}.")
        self.at = at


def reply_codes(message: Message) -> list[tuple[str, str]]:
    """The (code, label) options a reply to `message` may choose; [] if it takes none."""
    spec = kinds.get(message.kind)
    return spec.reply.options(message) if spec.reply else []


def record_reply(
    *,
    message: Message,
    code: str | list[str],
    actor: User | None = None,
    now: dt.datetime | None = None,
    replace: bool = True,
    request: HttpRequest | None = None,
) -> str:
    """Record a reply to `message` (`code` is one of its kind's options, or a list of them when
    the kind lets a reply choose several). Returns what was done; ValueError with a plain message
    if it cannot be taken.

    With `replace=False` (staff typing a reply slip), an answer already recorded for this message
    (or, when the kind can tell, given some other way) is kept and `AlreadyReplied` says when.
    """
    spec = kinds.get(message.kind)
    if spec.reply is None:
        raise ValueError("This message does not take replies.")
    codes = [code] if isinstance(code, str) else list(dict.fromkeys(code))
    known = [c for c, _ in spec.reply.options(message)]
    if not codes or any(c not in known for c in codes):
        raise ValueError("That answer is not one of the choices on this message.")
    if len(codes) > 1 and not spec.reply.allows_several(message):
        raise ValueError("Only one answer may be chosen on this message.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Message.objects.select_for_update().select_related("person").get(pk=message.pk)
        if not replace:
            earlier = [locked.replied_at]
            if spec.reply.answered is not None:
                earlier.append(spec.reply.answered(locked))
            known_times = [t for t in earlier if t is not None]
            if known_times:
                raise AlreadyReplied(max(known_times))
        # Set first, so that the kind's `record` knows when the reply came (a text received
        # earlier, a slip posted last week), not just when it was typed in.
        locked.replied_at = now
        done = spec.reply.record(locked, ",".join(codes), actor)
        Message.objects.filter(pk=message.pk).update(replied_at=now)
        if actor is not None:
            audit_record(
                action="messages.reply_recorded",
                actor=actor,
                obj=locked.person,
                summary=f"Reply to a {spec.label.lower()} ({Channel(locked.channel).label.lower()})"
                " recorded on the person's behalf",
                request=request,
            )
    message.replied_at = now
    return done


# --- texts coming back in -----------------------------------------------------------------------
def _options(message: Message) -> list[tuple[str, str]]:
    reply = kinds.get(message.kind).reply
    return reply.options(message) if reply else []


def inbound_text_receive(
    *,
    provider_id: str,
    from_number: str,
    body: str,
    received_at: dt.datetime,
    now: dt.datetime | None = None,
) -> InboundText:
    """Take in a text message a person sent us: stored first (once per provider id, however
    often it arrives), then read. A STOP stops texts; an answer to a text we sent is recorded;
    anything else waits for a person (status "waiting", with the reason). Never lost: a text that
    cannot be read, even because of a fault of ours, waits in the queue."""
    now = now or timezone.now()
    existing = InboundText.objects.filter(provider_id=provider_id).first()
    if existing is not None:
        return existing
    number = inbound.sender_number(from_number)
    try:
        with transaction.atomic():
            text = InboundText.objects.create(
                provider_id=provider_id,
                from_number=(number or single_line(from_number))[:30],
                body=multiline(body),
                received_at=received_at,
                status=InboundStatus.WAITING,
                outcome="Received, not read yet.",
            )
    except IntegrityError:
        # The same text at the same moment (Notify retrying): the other request reads it.
        return InboundText.objects.get(provider_id=provider_id)
    try:
        with transaction.atomic():
            _read_text(text, number, now=now)
    except Exception:
        log.exception("Could not read received text %s; it waits for a person", text.pk)
        InboundText.objects.filter(pk=text.pk).update(
            status=InboundStatus.WAITING,
            outcome="Something went wrong reading this text: please read it and deal with it.",
        )
        text.refresh_from_db()
    return text


def _read_text(text: InboundText, number: str, *, now: dt.datetime) -> None:
    texted = Message.objects.filter(channel=Channel.TEXT, to=number) if number else None
    text.status = InboundStatus.WAITING
    if texted is None:
        text.outcome = "The number it came from could not be read."
    elif inbound.is_stop(text.body):
        _stop_texts(text, texted)
    else:
        _read_answer(text, texted, now=now)
    text.outcome = text.outcome[:300]
    text.save(update_fields=["status", "outcome", "person", "message"])


def _stop_texts(text: InboundText, texted: QuerySet[Message]) -> None:
    recent = texted.order_by("-created_at", "-pk").values_list("person_id", flat=True)[:200]
    person_ids = list(dict.fromkeys(recent))
    people = list(Person.objects.filter(pk__in=person_ids))
    if not people:
        text.outcome = (
            "STOP from a number we have never texted, so we cannot tell whose it is. "
            "Find the person and stop texts on their record."
        )
        return
    text.person = next(p for p in people if p.pk == person_ids[0])
    how = f"replied STOP by text on {_day(text.received_at)}"
    changed = sum(opt_out(person=person, channel=Channel.TEXT, how=how) for person in people)
    text.status = InboundStatus.MATCHED
    who = "1 person" if len(people) == 1 else f"{len(people)} people"
    text.outcome = (
        f"Texts stopped ({who} at this number)."
        if changed
        else f"Texts were already stopped ({who} at this number)."
    )


def _read_answer(text: InboundText, texted: QuerySet[Message], *, now: dt.datetime) -> None:
    candidates = list(
        texted.filter(
            kind__in=selectors.reply_kinds(),
            status__in=(Status.SENT, Status.DELIVERED),
            sent_at__gte=now - selectors.REPLY_WINDOW,
        )
        .select_related("person")
        .order_by("-sent_at", "-pk")[:20]
    )
    if not candidates:
        latest = texted.order_by("-created_at", "-pk").select_related("person").first()
        text.person = latest.person if latest else None
        text.outcome = (
            "We have not texted this number anything to reply to in the last 30 days, "
            "so we cannot tell what this answers."
            if latest
            else "We do not know this number: we have never texted it."
        )
        return
    # Answers go to the messages still waiting for one; with none waiting, the latest message
    # (a person changing their mind).
    pool = [m for m in candidates if m.replied_at is None] or candidates[:1]
    text.person = pool[0].person
    fits = [(m, code) for m in pool if (code := inbound.read_answer(text.body, _options(m)))]
    if len(fits) > 1:
        labels = ", ".join(sorted({m.get_kind_display().lower() for m, _ in fits}))
        text.outcome = f"This could answer more than one message ({labels}): choose which."
        return
    if not fits:
        if len(pool) == 1:
            message = pool[0]
            text.message = message
            choices = inbound.choices_in_words(_options(message))
            text.outcome = (
                f"We could not read this as one of the choices ({choices}) on the "
                f"{message.get_kind_display().lower()} texted on {_day(message.sent_at)}."
            )
        else:
            text.outcome = "We could not read this as a choice on any message waiting for a reply."
        return
    message, code = fits[0]
    text.message = message
    try:
        text.outcome = record_reply(message=message, code=code, now=now)
    except ValueError as exc:
        text.outcome = f"The answer could not be recorded: {exc}"
        return
    text.status = InboundStatus.MATCHED


def _day(when: dt.datetime | None) -> str:
    if when is None:
        return "an unknown day"
    local = timezone.localtime(when)
    return f"{local.day} {local:%B %Y}"


def _locked_waiting_text(text: InboundText) -> InboundText:
    locked = InboundText.objects.select_for_update().get(pk=text.pk)
    if locked.status != InboundStatus.WAITING:
        raise ValidationError("Someone has already dealt with this text.")
    return locked


def inbound_text_answer(
    *,
    text: InboundText,
    message_id: int,
    code: str,
    actor: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Staff read a waiting text as an answer to one of the person's messages and record it on
    their behalf. Returns what was recorded; ValidationError with a plain message if it cannot
    be."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_waiting_text(text)
        message = (
            selectors.answerable_messages([locked.person_id] if locked.person_id else [], now=now)
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            raise ValidationError("Choose one of this person's messages that take an answer.")
        try:
            done = record_reply(message=message, code=code, actor=actor, now=now)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        locked.status = InboundStatus.RESOLVED
        locked.message = message
        locked.outcome = f"Answer recorded by staff: {done}"[:300]
        locked.resolved_by = actor
        locked.resolved_at = now
        locked.save(update_fields=["status", "message", "outcome", "resolved_by", "resolved_at"])
        audit_record(
            action="messages.text_answered",
            actor=actor,
            obj=locked.person,
            request=request,
            summary=f"Recorded text {locked.pk} as the answer to message {message.pk}",
        )
    text.refresh_from_db()
    return done


def inbound_text_close(
    *,
    text: InboundText,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Staff dealt with a waiting text some other way (rang back, updated a record): a note."""
    note = single_line(note)
    if not note:
        raise ValidationError("Say what you did about this text.")
    with transaction.atomic():
        locked = _locked_waiting_text(text)
        locked.status = InboundStatus.RESOLVED
        locked.outcome = f"Dealt with by staff: {note}"[:300]
        locked.resolved_by = actor
        locked.resolved_at = now or timezone.now()
        locked.save(update_fields=["status", "outcome", "resolved_by", "resolved_at"])
        audit_record(
            action="messages.text_dealt_with",
            actor=actor,
            obj=locked.person if locked.person_id else locked,
            request=request,
            summary=f"Marked text {locked.pk} as dealt with",
        )
    text.refresh_from_db()


def letters_print(
    *,
    ids: list[int],
    actor: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> LetterPack | None:
    """Put the letters `ids` that still wait to print into one new pack and mark them printed
    (sent today). None when none of them wait any more: someone printed them a moment ago.

    The rows are locked and re-read as "still waiting", so two people pressing "Print" at once
    make one pack, and no letter is ever in two.
    """
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            Message.objects.select_for_update()
            .filter(pk__in=ids, channel=Channel.LETTER, status=Status.TO_PRINT)
            .order_by("pk")
            .values_list("pk", "kind")
        )
        if not waiting:
            return None
        labels = sorted({kinds.label_for(kind) for _, kind in waiting})
        pack = LetterPack.objects.create(
            printed_by=actor, count=len(waiting), kinds=", ".join(labels)[:200]
        )
        Message.objects.filter(pk__in=[pk for pk, _ in waiting], status=Status.TO_PRINT).update(
            status=Status.PRINTED, sent_at=now, letter_pack=pack
        )
        audit_record(
            action="messages.letters_printed",
            actor=actor,
            obj=pack,
            request=request,
            summary=f"Printed {len(waiting)} letters: {', '.join(labels)}"[:500],
        )
    return pack


def letters_reprinted(*, pack: LetterPack, actor: User, request: HttpRequest | None = None) -> None:
    """A pack printed again shows the same people's names and addresses again: logged."""
    audit_record(
        action="messages.letters_reprinted",
        actor=actor,
        obj=pack,
        request=request,
        summary=f"Printed letter pack {pack.pk} again ({pack.count} letters)",
    )


class PhoneOutcome:
    TOLD = "told"
    NO_ANSWER = "no_answer"
    UNREACHABLE = "unreachable"
    CHOICES = (
        (TOLD, "Phoned: told them"),
        (NO_ANSWER, "No answer"),
        (UNREACHABLE, "Could not reach"),
    )


def phone_outcome(
    *,
    message: Message,
    outcome: str,
    actor: User | None,
    answer: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Record what happened when staff rang a person from the phone list. Returns a sentence
    saying what was done; ValueError with a plain message if it cannot be taken (the message has
    already been dealt with, or the outcome or answer is not one of the choices).

    "Phoned: told them" marks it phoned (and records the person's answer, if they gave one);
    "No answer" keeps it on the list with a note; "Could not reach" marks it failed and sends it
    on the next channel the person accepts.
    """
    now = now or timezone.now()
    if outcome not in dict(PhoneOutcome.CHOICES):
        raise ValueError("Choose what happened when you phoned.")
    with transaction.atomic():
        locked = (
            Message.objects.select_for_update()
            .select_related("person")
            .filter(pk=message.pk, status=Status.TO_PHONE)
            .first()
        )
        if locked is None:
            raise ValueError("Someone has already recorded this call.")
        local = timezone.localtime(now)
        if outcome == PhoneOutcome.TOLD:
            locked.status = Status.PHONED
            locked.sent_at = now
            locked.failure = ""
            locked.save(update_fields=["status", "sent_at", "failure"])
            done = "Recorded: phoned and told them."
            if answer:
                done += " " + record_reply(message=locked, code=answer, actor=actor, now=now)
        elif outcome == PhoneOutcome.NO_ANSWER:
            locked.attempts += 1
            locked.failure = f"No answer on {local:%d %b %Y at %H:%M}."
            locked.save(update_fields=["attempts", "failure"])
            done = "Recorded: no answer. They stay on the phone list."
        else:
            fallback = _fall_back(
                locked, Status.FAILED, "Staff could not reach them by phone.", now=now
            )
            done = "Recorded: could not reach them."
            if fallback is not None:
                done += f" The message goes by {Channel(fallback.channel).label.lower()} instead."
        audit_record(
            action="messages.phoned",
            actor=actor,
            obj=locked.person,
            summary=f"{dict(PhoneOutcome.CHOICES)[outcome]} ({locked.get_kind_display()})",
        )
    return done


def save_preferences(
    *,
    person: Person,
    data: dict[str, Any],
    actor: User | None,
    request: HttpRequest | None = None,
) -> ContactPreference:
    """Save how a person wants to hear from us (their own, or staff on their behalf). `data`
    comes from a validated PreferencesForm: channels (in order), large_print, supporter_name,
    supporter_email, and email_back_on / text_back_on to undo an opt-out or bounce."""
    with transaction.atomic():
        preference = _preference_for(person)
        preference = ContactPreference.objects.select_for_update().get(pk=preference.pk)
        preference.channels = [str(c) for c in data["channels"]]
        preference.large_print = bool(data.get("large_print"))
        preference.supporter_name = data.get("supporter_name", "")
        preference.supporter_email = data.get("supporter_email", "")
        turned_on = []
        if data.get("email_back_on"):
            preference.email_opted_out_at = preference.email_bounced_at = None
            turned_on.append("emails")
        if data.get("text_back_on"):
            preference.text_opted_out_at = None
            turned_on.append("texts")
        preference.save()
        by = "by the person" if actor is not None and person.user_id == actor.pk else "by staff"
        summary = "Contact preferences changed " + by
        if turned_on:
            summary += "; turned back on: " + " and ".join(turned_on)
        audit_record(
            action="messages.preferences_changed",
            actor=actor,
            obj=person,
            summary=summary,
            request=request,
        )
    return preference
