from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from coproduce.accounts import roles
from coproduce.people.models import Person
from coproduce.projects.models import ProjectMember
from coproduce.promises.models import Promise, PromiseSet, SetStatus
from coproduce.promises.ranking import borda, schulze

if TYPE_CHECKING:
    from coproduce.accounts.models import User


def sets_for_user(user: User) -> QuerySet[PromiseSet]:
    sets = PromiseSet.objects.select_related("project")
    if roles.can_see_all_projects(user):
        return sets
    if roles.is_tenant(user):
        return sets.filter(project__members__person__user=user).distinct()
    return sets.filter(status__in=[SetStatus.ADOPTED, SetStatus.PUBLISHED])


def member_person(user: User, promise_set: PromiseSet) -> Person | None:
    """The signed-in tenant's person record, if they are in the drafting group."""
    if not roles.is_tenant(user):
        return None
    return Person.objects.filter(
        user=user, memberships__project_id=promise_set.project_id, memberships__left_on__isnull=True
    ).first()


def group_members(promise_set: PromiseSet) -> list[Person]:
    return [
        m.person
        for m in ProjectMember.objects.filter(
            project_id=promise_set.project_id, left_on__isnull=True
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ]


def live_promises(promise_set: PromiseSet) -> list[Promise]:
    return list(promise_set.promises.filter(dropped=False).order_by("position", "id"))


def ranking_result(promise_set: PromiseSet) -> dict[str, Any] | None:
    promises = live_promises(promise_set)
    ids = [p.pk for p in promises]
    ballots = [b for b in promise_set.ballots.values_list("ranking", flat=True)]
    if not ballots or not ids:
        return None
    clean = [[pid for pid in ballot if pid in ids] for ballot in ballots]
    order, pairwise, strengths = schulze(clean, ids)
    titles = {p.pk: p.title for p in promises}
    borda_order = borda(clean, ids)
    rows = [
        {
            "place": b.place,
            "title": titles[b.candidate],
            "points": b.score,
            "schulze_place": s.place,
            "schulze_title": titles[s.candidate],
            "beats": s.score,
        }
        for b, s in zip(borda_order, order, strict=True)
    ]
    return {
        "rows": rows,
        "ballots": len(clean),
        "borda": borda_order,
        "schulze": order,
        "titles": titles,
        "pairwise": pairwise,
        "strengths": strengths,
        "matrix": [(titles[a], [(titles[b], pairwise[a].get(b)) for b in ids]) for a in ids],
    }
