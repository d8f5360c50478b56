"""Which channel a message goes by, and where to: pure rules, no sending.

A person's channels are tried in the order they chose (`ContactPreference.channels`); with no
preference recorded, the order is email, text, letter, phone. A channel counts only if we have
the details for it (an email address, a UK mobile number, a postal address with a postcode, a
phone number), the person has not opted out of it (email unsubscribe or bounce, "STOP" by text),
and the message kind may use it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from coproduce.messaging.models import Channel, ContactPreference

if TYPE_CHECKING:
    from coproduce.messaging.kinds import Kind
    from coproduce.people.models import Person

UK = ZoneInfo("Europe/London")
QUIET_FROM = dt.time(21, 0)  # no texts from 21:00 ...
QUIET_UNTIL = dt.time(8, 0)  # ... to 08:00, UK time
STANDARD_ORDER = [Channel.EMAIL, Channel.TEXT, Channel.LETTER, Channel.PHONE]

# The old "how I like to take part" answers on a person, read as channels when no preference
# has been recorded: post and paper means letters, text means texts, phone means a call.
_FROM_PREFERRED = {"text": Channel.TEXT, "paper": Channel.LETTER, "phone": Channel.PHONE}


def normalise_phone(raw: str) -> str:
    """A UK number as +44..., or "" when it is not one we can text or ring."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    if not re.fullmatch(r"\+\d{10,15}", digits):
        return ""
    return digits


def mobile_number(raw: str) -> str:
    """A UK mobile number (+447...), or "" if `raw` is not one."""
    number = normalise_phone(raw)
    return number if re.fullmatch(r"\+447\d{9}", number) else ""


def postal_lines(person: Person) -> list[str]:
    """The address as lines for an envelope window, or [] if we cannot post to it."""
    if not person.address.strip() or not person.postcode.strip():
        return []
    name = f"{person.first_name} {person.last_name}".strip()
    lines = [part.strip() for part in re.split(r"[,\n]", person.address) if part.strip()]
    return [name, *lines, person.postcode.strip().upper()]


def preference_of(person: Person) -> ContactPreference | None:
    """Read afresh each time: a preference may have changed (a bounce, a STOP) since the
    person was loaded."""
    return ContactPreference.objects.filter(person_id=person.pk).first()


def channel_order(person: Person, preference: ContactPreference | None) -> list[str]:
    if preference is not None and preference.channels:
        return [c for c in preference.channels if c in Channel.values]
    stated = [_FROM_PREFERRED[c] for c in person.preferred_channels if c in _FROM_PREFERRED]
    if stated:
        # A person who said "post" or "text" is asked that way first; the rest follow.
        return list(dict.fromkeys([*stated, *STANDARD_ORDER]))
    return list(STANDARD_ORDER)


def address_for(person: Person, channel: str, preference: ContactPreference | None) -> str:
    """Where a message on `channel` goes, or "" when it cannot go that way."""
    if channel == Channel.EMAIL:
        if preference and (preference.email_opted_out_at or preference.email_bounced_at):
            return ""
        return person.email.strip()
    if channel == Channel.TEXT:
        if preference and preference.text_opted_out_at:
            return ""
        return mobile_number(person.phone)
    if channel == Channel.LETTER:
        return "\n".join(postal_lines(person))
    if channel == Channel.PHONE:
        return normalise_phone(person.phone)
    return ""


@dataclass(frozen=True)
class Route:
    channel: str
    to: str


def routes(person: Person, kind: Kind, *, skip: tuple[str, ...] = ()) -> list[Route]:
    """Every channel this message could go by for this person, best first."""
    preference = preference_of(person)
    found = []
    for channel in channel_order(person, preference):
        if channel in skip or channel not in kind.channels:
            continue
        to = address_for(person, channel, preference)
        if to:
            found.append(Route(channel, to))
    return found


def why_unreachable(person: Person, kind: Kind) -> str:
    """A plain sentence for the coordinator when no channel is left."""
    preference = preference_of(person)
    order = channel_order(person, preference)
    allowed = [c for c in order if c in kind.channels]
    if not allowed:
        return "None of the ways this person accepts can be used for this kind of message."
    labels = ", ".join(Channel(c).label.lower() for c in allowed)
    return f"No contact details we can use for the ways this person accepts ({labels})."


def after_quiet_hours(now: dt.datetime) -> dt.datetime | None:
    """For a text: the time it may go if `now` is in quiet hours (21:00-08:00 UK), else None."""
    local = now.astimezone(UK)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_UNTIL, tzinfo=UK)
