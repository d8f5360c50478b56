"""The cast of the involvement story: the staff, the people in the involvement pool by how long
they have been involved, and who finds the usual meetings hardest to come to."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from coproduce.accounts.models import User
from coproduce.demo.plan import Home, Plan
from coproduce.demo.riverside import REF_PREFIX, moved, person_ref
from coproduce.people.models import Person


@dataclass
class Cast:
    staff: dict[str, User]  # login key -> staff login
    logins: dict[str, str]  # login key -> email
    people: dict[str, Person]  # external_ref -> person
    core: list[Person]  # the "same old people", involved since 2012-2016
    established: list[Person]
    new: list[Person]  # joined in the last two years
    harder: dict[int, float]  # person pk -> 0.0 for those who never come to the usual meetings
    rng: random.Random

    @property
    def coordinator(self) -> User:
        return self.staff["coordinator"]

    @property
    def facilitator(self) -> User:
        return self.staff["facilitator"]

    @property
    def admin(self) -> User:
        return self.staff["admin_support"]

    @property
    def colleague(self) -> User:
        return self.staff.get("colleague", self.coordinator)


def cast_gather(*, plan: Plan, seed: int, logins: dict[str, str]) -> Cast:
    rng = random.Random(seed * 7919 + 1)
    staff = {
        key: User.objects.get(email=email)
        for key, email in logins.items()
        if User.objects.filter(email=email).exists()
    }
    homes = {person_ref(home.index): home for home in plan.homes}
    people = _pool_people()
    harder = _who_finds_it_harder(people, homes, rng)
    by_segment = _by_segment(people, homes)
    return Cast(
        staff=staff,
        logins=logins,
        people=people,
        core=by_segment.get("core", []),
        established=by_segment.get("established", []),
        new=by_segment.get("new", []),
        harder=harder,
        rng=rng,
    )


def _pool_people() -> dict[str, Person]:
    return {
        p.external_ref or "": p
        for p in Person.objects.filter(external_ref__startswith=REF_PREFIX).only(
            "id",
            "external_ref",
            "involvement",
            "involved_since",
            "user_id",
            "caring_responsibilities",
            "date_of_birth",
        )
    }


def _who_finds_it_harder(
    people: dict[str, Person], homes: dict[str, Home], rng: random.Random
) -> dict[int, float]:
    """Carers, young people and people from minority ethnic groups find the usual meetings
    hardest: many of them never come at all, whatever they are invited to."""
    harder: dict[int, float] = {}
    for ref, person in sorted(people.items()):
        factor = 1.0
        if person.caring_responsibilities == "yes":
            factor *= 0.3
        if person.date_of_birth and person.date_of_birth > moved(dt.date(1991, 1, 1)):
            factor *= 0.45
        home = homes.get(ref)
        if home is not None and home.heritage != "british":
            factor *= 0.5
        if factor < 1 and rng.random() > factor:
            harder[person.pk] = 0.0
    return harder


def _by_segment(people: dict[str, Person], homes: dict[str, Home]) -> dict[str, list[Person]]:
    by_segment: dict[str, list[Person]] = {}
    for ref, person in sorted(people.items()):
        home = homes.get(ref)
        if home is not None and home.segment:
            by_segment.setdefault(home.segment, []).append(person)
    return by_segment
