"""The plan: who lives in each home, and who is in the involvement pool.

Pure (no database): every choice comes from `random.Random(seed)`, in a fixed order.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from coproduce.demo.names import HERITAGE_WEIGHTS
from coproduce.demo.riverside import AGE_BANDS, AREAS, SERVICES, TENURE_WEIGHTS
from coproduce.people.models import Involvement, Tenure

# How likely someone is to be in each part of the involvement pool, by tenure (times 1 if not
# listed). The long-standing core leans to older leaseholders and sheltered tenants; newer
# voices include more people from supported housing and support services.
CORE_TENURE_WEIGHT: dict[str, float] = {Tenure.LEASEHOLD: 3.0, Tenure.SHELTERED: 1.5}
NEW_TENURE_WEIGHT: dict[str, float] = {Tenure.SUPPORTED: 2.0, Tenure.SERVICE_USER: 2.0}
ESTABLISHED_TENURE_WEIGHT: dict[str, float] = {
    Tenure.LEASEHOLD: 2.5,
    Tenure.SHARED_OWNERSHIP: 1.5,
    Tenure.SHELTERED: 1.3,
    Tenure.SUPPORTED: 0.5,
    Tenure.SERVICE_USER: 0.5,
    Tenure.TEMPORARY: 0.2,
}


@dataclass
class Home:
    index: int  # 1-based; external_ref is RH-<index>
    tenure: str
    area: int  # index into AREAS
    scheme: str
    age: int
    heritage: str
    woman: bool
    involvement: str = Involvement.NOT_INVOLVED
    segment: str = ""  # "core", "established", "new", "paused", "left"


@dataclass
class Plan:
    homes: list[Home]
    segments: dict[str, list[int]]  # segment -> home indexes (0-based)
    login_homes: dict[str, int]  # login key -> home index (0-based)


class Weighted:
    """Picks one item, chance in proportion to its weight (cumulative weights worked out once)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        index = bisect.bisect(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]  # float rounding at the very top


def _pick_k(
    rng: random.Random, pool: Sequence[int], weight: Callable[[int], float], k: int
) -> list[int]:
    """k distinct items, chance in proportion to weight (Efraimidis-Spirakis keys)."""
    keyed = []
    for index in pool:
        w = weight(index)
        keyed.append((rng.random() ** (1.0 / w) if w > 0 else -1.0, index))
    chosen = heapq.nlargest(k, keyed)
    return sorted(index for key, index in chosen if key >= 0)


def demo_plan(*, homes: int, seed: int) -> tuple[Plan, random.Random]:
    """Decide every home's tenure, place, age and heritage, then who is in the involvement pool."""
    rng = random.Random(seed)
    plan_homes = _homes_draw(homes, rng)
    segments, remaining = _pool_draw(plan_homes, rng)
    login_homes = _login_homes_choose(plan_homes, segments, remaining)
    _segments_mark(plan_homes, segments)
    return Plan(plan_homes, segments, login_homes), rng


# --- the homes ---------------------------------------------------------------------------------


def _tenure_places() -> dict[str, Weighted]:
    places: dict[str, Weighted] = {}
    for tenure, _ in TENURE_WEIGHTS:
        options: list[tuple[int, str]] = []
        weights: list[float] = []
        for a, spec in enumerate(AREAS):
            if tenure in (Tenure.GENERAL_NEEDS, Tenure.LEASEHOLD):
                names: tuple[str, ...] = spec.estates
            elif tenure == Tenure.SERVICE_USER:
                names = SERVICES
            else:
                names = spec.schemes.get(tenure, ())
            for name in names:
                options.append((a, name))
                weights.append(spec.weight / len(names))
        places[tenure] = Weighted(options, weights)
    return places


def _homes_draw(homes: int, rng: random.Random) -> list[Home]:
    places = _tenure_places()
    tenures = Weighted(*zip(*TENURE_WEIGHTS, strict=True))
    heritages = [
        Weighted([h for h, _ in HERITAGE_WEIGHTS], [w[i] for _, w in HERITAGE_WEIGHTS])
        for i in range(3)
    ]
    bands = {
        t: Weighted([(lo, hi) for lo, hi, _ in b], [w for _, _, w in b])
        for t, b in AGE_BANDS.items()
    }
    plan_homes: list[Home] = []
    for index in range(1, homes + 1):
        tenure = tenures.pick(rng)
        area, scheme = places[tenure].pick(rng)
        lo, hi = bands[tenure].pick(rng)
        age = rng.randint(lo, hi)
        generation = 0 if age < 40 else 1 if age < 70 else 2
        heritage = heritages[generation].pick(rng)
        # Lead tenants are more often women.
        plan_homes.append(Home(index, tenure, area, scheme, age, heritage, rng.random() < 0.58))
    return plan_homes


