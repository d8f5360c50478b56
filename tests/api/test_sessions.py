"""Sessions and attendance through the API: reading, and the register recorded by the landlord's
systems with the web register's rules (rewards follow, idempotent, all or nothing)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.meetings.models import Attendance, Meeting, SessionStatus
from coproduce.projects.models import Project
from tests.api.conftest import ApiClient


@pytest.fixture
def project(users):
    return Project.objects.create(title="Repairs review", purpose="Fix it", owner=users["carol"])


def _session(project, *, days: int = -1, **extra) -> Meeting:
    start = timezone.now() + dt.timedelta(days=days)
    return Meeting.objects.create(
        project=project,
        title="Workshop",
        channel="in_person",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        **extra,
    )


def test_sessions_list_and_one(api_client, project):
    held = _session(project)
    client = api_client("sessions:read")
    body = client.get(f"/api/v1/sessions/?project_id={project.pk}").json()
    assert [s["id"] for s in body["items"]] == [held.pk]
    assert body["items"][0]["attended"] == 0
    one = client.get(f"/api/v1/sessions/{held.pk}").json()
    assert one["title"] == "Workshop" and one["channel"] == "in_person"
    assert client.get("/api/v1/sessions/999999").status_code == 404


def test_recording_the_register_by_ref_and_by_id(api_client, project, users):
    meeting = _session(project)
    alice, bob = users["alice"].person, users["bob"].person
    writer = api_client("attendance:write")
    rows = [
        {"external_ref": "T-ALICE"},
        {"person_id": bob.pk, "minutes": 30, "took_part_via": "phone", "recorded_via": "phone"},
    ]
    response = writer.post(f"/api/v1/sessions/{meeting.pk}/attendance", {"attendance": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {"recorded": 2, "removed": 0, "unchanged": 0}
    by_person = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert by_person[alice.pk].minutes == 90  # the session's length by default
    assert by_person[bob.pk].on_behalf and by_person[bob.pk].minutes == 30
    assert by_person[alice.pk].recorded_by == users["sam"]  # the token's owner
    meeting.refresh_from_db()
    assert meeting.status == SessionStatus.HELD
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2

    # The same register again changes nothing.
    again = writer.post(f"/api/v1/sessions/{meeting.pk}/attendance", {"attendance": rows})
    assert again.json() == {"recorded": 0, "removed": 0, "unchanged": 2}

    # took_part false removes the earlier record.
    gone = writer.post(
        f"/api/v1/sessions/{meeting.pk}/attendance",
        {"attendance": [{"person_id": bob.pk, "took_part": False}]},
    )
    assert gone.json()["removed"] == 1
    listed = api_client("sessions:read").get(f"/api/v1/sessions/{meeting.pk}/attendance").json()
    assert [(a["person_id"], a["external_ref"]) for a in listed] == [(alice.pk, "T-ALICE")]


def test_one_bad_row_records_nothing_and_names_every_bad_row(api_client, project, users):
    meeting = _session(project)
    users["bob"].person.__class__.objects.filter(pk=users["bob"].person.pk).update(
        processing_restricted=True
    )
    rows = [
        {"external_ref": "T-ALICE"},
        {"external_ref": "NOBODY"},
        {"external_ref": "T-BOB"},
        {"external_ref": "T-ALICE"},
    ]
    response = api_client("attendance:write").post(
        f"/api/v1/sessions/{meeting.pk}/attendance", {"attendance": rows}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [e["loc"][2] for e in errors] == [1, 2, 3]
    assert "no such person" in errors[0]["msg"]
    assert "restricted" in errors[1]["msg"]
    assert "twice" in errors[2]["msg"]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        {},
        {"person_id": 1, "external_ref": "T-ALICE"},
        {"external_ref": "T-ALICE", "minutes": 0},
        {"external_ref": "T-ALICE", "minutes": 24 * 60 + 1},
        {"external_ref": "T-ALICE", "took_part_via": "carrier pigeon"},
        {"external_ref": "T-ALICE", "recorded_via": "web"},
        {"external_ref": "T-ALICE", "surprise": 1},
        {"external_ref": "T-\nALICE"},
    ],
)
def test_rows_that_cannot_be_read_are_refused(api_client, project, users, row):
    meeting = _session(project)
    response = api_client("attendance:write").post(
        f"/api/v1/sessions/{meeting.pk}/attendance", {"attendance": [row]}
    )
    assert response.status_code == 422, response.content
    assert not Attendance.objects.exists()


def test_cancelled_and_future_sessions_are_refused(api_client, project, users):
    writer = api_client("attendance:write")
    body = {"attendance": [{"external_ref": "T-ALICE"}]}
    cancelled = _session(project, status=SessionStatus.CANCELLED)
    future = _session(project, days=3)
    assert writer.post(f"/api/v1/sessions/{cancelled.pk}/attendance", body).status_code == 409
    assert writer.post(f"/api/v1/sessions/{future.pk}/attendance", body).status_code == 409
    assert writer.post("/api/v1/sessions/999999/attendance", body).status_code == 404
    assert not Attendance.objects.exists()


def test_more_than_a_thousand_rows_is_refused(api_client, project):
    meeting = _session(project)
    rows = [{"person_id": n} for n in range(1001)]
    response = api_client("attendance:write").post(
        f"/api/v1/sessions/{meeting.pk}/attendance", {"attendance": rows}
    )
    assert response.status_code in (413, 422)
    assert not Attendance.objects.exists()


def test_reading_needs_sessions_read_and_writing_attendance_write(api_client, project):
    meeting = _session(project)
    body = {"attendance": [{"external_ref": "T-ALICE"}]}
    reader = api_client("sessions:read")
    assert reader.post(f"/api/v1/sessions/{meeting.pk}/attendance", body).status_code == 403
    writer = api_client("attendance:write")
    assert writer.get("/api/v1/sessions/").status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_register_sent_twice_at_once_records_once(make_token, project, users):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time anyway")
    meeting = _session(project)
    _, secret = make_token("attendance:write")
    body = {"attendance": [{"external_ref": "T-ALICE"}, {"external_ref": "T-BOB"}]}
    results: list[dict[str, int]] = []
    start = threading.Barrier(2)

    def send() -> None:
        try:
            start.wait()
            response = ApiClient(secret).post(f"/api/v1/sessions/{meeting.pk}/attendance", body)
            assert response.status_code == 200, response.content
            results.append(response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["recorded"] for r in results) == [0, 2]
    assert Attendance.objects.filter(meeting=meeting).count() == 2
