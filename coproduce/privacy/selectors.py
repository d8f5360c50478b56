"""Reads for the register of data-protection requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.accounts.roles import Role
from coproduce.core.needs import Need
from coproduce.people.models import Person
from coproduce.privacy.models import DataRequest, RequestStatus

# A request due within this many days is highlighted, and its lead is reminded.
REMIND_DAYS_BEFORE = 7


def today() -> dt.date:
    return timezone.localdate()


def register(*, show: str = "open") -> QuerySet[DataRequest]:
    """The register, soonest deadline first. `show` is "open", "closed" or "all"."""
    requests = DataRequest.objects.select_related("person")
    if show == "open":
        return requests.filter(status=RequestStatus.OPEN).order_by("due_on", "id")
    if show == "closed":
        return requests.exclude(status=RequestStatus.OPEN).order_by("-completed_at", "-id")
    return requests.order_by("-received_on", "-id")


def deadline_words(data_request: DataRequest, *, on: dt.date | None = None) -> str:
    """The deadline in plain words: "Due in 5 days", "Due today", "Overdue by 2 days"."""
    if data_request.status != RequestStatus.OPEN:
        return "Closed"
    days = (data_request.due_on - (on or today())).days
    if days > 1:
        return f"Due in {days} days"
    if days == 1:
        return "Due tomorrow"
    if days == 0:
        return "Due today"
    return f"Overdue by {-days} day{'s' if days != -1 else ''}"


def is_due_soon(data_request: DataRequest, *, on: dt.date | None = None) -> bool:
    if data_request.status != RequestStatus.OPEN:
        return False
    return (data_request.due_on - (on or today())).days <= REMIND_DAYS_BEFORE


def register_rows(requests: QuerySet[DataRequest]) -> list[dict[str, Any]]:
    on = today()
    return [
        {
            "request": r,
            "deadline": deadline_words(r, on=on),
            "due_soon": is_due_soon(r, on=on),
            "overdue": r.status == RequestStatus.OPEN and r.due_on < on,
        }
        for r in requests
    ]


def person_find(query: str, *, limit: int = 20) -> list[Person]:
    """People matching a housing reference exactly, or a name or email; erased people never."""
    query = query.strip()
    if not query:
        return []
    people = Person.objects.filter(erased_at__isnull=True)
    exact = list(people.filter(external_ref=query)[:1])
    if exact:
        return exact
    words = query.split()
    match = Q()
    for word in words[:4]:
        match &= (
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__iexact=word)
        )
    return list(people.filter(match).order_by("last_name", "first_name", "id")[:limit])


def person_requests(person: Person) -> list[DataRequest]:
    return list(DataRequest.objects.filter(person=person).order_by("-received_on", "-id"))


def data_protection_leads() -> QuerySet[Any]:
    return get_user_model().objects.filter(role=Role.DATA_PROTECTION, is_active=True)


def reminders_due(*, on: dt.date | None = None) -> QuerySet[DataRequest]:
    on = on or today()
    return DataRequest.objects.filter(
        status=RequestStatus.OPEN,
        reminder_sent_on__isnull=True,
        due_on__lte=on + dt.timedelta(days=REMIND_DAYS_BEFORE),
    )


def requests_due_need(user: Any) -> Need | None:
    """For the lead's home page: open requests due within the reminder window, or overdue."""
    if not roles.can_manage_data_requests(user):
        return None
    count = DataRequest.objects.filter(
        status=RequestStatus.OPEN, due_on__lte=today() + dt.timedelta(days=REMIND_DAYS_BEFORE)
    ).count()
    return Need(
        count,
        "data-protection request due soon",
        "data-protection requests due soon",
        reverse("privacy:register"),
    )
