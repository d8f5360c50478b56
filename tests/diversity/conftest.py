import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.meetings.models import Attendance, Meeting
from coproduce.people.models import Area, Person
from coproduce.projects.models import Project

LONDON = ZoneInfo("Europe/London")


def add_person(
    n,
    *,
    area,
    ethnicity="white_british",
    stats=True,
    outreach=True,
    carer="no",
    born=dt.date(1960, 1, 1),
    contact=True,
    channels=("phone",),
):
    person = Person.objects.create(
        first_name=f"P{n}",
        last_name=f"Person{n:03d}",
        area=area,
        caring_responsibilities=carer,
        date_of_birth=born,
        contact_consent=contact,
        preferred_channels=list(channels),
        involvement="active",
        email=f"p{n}@example.org",
    )
    if stats or outreach:
        EqualityConsent.objects.create(
            person=person,
            statistics=stats,
            outreach=outreach,
            given_at=dt.datetime(2025, 1, 1, tzinfo=LONDON),
        )
        EqualityRecord.objects.create(person=person, ethnicity=ethnicity, sex="female")
    return person


@pytest.fixture
def world(users):
    """60 White British people and 40 Black African people; 30 + 12 of them took part."""
    north = Area.objects.get(name="Northfield")
    south = Area.objects.create(name="Southgate")
    project = Project.objects.create(title="Promises", purpose="x", owner=users["carol"])
    meeting = Meeting.objects.create(
        project=project,
        title="Workshop",
        channel="in_person",
        starts_at=dt.datetime(2025, 3, 1, 10, tzinfo=LONDON),
        ends_at=dt.datetime(2025, 3, 1, 12, tzinfo=LONDON),
    )
    people = []
    for n in range(60):
        people.append(add_person(n, area=north))
    for n in range(60, 100):
        people.append(
            add_person(
                n, area=south, ethnicity="black_african", carer="yes", born=dt.date(1995, 1, 1)
            )
        )
    attendees = people[:30] + people[60:72]
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, person=p, took_part_via="in_person", minutes=120)
            for p in attendees
        ]
    )
    return {
        "people": people,
        "project": project,
        "meeting": meeting,
        "north": north,
        "south": south,
        "attendees": attendees,
    }
