from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from coproduce.core.models import AuditEntry


def audit_search(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.get("actor"):
        entries = entries.filter(actor_email__icontains=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action__icontains=filters["action"])
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz)
        entries = entries.filter(at__gte=start)
    if filters.get("date_to"):
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        entries = entries.filter(at__lt=end)
    return entries


def tenant_home(*, user: Any) -> dict[str, Any]:
    """What's coming up (invitations to future planned sessions) and what they have done."""
    from coproduce.meetings import selectors as meetings
    from coproduce.meetings.models import CalendarFeed
    from coproduce.people.models import Person

    person = Person.objects.filter(user_id=user.pk).first() if user.pk else None
    if person is None:
        return {"person": None, "upcoming": [], "history": None, "calendar_feed": None}
    return {
        "person": person,
        "upcoming": meetings.person_upcoming(person),
        "history": meetings.person_history(person),
        "calendar_feed": CalendarFeed.objects.filter(person=person).first(),
    }


def staff_home(*, user: Any) -> dict[str, Any]:
    from coproduce.people.models import Interest, InterestStatus, Involvement, Person

    counts = Person.objects.aggregate(
        total=Count("id"),
    )
    pool = Person.objects.filter(involvement=Involvement.ACTIVE).count()
    waiting = Interest.objects.filter(status=InterestStatus.NEW).count()
    return {"people_total": counts["total"], "pool_total": pool, "interest_waiting": waiting}
