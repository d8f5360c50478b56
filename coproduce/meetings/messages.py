"""What a session's messages say: when, where and how to join, in plain words, and the link
to reply. Pure reads: the services in `meetings.services` send them through messaging.

Every value is plain text (messaging keeps the context on the message, to render a fallback
channel's template from it later), and every time is UK time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coproduce.meetings.models import Invitation, Meeting, SessionChannel

# The kinds a session sends, with the idempotency key of each for one invitation.
INVITATION = "invitation"
OUTREACH = "outreach"  # an invitation to someone an outreach list picked (diversity)
REMINDER = "reminder"
CHANGED = "session_changed"
CANCELLED = "session_cancelled"


def about(invitation: Invitation | int) -> str:
    """What a message about this invitation is about (read back by the reply)."""
    pk = invitation if isinstance(invitation, int) else invitation.pk
    return f"meetings.invitation:{pk}"


def clock(value: dt.datetime) -> str:
    """10am, 6:30pm: the way times are written for people, in UK time."""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def day(value: dt.datetime) -> str:
    """Tuesday 8 December 2026."""
    local = timezone.localtime(value)
    return f"{local:%A} {local.day} {local:%B %Y}"


def when(meeting: Meeting) -> str:
    """Tuesday 8 December 2026, 6pm to 8pm (UK time)."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{day(start)}, {clock(start)} to {clock(end)}"
    return f"{day(start)}, {clock(start)} to {day(end)}, {clock(end)}"


def _place(meeting: Meeting) -> str:
    """The room and the venue's address, or what the session says instead."""
    booking = getattr(meeting, "booking", None) if meeting.pk else None
    if booking is not None:
        venue = booking.room.venue
        parts = [booking.room.name, venue.name, venue.address, venue.postcode]
        return ", ".join(p.strip() for p in parts if p and p.strip())
    return meeting.location_notes.strip()


def where(meeting: Meeting) -> str:
    """Where to go or how to join, by the session's channel, in one or two sentences."""
    place = _place(meeting)
    channel = meeting.channel
    if channel == SessionChannel.ONLINE:
        return f"Join online: {meeting.joining_link}"
    if channel == SessionChannel.PHONE:
        return f"Join by phone: {meeting.phone_details}"
    if channel == SessionChannel.PAPER:
        notes = f" {meeting.location_notes.strip()}." if meeting.location_notes.strip() else ""
        return "By post: we will send you a pack to fill in, with a freepost envelope." + notes
    if channel == SessionChannel.HYBRID:
        at = f"Come to {place}, or join" if place else "Join"
        return f"{at} online: {meeting.joining_link}"
    return f"Where: {place}." if place else "We will tell you where nearer the time."


def reply_url(meeting: Meeting) -> str:
    """The session's page, where a signed-in person says whether they are coming."""
    return settings.SITE_URL.rstrip("/") + reverse("meetings:detail", args=[meeting.pk])


def context(meeting: Meeting) -> dict[str, Any]:
    """Everything a session's templates use: the same for every person invited."""
    return {
        "title": meeting.title,
        "when": when(meeting),
        "where": where(meeting),
        "project": meeting.project.title if meeting.project_id else "",
        "reply_url": reply_url(meeting),
    }


def what_people_read(meeting: Meeting) -> tuple[str, str]:
    """(when, where): if either changes, invitees need to hear about it."""
    return when(meeting), where(meeting)