# --- the involvement pool ----------------------------------------------------------------------


def _core_weight(h: Home) -> float:
    if h.age < 55 or h.tenure not in (Tenure.GENERAL_NEEDS, Tenure.SHELTERED, Tenure.LEASEHOLD):
        return 0.0
    w = 3.0 if h.age >= 60 else 1.0
    w *= CORE_TENURE_WEIGHT.get(h.tenure, 1.0)
    return w * (1.0 if h.heritage == "british" else 0.25)


def _new_weight(h: Home) -> float:
    w = 1.5 if h.age < 35 else 1.2 if h.age < 55 else 0.7
    return w * NEW_TENURE_WEIGHT.get(h.tenure, 1.0)


def _established_weight(h: Home) -> float:
    w = 0.4 if h.age < 35 else 0.8 if h.age < 55 else 1.6 if h.age < 75 else 1.0
    w *= ESTABLISHED_TENURE_WEIGHT.get(h.tenure, 1.0)
    return w * (1.0 if h.heritage == "british" else 0.5)


def _weight_by_index(
    plan_homes: list[Home], weight: Callable[[Home], float]
) -> Callable[[int], float]:
    return lambda i: weight(plan_homes[i])


def _pool_draw(
    plan_homes: list[Home], rng: random.Random
) -> tuple[dict[str, list[int]], list[int]]:
    """The segments of the pool (home indexes, from 0) and the homes left outside it.

    A few hundred for 6,000 homes, about one home in twenty. Small demos (tests) get a bigger
    share, so the long-standing core is still there to see.
    """
    homes = len(plan_homes)
    pool_size = max(round(homes * 0.05), min(60, homes // 5))
    core_size = min(26, pool_size // 3)
    new_size = round(pool_size * 0.3)
    remaining = list(range(homes))
    segments: dict[str, list[int]] = {}
    for name, weight, size in (
        ("core", _core_weight, core_size),
        ("new", _new_weight, new_size),
        ("established", _established_weight, pool_size - core_size - new_size),
        ("paused", _established_weight, pool_size // 20),
        ("left", _established_weight, pool_size // 12),
    ):
        by_index = _weight_by_index(plan_homes, weight)
        chosen = _pick_k(rng, remaining, by_index, max(0, min(size, len(remaining))))
        segments[name] = chosen
        taken = set(chosen)
        remaining = [i for i in remaining if i not in taken]
    return segments, remaining


def _login_homes_choose(
    plan_homes: list[Home], segments: dict[str, list[int]], remaining: list[int]
) -> dict[str, int]:
    """The tenants who get a login. A young new voice and a support-service customer are moved
    into the "new" segment if the pool drew none (small demos)."""
    login_homes: dict[str, int] = {}
    if segments["core"]:
        login_homes["tenant"] = segments["core"][0]
    wanted_by_key: tuple[tuple[str, Callable[[Home], bool]], ...] = (
        ("new_tenant", lambda h: h.age < 30),
        ("customer", lambda h: h.tenure in (Tenure.SUPPORTED, Tenure.SERVICE_USER)),
    )
    for key, wanted in wanted_by_key:
        taken_logins = set(login_homes.values())
        found = [i for i in segments["new"] if wanted(plan_homes[i]) and i not in taken_logins]
        if not found:
            found = [i for i in remaining if wanted(plan_homes[i])]
            if found:
                segments["new"] = sorted([*segments["new"], found[0]])
                remaining.remove(found[0])
        if found:
            login_homes[key] = found[0]
    return login_homes


_STATUS = {
    "core": Involvement.ACTIVE,
    "new": Involvement.ACTIVE,
    "established": Involvement.ACTIVE,
    "paused": Involvement.PAUSED,
    "left": Involvement.LEFT,
}


def _segments_mark(plan_homes: list[Home], segments: dict[str, list[int]]) -> None:
    for name, indexes in segments.items():
        for i in indexes:
            plan_homes[i].involvement = _STATUS[name]
            plan_homes[i].segment = name
