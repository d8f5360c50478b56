"""iCalendar (.ics) files for sessions, readable by Outlook, Google and Apple calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from coproduce.core.text import multiline, single_line
from coproduce.meetings.models import Meeting, SessionStatus

UTC = dt.UTC


def session_uid(meeting: Meeting) -> str:
    # Stable for the life of the session, so calendars update the event instead of adding one.
    return f"session-{meeting.pk}@coproduce"


def _description(meeting: Meeting) -> str:
    lines = [f"Project: {meeting.project.title}", f"How: {meeting.get_channel_display()}"]
    if meeting.joining_link:
        lines.append(f"Join online: {meeting.joining_link}")
    if meeting.phone_details:
        lines.append(f"Join by phone: {meeting.phone_details}")
    if meeting.agenda:
        lines += ["", "Agenda:", meeting.agenda]
    return "\n".join(lines)


def _location(meeting: Meeting) -> str:
    booking = getattr(meeting, "booking", None)
    parts = []
    if booking is not None:
        venue = booking.room.venue
        parts.append(f"{booking.room.name}, {venue.name}")
        parts += [p for p in (venue.address, venue.postcode) if p]
    if meeting.location_notes:
        parts.append(meeting.location_notes)
    if not parts and meeting.joining_link:
        parts.append(meeting.joining_link)
    return ", ".join(parts)


def session_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", session_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    # Text already stored may hold line breaks or control characters (it came in before the
    # rules did, or by a path that skipped them): a calendar file must never fail on it.
    event.add("summary", single_line(meeting.title))
    event.add("description", multiline(_description(meeting)))
    location = single_line(_location(meeting))
    if location:
        event.add("location", location)
    if meeting.joining_link:
        event.add("url", single_line(meeting.joining_link))
    cancelled = meeting.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A later change must win in calendars that compare sequence numbers.
    event.add("sequence", int(meeting.updated_at.timestamp()) % 2_000_000_000)
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", single_line(name))
    cal.add("x-wr-timezone", "Europe/London")
    for meeting in meetings:
        cal.add_component(session_event(meeting))
    return cal.to_ical()
