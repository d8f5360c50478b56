"""A tenant's full history, on its own page, 20 at a time."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from coproduce.meetings.models import Attendance, TimeGiven
from coproduce.people.models import Person
from tests.home.conftest import session


def test_history_pages_through_twenty_one_things(login, users, project):
    alice = Person.objects.get(user=users["alice"])
    for n in range(20):
        meeting = session(project, f"Session number {n + 1}", -(n + 2))
        Attendance.objects.create(meeting=meeting, person=alice, took_part_via="online", minutes=60)
    TimeGiven.objects.create(
        person=alice, project=project, on=dt.date(2016, 3, 1), minutes=30, what="The oldest thing"
    )
    client = login("alice")
    first = client.get(reverse("home:history"))
    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('class="cp-home-done"') == 20
    assert "<strong>Session number 1</strong>" in body
    assert "The oldest thing" not in body
    assert "Page 1 of 2" in body
    assert "21 things, newest first." in body
    assert "1230 minutes (20.5 hours)" in body

    second = client.get(reverse("home:history"), {"page": 2}).content.decode()
    assert second.count('class="cp-home-done"') == 1
    assert "The oldest thing" in second
    assert "Page 2 of 2" in second


def test_history_is_for_tenants_only(login):
    assert login("carol").get(reverse("home:history")).status_code == 403


def test_history_says_so_when_there_is_nothing(login):
    body = login("bob").get(reverse("home:history")).content.decode()
    assert "Nothing yet." in body
