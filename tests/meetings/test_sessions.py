"""Creating, changing, listing and printing sessions."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.meetings.models import Meeting, SessionChannel, SessionStatus
from tests.meetings.conftest import LONDON, soon, uk


def _form(project, **overrides):
    data = {
        "project": project.pk,
        "title": "Repairs promise workshop",
        "channel": SessionChannel.IN_PERSON,
        "starts_at": "2027-01-14T18:30",
        "ends_at": "2027-01-14T20:00",
        "capacity": "20",
        "agenda": "1. Welcome\n2. Repairs",
        "materials": "Draft promise wording",
    }
    data.update(overrides)
    return data


def test_facilitator_creates_a_session_in_uk_time(login, project):
    client = login("fiona")
    response = client.post(reverse("meetings:create"), _form(project))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.starts_at == uk(2027, 1, 14, 18, 30)
    assert meeting.duration_minutes == 90
    assert AuditEntry.objects.filter(action="session.created", object_id=str(meeting.pk)).exists()


def test_summer_times_are_british_summer_time(login, project):
    login("fiona").post(
        reverse("meetings:create"),
        _form(project, starts_at="2027-07-01T10:00", ends_at="2027-07-01T11:00"),
    )
    meeting = Meeting.objects.get()
    assert meeting.starts_at.astimezone(dt.UTC).hour == 9


def test_it_refuses_an_end_before_the_start(login, project):
    response = login("fiona").post(
        reverse("meetings:create"), _form(project, ends_at="2027-01-14T17:00")
    )
    assert response.status_code == 200
    assert b"The end must be after the start." in response.content
    assert not Meeting.objects.exists()


def test_online_session_needs_a_joining_link(login, project):
    response = login("fiona").post(
        reverse("meetings:create"), _form(project, channel=SessionChannel.ONLINE)
    )
    assert b"Enter the joining link" in response.content
    assert not Meeting.objects.exists()


def test_phone_session_needs_dial_in_details(login, project):
    response = login("fiona").post(
        reverse("meetings:create"), _form(project, channel=SessionChannel.PHONE)
    )
    assert b"Enter the phone number" in response.content
    assert not Meeting.objects.exists()


def test_a_time_that_does_not_exist_in_the_uk_is_a_clear_error(login, project):
    # 01:30 on the last Sunday of March 2027 is skipped when the clocks go forward.
    response = login("fiona").post(
        reverse("meetings:create"),
        _form(project, starts_at="2027-03-28T01:30", ends_at="2027-03-28T03:00"),
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert not Meeting.objects.exists()


def test_rubbish_input_gives_messages_not_errors(login, project):
    response = login("fiona").post(
        reverse("meetings:create"),
        {"project": "x", "starts_at": "soon", "ends_at": "", "capacity": "-3", "channel": "fax"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def test_reminder_must_be_before_the_start(login, project):
    response = login("fiona").post(
        reverse("meetings:create"), _form(project, reminder_at="2027-01-15T09:00")
    )
    assert b"Reminders must go before the session starts." in response.content


def test_editing_a_session_is_audited_and_can_cancel_it(login, meeting):
    client = login("fiona")
    data = _form(
        meeting.project,
        title="Renamed",
        starts_at=meeting.starts_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        ends_at=meeting.ends_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        status=SessionStatus.CANCELLED,
    )
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"
    assert meeting.status == SessionStatus.CANCELLED
    entry = AuditEntry.objects.get(action="session.changed")
    assert "title" in entry.summary


def test_edit_form_shows_uk_local_times(login, make_meeting):
    meeting = make_meeting(starts_at=uk(2027, 7, 1, 10), ends_at=uk(2027, 7, 1, 11))
    response = login("fiona").get(reverse("meetings:edit", args=[meeting.pk]))
    assert b'value="2027-07-01T10:00"' in response.content


def test_list_filters_by_project_channel_and_when(login, make_meeting, project, users):
    from coproduce.projects.models import Project

    other = Project.objects.create(title="Other", purpose="x", owner=users["carol"])
    make_meeting(title="Future in person")
    make_meeting(
        title="Future online", channel=SessionChannel.ONLINE, joining_link="https://x.test"
    )
    make_meeting(title="Other project", project=other)
    make_meeting(title="Long ago", starts_at=uk(2020, 1, 1, 10), ends_at=uk(2020, 1, 1, 11))
    client = login("carol")
    body = client.get(reverse("meetings:list")).content.decode()
    assert "Future in person" in body and "Long ago" not in body
    body = client.get(reverse("meetings:list"), {"when": "past"}).content.decode()
    assert "Long ago" in body and "Future in person" not in body
    body = client.get(reverse("meetings:list"), {"channel": "online"}).content.decode()
    assert "Future online" in body and "Future in person" not in body
    body = client.get(reverse("meetings:list"), {"project": other.pk}).content.decode()
    assert "Other project" in body and "Future online" not in body


def test_list_keeps_a_constant_query_count(
    login, make_meeting, room, users, django_assert_max_num_queries
):
    from coproduce.meetings import services
    from coproduce.people.models import Person

    client = login("carol")
    client.get(reverse("meetings:list"))  # warm the session
    alice = Person.objects.get(user=users["alice"])
    for i in range(30):
        m = make_meeting(
            title=f"Session {i}",
            starts_at=soon(days=i + 1),
            ends_at=soon(days=i + 1) + dt.timedelta(hours=1),
        )
        services.invitations_create(meeting=m, people=[alice], actor=users["carol"])
        if i % 2:
            services.room_book(meeting=m, room=room, actor=users["carol"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:list"))
    assert response.status_code == 200
    assert b"Session 0" in response.content


def test_printable_page_has_the_agenda_without_navigation(login, make_meeting):
    meeting = make_meeting(agenda="Welcome and tea", materials="Page 1 of the draft")
    response = login("fiona").get(reverse("meetings:print", args=[meeting.pk]))
    body = response.content.decode()
    assert "Welcome and tea" in body and "Page 1 of the draft" in body
    assert "cp-service-navigation" not in body
    assert "/static/coproduce/meeting-print.css" in body  # its print styles live there


def test_detail_shows_capacity_and_replies(login, meeting, members, users):
    from coproduce.meetings import services

    services.invitations_for_members(meeting=meeting, actor=users["carol"])
    response = login("fiona").get(reverse("meetings:detail", args=[meeting.pk]))
    assert b"2 invited: 0 coming" in response.content


def test_a_tenants_session_page_finds_their_invitation_in_one_query(
    login, make_meeting, users, django_assert_num_queries
):
    """The session page is one of a tenant's busiest (docs/benchmarks.md, issue #20): the
    session, then their own invitation joined through their login; and nobody else's."""
    from coproduce.meetings import services
    from coproduce.people.models import Person

    meeting = make_meeting(title="Estate walkabout")
    alice = Person.objects.get(user=users["alice"])
    services.invitations_create(meeting=meeting, people=[alice], actor=users["carol"])
    client = login("alice")
    client.get(reverse("meetings:detail", args=[meeting.pk]))  # the session is read from now on
    with django_assert_num_queries(4):  # session, user, the session page's meeting, invitation
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200 and b"Estate walkabout" in response.content
    assert login("bob").get(reverse("meetings:detail", args=[meeting.pk])).status_code == 403
