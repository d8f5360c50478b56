"""The participation summary is kept exactly in step with attendances by the database."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Min

from coproduce.diversity.models import ProjectParticipation
from coproduce.meetings.models import Attendance, Meeting
from coproduce.people.models import Person
from coproduce.projects.models import Project

LONDON = ZoneInfo("Europe/London")


def _truth():
    return {
        (r["person_id"], r["meeting__project_id"]): (r["n"], r["first"])
        for r in Attendance.objects.values("person_id", "meeting__project_id")
        .annotate(n=Count("id"), first=Min("meeting__starts_at"))
        .order_by()
    }


def _summary():
    return {
        (p.person_id, p.project_id): (p.attendances, p.first_at)
        for p in ProjectParticipation.objects.all()
    }


def _meeting(project, day):
    start = dt.datetime(2025, 1, day, 10, tzinfo=LONDON)
    return Meeting.objects.create(
        project=project,
        title=f"S{day}",
        channel="in_person",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


def test_the_summary_follows_every_kind_of_change(users):
    a = Project.objects.create(title="A", purpose="x", owner=users["carol"])
    b = Project.objects.create(title="B", purpose="x", owner=users["carol"])
    people = [Person.objects.create(first_name=f"P{i}") for i in range(4)]
    m1, m2, m3 = _meeting(a, 5), _meeting(a, 12), _meeting(b, 19)
    Attendance.objects.create(meeting=m2, person=people[0], took_part_via="in_person", minutes=60)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=m, person=p, took_part_via="in_person", minutes=60)
            for m in (m1, m3)
            for p in people
        ]
    )
    assert _summary() == _truth()
    assert _summary()[(people[0].pk, a.pk)] == (2, m1.starts_at)
    Attendance.objects.filter(meeting=m1, person=people[0]).delete()
    assert _summary() == _truth()
    assert _summary()[(people[0].pk, a.pk)] == (1, m2.starts_at)
    m2.starts_at = dt.datetime(2024, 12, 1, 10, tzinfo=LONDON)
    m2.ends_at = m2.starts_at + dt.timedelta(hours=1)
    m2.save()
    assert _summary() == _truth()
    m3.project = a
    m3.save()
    assert _summary() == _truth()
    assert not ProjectParticipation.objects.filter(project=b).exists()
    newcomer = Person.objects.create(first_name="New")
    Attendance.objects.filter(person=people[3]).update(person=newcomer)
    assert _summary() == _truth()
    m1.delete()
    assert _summary() == _truth()
