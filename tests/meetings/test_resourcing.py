"""The resourcing view: staff hours, room costs and participants' time for a project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from coproduce.meetings import selectors, services
from coproduce.meetings.models import Attendance, SessionStatus, TimeGiven
from coproduce.people.models import Person
from tests.meetings.conftest import uk


def _build(make_meeting, room, users, n=1):
    alice = Person.objects.get(user=users["alice"])
    for i in range(n):
        m = make_meeting(
            title=f"S{i}", starts_at=uk(2027, 4, 1 + i, 10), ends_at=uk(2027, 4, 1 + i, 11, 30)
        )
        services.room_book(meeting=m, room=room, actor=users["carol"])
        services.staff_assign(
            meeting=m, user=users["fiona"], role="facilitator", actor=users["carol"]
        )
        services.staff_assign(
            meeting=m, user=users["adam"], role="admin_support", actor=users["carol"]
        )
        Attendance.objects.create(meeting=m, person=alice, took_part_via="in_person", minutes=90)


def test_resourcing_adds_up_hours_and_costs(make_meeting, room, project, users):
    _build(make_meeting, room, users, n=2)
    cancelled = make_meeting(status=SessionStatus.CANCELLED)
    services.staff_assign(
        meeting=cancelled, user=users["fiona"], role="facilitator", actor=users["carol"]
    )
    TimeGiven.objects.create(
        person=Person.objects.get(user=users["alice"]),
        project=project,
        on=dt.date(2027, 4, 5),
        minutes=60,
        what="Reading",
    )
    r = selectors.project_resourcing(project)
    assert r.sessions == 2
    assert r.facilitator_hours == Decimal("3.00")
    assert r.admin_hours == Decimal("3.00")
    assert r.room_cost == Decimal("75.00")  # 2 x 1.5 hours x £25
    assert isinstance(r.room_cost, Decimal)
    assert r.attendances == 2
    assert r.participant_minutes == 180
    assert r.participant_hours == Decimal("4.0")


def test_resourcing_page_keeps_a_constant_query_count(
    login, make_meeting, room, project, users, django_assert_max_num_queries
):
    client = login("frank")
    _build(make_meeting, room, users, n=10)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:resourcing", args=[project.pk]))
    assert response.status_code == 200
    assert "£375.00" in response.content.decode()
