from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from coproduce.people.models import Interest, InterestStatus, Person


def usable(prefix: str = "") -> Q:
    """People who may be chosen for anything (lists, samples, invitations, reminders, rewards):
    not restricted and not erased (privacy app). `prefix` looks through a relation, e.g.
    `Invitation.objects.filter(usable("person__"))`."""
    return Q(**{f"{prefix}processing_restricted": False, f"{prefix}erased_at__isnull": True})


def person_search(filters: dict[str, Any]) -> QuerySet[Person]:
    people = Person.objects.select_related("area").only(
        "id",
        "first_name",
        "last_name",
        "external_ref",
        "postcode",
        "tenure",
        "involvement",
        "area__name",
        "processing_restricted",
        "erased_at",
    )
    q = (filters.get("q") or "").strip()
    if q:
        people = people.filter(
            Q(last_name__istartswith=q)
            | Q(first_name__istartswith=q)
            | Q(external_ref__iexact=q)
            | Q(email__iexact=q)
            | Q(phone=q)
            | Q(postcode__iexact=q)
        )
    if filters.get("area"):
        people = people.filter(area=filters["area"])
    if filters.get("tenure"):
        people = people.filter(tenure=filters["tenure"])
    if filters.get("involvement"):
        people = people.filter(involvement=filters["involvement"])
    if q:
        # Sorting on an expression stops PostgreSQL walking the whole name index to find the
        # few matches; it finds them with the search indexes and sorts those instead.
        return people.order_by(Upper("last_name"), Upper("first_name"), "id")
    return people.order_by("last_name", "first_name", "id")


def interest_queue() -> QuerySet[Interest]:
    return Interest.objects.filter(status=InterestStatus.NEW).order_by("created_at")
