"""Calendar files for one session, and each person's private calendar feed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from icalendar import Calendar

from coproduce.meetings.models import CalendarFeed, Invitation, Rsvp, SessionStatus
from coproduce.people.models import Person
from tests.meetings.conftest import uk


def _events(body: bytes):
    cal = Calendar.from_ical(body)
    return [c for c in cal.walk("VEVENT")]


def test_session_ics_imports_with_the_right_time_and_stable_uid(login, make_meeting, room, users):
    from coproduce.meetings import services

    meeting = make_meeting(starts_at=uk(2027, 7, 1, 18, 30), ends_at=uk(2027, 7, 1, 20))
    services.room_book(meeting=meeting, room=room, actor=users["carol"])
    client = login("fiona")
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    [event] = _events(response.content)
    assert event.decoded("dtstart") == uk(2027, 7, 1, 18, 30)
    assert event.decoded("dtstart").astimezone(dt.UTC).hour == 17
    assert str(event["summary"]) == meeting.title
    assert "Main hall" in str(event["location"])
    assert str(event["status"]) == "CONFIRMED"
    [again] = _events(client.get(reverse("meetings:ics", args=[meeting.pk])).content)
    assert str(again["uid"]) == str(event["uid"])


def test_cancelled_session_is_marked_cancelled(login, make_meeting):
    meeting = make_meeting(status=SessionStatus.CANCELLED)
    [event] = _events(login("carol").get(reverse("meetings:ics", args=[meeting.pk])).content)
    assert str(event["status"]) == "CANCELLED"


def test_invited_tenant_can_download_the_session_file(login, meeting, users):
    Invitation.objects.create(meeting=meeting, person=Person.objects.get(user=users["alice"]))
    assert login("alice").get(reverse("meetings:ics", args=[meeting.pk])).status_code == 200


def test_tenant_gets_a_private_feed_address_and_it_works_without_sign_in(
    client, login, make_meeting, users
):
    alice = Person.objects.get(user=users["alice"])
    coming = make_meeting(title="Coming")
    declined = make_meeting(title="Declined")
    cancelled = make_meeting(title="Called off", status=SessionStatus.CANCELLED)
    make_meeting(title="Not invited")
    Invitation.objects.create(meeting=coming, person=alice, rsvp=Rsvp.YES)
    Invitation.objects.create(meeting=declined, person=alice, rsvp=Rsvp.NO)
    Invitation.objects.create(meeting=cancelled, person=alice)
    login("alice").post(reverse("meetings:my_calendar"))
    feed = CalendarFeed.objects.get(person=alice)
    home = client.get(reverse("home:home")).content.decode()
    assert reverse("meetings:feed", args=[feed.token]) in home
    client.logout()
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert response.status_code == 200
    events = {str(e["summary"]): str(e["status"]) for e in _events(response.content)}
    assert events == {"Coming": "CONFIRMED", "Called off": "CANCELLED"}


def test_a_wrong_feed_token_is_not_found(client, db):
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404


def test_asking_for_the_feed_twice_keeps_the_same_address(login, users):
    client = login("alice")
    client.post(reverse("meetings:my_calendar"))
    token = CalendarFeed.objects.get().token
    client.post(reverse("meetings:my_calendar"))
    assert CalendarFeed.objects.get().token == token
