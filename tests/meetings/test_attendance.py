"""Recording who took part, time given, and a person's history of involvement."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.core.models import AuditEntry
from coproduce.meetings import services
from coproduce.meetings.models import (
    Attendance,
    Invitation,
    RecordedVia,
    SessionChannel,
    TimeGiven,
)
from coproduce.people.models import Person
from tests.conftest import PASSWORD
from tests.meetings.conftest import uk


def _register_post(meeting, rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-person_id"] = str(row["person"].pk)
        if row.get("took_part"):
            data[f"form-{i}-took_part"] = "on"
        data[f"form-{i}-took_part_via"] = row.get("via", meeting.channel)
        data[f"form-{i}-minutes"] = str(row.get("minutes", ""))
        data[f"form-{i}-recorded_via"] = row.get("recorded_via", RecordedVia.IN_PERSON)
    return data


def test_register_lists_invitees_with_session_length_as_default(login, meeting, users):
    alice = Person.objects.get(user=users["alice"])
    Invitation.objects.create(meeting=meeting, person=alice)
    body = login("fiona").get(reverse("meetings:register", args=[meeting.pk])).content.decode()
    assert "Alice Example" in body
    assert 'value="120"' in body


def test_facilitator_records_attendance_including_by_phone(login, meeting, users):
    alice = Person.objects.get(user=users["alice"])
    bob = Person.objects.get(user=users["bob"])
    for p in (alice, bob):
        Invitation.objects.create(meeting=meeting, person=p)
    data = _register_post(
        meeting,
        [
            {"person": alice, "took_part": True, "minutes": 120},
            {
                "person": bob,
                "took_part": True,
                "via": SessionChannel.PHONE,
                "minutes": 45,
                "recorded_via": RecordedVia.PHONE,
            },
        ],
    )
    response = login("fiona").post(reverse("meetings:register", args=[meeting.pk]), data)
    assert response.status_code == 302
    by_phone = Attendance.objects.get(person=bob)
    assert by_phone.on_behalf and by_phone.minutes == 45
    assert not Attendance.objects.get(person=alice).on_behalf
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2
    detail = login("fiona").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Recorded for them" in detail


def test_unticking_removes_an_earlier_record(login, meeting, users):
    alice = Person.objects.get(user=users["alice"])
    Invitation.objects.create(meeting=meeting, person=alice)
    client = login("fiona")
    url = reverse("meetings:register", args=[meeting.pk])
    client.post(url, _register_post(meeting, [{"person": alice, "took_part": True, "minutes": 60}]))
    client.post(url, _register_post(meeting, [{"person": alice, "took_part": False}]))
    assert not Attendance.objects.exists()


def test_someone_not_invited_can_be_added_to_the_register(login, meeting):
    walk_in = Person.objects.create(first_name="Wendy", last_name="Walkin")
    client = login("fiona")
    url = reverse("meetings:register", args=[meeting.pk])
    assert b"Wendy Walkin" in client.get(url, {"q": "Walkin"}).content
    data = _register_post(meeting, [{"person": walk_in, "took_part": True, "minutes": 30}])
    data["extra"] = str(walk_in.pk)
    client.post(url + "?q=Walkin", data)
    assert Attendance.objects.get().person == walk_in


def test_bad_minutes_show_a_message_and_save_nothing(login, meeting, users):
    alice = Person.objects.get(user=users["alice"])
    Invitation.objects.create(meeting=meeting, person=alice)
    data = _register_post(meeting, [{"person": alice, "took_part": True, "minutes": "-5"}])
    response = login("fiona").post(reverse("meetings:register", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert not Attendance.objects.exists()


def test_history_page_is_audited_and_records_time_given(login, project, users):
    alice = Person.objects.get(user=users["alice"])
    client = login("carol")
    url = reverse("meetings:person_history", args=[alice.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action="person.history_viewed", object_id=str(alice.pk)
    ).exists()
    response = client.post(
        url,
        {
            "project": project.pk,
            "on": "2026-11-01",
            "minutes": "90",
            "what": "Read the draft promises",
        },
    )
    assert response.status_code == 302
    item = TimeGiven.objects.get()
    assert item.minutes == 90 and item.recorded_by == users["carol"]
    assert b"Read the draft promises" in client.get(url).content


def test_time_given_form_rejects_bad_input(login, project, users):
    alice = Person.objects.get(user=users["alice"])
    response = login("carol").post(
        reverse("meetings:person_history", args=[alice.pk]),
        {"project": project.pk, "on": "not a date", "minutes": "0", "what": ""},
    )
    assert response.status_code == 200
    assert not TimeGiven.objects.exists()


def test_data_protection_lead_can_read_history_but_not_add_time(login, project, users):
    alice = Person.objects.get(user=users["alice"])
    url = reverse("meetings:person_history", args=[alice.pk])
    client = login("dora")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"project": project.pk, "on": "2026-11-01", "minutes": "5", "what": "x"}
    )
    assert response.status_code == 403


def test_tenant_without_a_login_sees_phone_attendance_once_they_get_one(
    client, login, make_meeting, project, users
):
    from coproduce.meetings import services

    meeting = make_meeting(
        title="Phone panel",
        channel=SessionChannel.PHONE,
        phone_details="0800 000 000, code 1234",
        starts_at=uk(2026, 10, 5, 14),
        ends_at=uk(2026, 10, 5, 15),
    )
    pat = Person.objects.create(first_name="Pat", last_name="Offline", phone="01234 567890")
    Invitation.objects.create(meeting=meeting, person=pat)
    data = _register_post(
        meeting,
        [
            {
                "person": pat,
                "took_part": True,
                "minutes": 60,
                "via": SessionChannel.PHONE,
                "recorded_via": RecordedVia.PHONE,
            }
        ],
    )
    login("fiona").post(reverse("meetings:register", args=[meeting.pk]), data)
    services.time_given_record(
        person=pat,
        project=project,
        on=dt.date(2026, 10, 6),
        minutes=30,
        what="Read the papers by post",
        actor=users["fiona"],
    )
    attendance = Attendance.objects.get(person=pat)
    assert attendance.on_behalf

    user = User.objects.create_user(
        "pat@example.org", PASSWORD, full_name="Pat Offline", role=Role.TENANT
    )
    pat.user = user
    pat.save(update_fields=["user"])
    client.logout()
    client.force_login(user)
    body = client.get(reverse("home:home")).content.decode()
    assert "Phone panel" in body
    assert "Read the papers by post" in body
    assert "Recorded for you" in body
    assert "1.5 hours" in body
    # The full history (with the total in minutes) is on its own page, linked from home.
    assert reverse("home:history") in body
    history = client.get(reverse("home:history")).content.decode()
    assert "Phone panel" in history
    assert "Read the papers by post" in history
    assert "Recorded for you" in history
    assert "90 minutes (1.5 hours)" in history


def test_a_broken_register_post_is_a_message_not_an_error(login, meeting):
    response = login("fiona").post(
        reverse("meetings:register", args=[meeting.pk]), {"form-TOTAL_FORMS": "x"}
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_staff_saving_the_same_register_at_once_both_succeed_on_postgresql(make_meeting, users):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    meeting = make_meeting(starts_at=uk(2026, 3, 2, 18), ends_at=uk(2026, 3, 2, 20))
    people = [Person.objects.create(first_name=f"P{i}", last_name="Example") for i in range(20)]
    rows = [
        {
            "person": p,
            "took_part": True,
            "took_part_via": meeting.channel,
            "minutes": 120,
            "recorded_via": RecordedVia.IN_PERSON,
        }
        for p in people
    ]
    results: list[object] = []
    barrier = threading.Barrier(2)

    def save(actor: User) -> None:
        try:
            barrier.wait()
            results.append(services.attendance_register(meeting=meeting, rows=rows, actor=actor))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(users[name],)) for name in ("fiona", "carol")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [(0, 0), (20, 0)]  # the second saw the first's register
    assert Attendance.objects.filter(meeting=meeting).count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_registers_of_one_project_saved_at_once_both_succeed_on_postgresql(make_meeting, users):
    # The participation summary (per person and project) is kept by database triggers: two
    # registers writing the same people in opposite orders used to deadlock.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    first = make_meeting(starts_at=uk(2026, 3, 2, 18), ends_at=uk(2026, 3, 2, 20))
    second = make_meeting(starts_at=uk(2026, 3, 9, 18), ends_at=uk(2026, 3, 9, 20))
    people = [Person.objects.create(first_name=f"P{i}", last_name="Example") for i in range(30)]

    def rows(order):
        return [
            {
                "person": p,
                "took_part": True,
                "took_part_via": first.channel,
                "minutes": 120,
                "recorded_via": RecordedVia.IN_PERSON,
            }
            for p in order
        ]

    results: list[object] = []
    barrier = threading.Barrier(2)

    def save(meeting, order, actor: User) -> None:
        try:
            barrier.wait()
            results.append(
                services.attendance_register(meeting=meeting, rows=rows(order), actor=actor)
            )
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(first, people, users["fiona"])),
        threading.Thread(target=save, args=(second, people[::-1], users["carol"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(30, 0), (30, 0)]
    assert Attendance.objects.count() == 60
