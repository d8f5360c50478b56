"""Venues and rooms, booking rooms without clashes, and staff without double-booking."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.meetings import services
from coproduce.meetings.models import Room, RoomBooking, SessionStaff, SessionStatus, Venue
from tests.meetings.conftest import uk


def test_admin_support_adds_a_venue_and_a_room(login):
    client = login("adam")
    response = client.post(
        reverse("meetings:venue_create"),
        {
            "name": "Oak House",
            "address": "1 Oak Lane",
            "postcode": "NF2 3CD",
            "step_free": "on",
            "hearing_loop": "on",
        },
    )
    venue = Venue.objects.get()
    assert response["Location"] == reverse("meetings:venue_detail", args=[venue.pk])
    assert venue.access_features() == ["Step-free access", "Hearing loop"]
    response = client.post(
        reverse("meetings:room_create", args=[venue.pk]),
        {"name": "Lounge", "capacity": "12", "cost_per_hour": "17.50"},
    )
    room = Room.objects.get()
    assert room.cost_per_hour == Decimal("17.50")
    assert AuditEntry.objects.filter(action="room.created").exists()
    body = client.get(reverse("meetings:venue_list")).content.decode()
    assert "Oak House" in body and "Lounge (12)" in body


def test_room_form_refuses_a_bad_cost(login, venue):
    response = login("adam").post(
        reverse("meetings:room_create", args=[venue.pk]),
        {"name": "Lounge", "capacity": "ten", "cost_per_hour": "£5"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert not Room.objects.exists()


def test_duplicate_venue_name_is_a_clear_error(login, venue):
    response = login("carol").post(reverse("meetings:venue_create"), {"name": venue.name})
    assert response.status_code == 200
    assert b"already exists" in response.content


def test_room_with_bookings_cannot_be_removed(login, meeting, room, users):
    services.room_book(meeting=meeting, room=room, actor=users["carol"])
    response = login("adam").post(reverse("meetings:room_delete", args=[room.pk]), follow=True)
    assert b"has bookings" in response.content
    assert Room.objects.filter(pk=room.pk).exists()


def test_second_overlapping_booking_is_refused_naming_the_clash(login, make_meeting, room):
    first = make_meeting(
        title="Repairs panel", starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12)
    )
    second = make_meeting(
        title="Estate walk", starts_at=uk(2027, 2, 3, 11), ends_at=uk(2027, 2, 3, 13)
    )
    login("fiona").post(reverse("meetings:book_room", args=[first.pk]), {"room": room.pk})
    response = login("carol").post(
        reverse("meetings:book_room", args=[second.pk]), {"room": room.pk}, follow=True
    )
    body = response.content.decode()
    assert "Main hall is already booked for &#x27;Repairs panel&#x27;" in body
    assert "3 February 2027, 10am to 12pm" in body
    assert RoomBooking.objects.count() == 1


def test_back_to_back_bookings_are_fine(make_meeting, room, users):
    a = make_meeting(starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12))
    b = make_meeting(starts_at=uk(2027, 2, 3, 12), ends_at=uk(2027, 2, 3, 13))
    services.room_book(meeting=a, room=room, actor=users["carol"])
    services.room_book(meeting=b, room=room, actor=users["carol"])
    assert RoomBooking.objects.count() == 2


def test_a_cancelled_session_frees_its_room(make_meeting, room, users):
    a = make_meeting(starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12))
    b = make_meeting(starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12))
    services.room_book(meeting=a, room=room, actor=users["carol"])
    services.meeting_update(
        meeting=a, data={"status": SessionStatus.CANCELLED}, actor=users["carol"]
    )
    services.room_book(meeting=b, room=room, actor=users["carol"])
    assert RoomBooking.objects.get().meeting == b


def test_moving_a_session_onto_a_booked_room_is_refused(make_meeting, room, users):
    a = make_meeting(starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12))
    b = make_meeting(title="Later", starts_at=uk(2027, 2, 3, 14), ends_at=uk(2027, 2, 3, 15))
    services.room_book(meeting=a, room=room, actor=users["carol"])
    services.room_book(meeting=b, room=room, actor=users["carol"])
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=b, data={"starts_at": uk(2027, 2, 3, 11)}, actor=users["carol"]
        )
    b.refresh_from_db()
    assert b.starts_at == uk(2027, 2, 3, 14)


def test_small_room_for_a_big_session_shows_a_warning(login, make_meeting, venue, users):
    small = Room.objects.create(venue=venue, name="Snug", capacity=6)
    meeting = make_meeting(capacity=20)
    services.room_book(meeting=meeting, room=small, actor=users["carol"])
    body = login("fiona").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Snug holds 6 people, but the session is for up to 20." in body


def test_staff_cannot_be_in_two_sessions_at_once(login, make_meeting, users):
    a = make_meeting(
        title="Morning panel", starts_at=uk(2027, 2, 3, 10), ends_at=uk(2027, 2, 3, 12)
    )
    b = make_meeting(starts_at=uk(2027, 2, 3, 11), ends_at=uk(2027, 2, 3, 12))
    client = login("carol")
    client.post(
        reverse("meetings:assign_staff", args=[a.pk]),
        {"user": users["fiona"].pk, "role": "facilitator"},
    )
    response = client.post(
        reverse("meetings:assign_staff", args=[b.pk]),
        {"user": users["fiona"].pk, "role": "facilitator"},
        follow=True,
    )
    assert "already working at &#x27;Morning panel&#x27;" in response.content.decode()
    assert SessionStaff.objects.count() == 1


def test_staff_can_be_removed_from_a_session(login, meeting, users):
    member = services.staff_assign(
        meeting=meeting, user=users["adam"], role="admin_support", actor=users["carol"]
    )
    login("carol").post(reverse("meetings:remove_staff", args=[meeting.pk, member.pk]))
    assert not SessionStaff.objects.exists()
    assert AuditEntry.objects.filter(action="session.staff_removed").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_same_room_at_once_only_one_wins(users, make_meeting, room):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; run this on PostgreSQL (DATABASE_URL).")
    meetings = [
        make_meeting(title=f"Race {i}", starts_at=uk(2027, 3, 3, 10), ends_at=uk(2027, 3, 3, 12))
        for i in range(2)
    ]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def book(meeting) -> None:
        try:
            barrier.wait(timeout=10)
            services.room_book(meeting=meeting, room=room, actor=users["fiona"])
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["ok", "refused"]
    assert RoomBooking.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_facilitator_booked_twice_at_once_only_once(users, make_meeting):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; run this on PostgreSQL (DATABASE_URL).")
    meetings = [
        make_meeting(starts_at=uk(2027, 3, 3, 10), ends_at=uk(2027, 3, 3, 12) + dt.timedelta(i))
        for i in range(2)
    ]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def assign(meeting) -> None:
        try:
            barrier.wait(timeout=10)
            services.staff_assign(
                meeting=meeting, user=users["fiona"], role="facilitator", actor=users["carol"]
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["ok", "refused"]


def test_booking_a_room_that_does_not_exist_is_a_message(login, meeting):
    response = login("fiona").post(
        reverse("meetings:book_room", args=[meeting.pk]), {"room": "999"}, follow=True
    )
    assert b"Choose a room to book." in response.content
    assert not RoomBooking.objects.exists()
