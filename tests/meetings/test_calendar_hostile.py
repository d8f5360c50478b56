"""Odd text in a session never breaks its calendar file or anybody's feed, and staff forms
refuse line breaks in one-line fields (found by an attack run: a title with a line break made
the session's .ics answer 500)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from coproduce.core.text import SINGLE_LINE_MESSAGE
from coproduce.meetings.models import CalendarFeed, Invitation, Meeting, Rsvp
from coproduce.people.models import Person
from tests.meetings.test_sessions import _form

CASES = [
    ("Line1\nLine2", "Line1 Line2"),
    ("Line1\r\nLine2", "Line1 Line2"),
    ("Line1\rBEGIN:VEVENT", "Line1 BEGIN:VEVENT"),
    ("Tab\tand\x0bvertical", "Tab and vertical"),
    ("Escape\x1b[31m red", "Escape [31m red"),
    ("Next\x85line\u2028sep", "Next line sep"),
]
HOSTILE = [title for title, _ in CASES]
# A content line may hold tabs (folding) but no other control character.
BAD_IN_LINE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def _lines_are_clean(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    for line in body[:-2].split(b"\r\n"):
        assert not BAD_IN_LINE.search(line), line


@pytest.mark.parametrize(("title", "shown"), CASES)
def test_session_file_with_odd_title_is_a_valid_calendar(login, make_meeting, title, shown):
    meeting = make_meeting(
        title=title,
        location_notes=f"Room {title}",
        agenda=f"One\r\n{title}\x07end",  # BEL: PostgreSQL cannot store NUL
    )
    response = login("fiona").get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    _lines_are_clean(response.content)
    cal = Calendar.from_ical(response.content)
    [event] = cal.walk("VEVENT")
    assert str(event["summary"]) == shown
    assert str(event["location"]) == f"Room {shown}"
    assert str(cal["x-wr-calname"]) == shown
    assert "One\n" in str(event["description"])
    assert "\x07" not in str(event["description"])


def test_personal_feed_with_an_odd_session_still_lists_every_session(client, make_meeting, users):
    alice = Person.objects.get(user=users["alice"])
    for index, title in enumerate(HOSTILE):
        meeting = make_meeting(title=title)
        Invitation.objects.create(meeting=meeting, person=alice, rsvp=Rsvp.YES)
        assert index + 1 == Meeting.objects.count()
    feed = CalendarFeed.objects.create(person=alice)
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert response.status_code == 200
    _lines_are_clean(response.content)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == len(HOSTILE)


@pytest.mark.parametrize("title", ["Line1\nLine2", "Line1\rLine2", "Bell\x07"])
def test_staff_form_refuses_a_title_with_a_line_break(login, project, title):
    response = login("fiona").post(reverse("meetings:create"), _form(project, title=title))
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert SINGLE_LINE_MESSAGE in response.content.decode()


def test_staff_form_post_with_a_nul_byte_is_refused_with_a_clear_page(login, project):
    response = login("fiona").post(reverse("meetings:create"), _form(project, title="a\x00b"))
    assert response.status_code == 400
    assert "a character we cannot store" in response.content.decode()
    assert not Meeting.objects.exists()


def test_staff_form_keeps_line_breaks_in_the_agenda_but_not_control_characters(login, project):
    client = login("fiona")
    response = client.post(reverse("meetings:create"), _form(project, agenda="1. Hi\r\n2. Bye"))
    assert response.status_code == 302
    assert Meeting.objects.get().agenda.splitlines() == ["1. Hi", "2. Bye"]
    response = client.post(reverse("meetings:create"), _form(project, agenda="1. Hi\x0c2. Bye"))
    assert response.status_code == 200
    assert "Remove the hidden control characters" in response.content.decode()
    assert Meeting.objects.count() == 1
