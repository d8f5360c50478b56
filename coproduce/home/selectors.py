from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from coproduce.meetings import selectors as meetings
from coproduce.meetings.models import CalendarFeed
from coproduce.people.models import Interest, InterestStatus, Involvement, Person


def tenant_home(*, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    """What's coming up (invitations to future planned sessions) and what they have done."""
    person = Person.objects.filter(user_id=user.pk).first() if user.pk else None
    if person is None:
        return {"person": None, "upcoming": [], "history": None, "calendar_feed": None}
    return {
        "person": person,
        "upcoming": meetings.person_upcoming(person),
        "history": meetings.person_history(person),
        "calendar_feed": CalendarFeed.objects.filter(person=person).first(),
    }


def staff_home(*, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    counts = Person.objects.aggregate(
        total=Count("id"),
    )
    pool = Person.objects.filter(involvement=Involvement.ACTIVE).count()
    waiting = Interest.objects.filter(status=InterestStatus.NEW).count()
    return {"people_total": counts["total"], "pool_total": pool, "interest_waiting": waiting}
