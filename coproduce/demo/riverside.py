"""Riverside Homes, the demo's fictional mid-size English housing association: where its homes
are, which tenancies it offers and how old the people holding them are.

The story is written around REFERENCE_DATE. A build moves every date of it by the same whole
number of weeks, so that the story's "today" is the Sunday on or before the day it is built for
(`coproduce demo --today`): sessions keep their weekdays, and what was coming up is still coming
up. Labels that name a year ("Health check 2026-27", "Residents' panel, October 2026") are worked
out from the moved dates. Names and ages do not move: the same seed always gives the same
people and the same story, and `--today 2026-11-01` gives exactly the data laid out here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from coproduce.people.models import Tenure

REFERENCE_DATE = dt.date(2026, 11, 1)  # a Sunday: the story's "today" before it is moved
LONDON = ZoneInfo("Europe/London")

DEMO_EMAIL_DOMAIN = "demo.coproduce.test"
REF_PREFIX = "RH-"
PROMISES_TITLE = "Our customer promises"


def person_ref(index: int) -> str:
    """The external_ref of the lead tenant or customer of home number `index` (from 1)."""
    return f"{REF_PREFIX}{index:06d}"


_WEEKS_MOVED: ContextVar[int] = ContextVar("demo_weeks_moved", default=0)


def weeks_to(today: dt.date) -> int:
    """Whole weeks from REFERENCE_DATE to the Sunday on or before `today` (negative before it)."""
    return (today - REFERENCE_DATE).days // 7


@contextmanager
def story_around(today: dt.date) -> Iterator[None]:
    """Inside this block, `moved` and `at` put the story's dates around `today`."""
    token = _WEEKS_MOVED.set(weeks_to(today))
    try:
        yield
    finally:
        _WEEKS_MOVED.reset(token)


def moved(day: dt.date) -> dt.date:
    """A date of the story (as written around REFERENCE_DATE) in the build's calendar."""
    return day + dt.timedelta(weeks=_WEEKS_MOVED.get())


def story_today() -> dt.date:
    return moved(REFERENCE_DATE)


def season(day: dt.date) -> str:
    """The "2026-27" label of a yearly cycle that starts in the year of `day`."""
    return f"{day.year}-{(day.year + 1) % 100:02d}"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """That day of the story, moved into the build's calendar, at that time in London."""
    return dt.datetime.combine(moved(day), dt.time(hour, minute), tzinfo=LONDON)


@dataclass(frozen=True)
class AreaSpec:
    name: str
    district: str  # postcode outward code: "RV" is not a real postcode area
    weight: int  # share of the homes
    estates: tuple[str, ...]  # general needs and leasehold homes
    schemes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tenure -> schemes


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec(
        "Northfield",
        "RV1",
        14,
        ("Northfield Estate", "Cranmer Road", "Hollybush Close"),
        {Tenure.SHELTERED: ("Elm Court",), Tenure.TEMPORARY: ("Northfield Hostel",)},
    ),
    AreaSpec(
        "Millbrook",
        "RV2",
        12,
        ("Millbrook Park", "Tanners Row", "Weavers Yard"),
        {Tenure.SHELTERED: ("Millbrook House",), Tenure.SUPPORTED: ("The Haven",)},
    ),
    AreaSpec(
        "Eastgate",
        "RV3",
        13,
        ("Eastgate Towers", "Station Quarter", "Foundry Lane"),
        {Tenure.SUPPORTED: ("Beacon House",), Tenure.SHELTERED: ("Victoria Court",)},
    ),
    AreaSpec(
        "Ashby Vale",
        "RV4",
        9,
        ("Ashby Vale Estate", "Primrose Hill Flats"),
        {Tenure.SHELTERED: ("Ashby Lodge",), Tenure.SHARED_OWNERSHIP: ("Vale Meadows",)},
    ),
    AreaSpec(
        "Wharfside",
        "RV5",
        11,
        ("Canal Basin", "Wharfside Flats", "Lock Keepers Walk"),
        {
            Tenure.TEMPORARY: ("Quayside Lodge",),
            Tenure.SUPPORTED: ("Riverview House",),
            Tenure.SHELTERED: ("Swan Court",),
        },
    ),
    AreaSpec(
        "Kingsmead",
        "RV6",
        10,
        ("Kingsmead Estate", "Orchard Rise"),
        {Tenure.SHELTERED: ("Kingsmead Gardens",)},
    ),
    AreaSpec(
        "Hatherley",
        "RV7",
        8,
        ("Hatherley Green", "Coronation Avenue"),
        {
            Tenure.SHARED_OWNERSHIP: ("Hatherley Fields", "The Maltings"),
            Tenure.SHELTERED: ("Hatherley Court",),
        },
    ),
    AreaSpec(
        "Stonebridge",
        "RV8",
        10,
        ("Stonebridge Estate", "Pit Lane", "Colliery Row"),
        {Tenure.SHELTERED: ("Miners Court",), Tenure.SUPPORTED: ("Stepping Stones",)},
    ),
    AreaSpec(
        "Fernhill",
        "RV9",
        6,
        ("Fernhill Village", "Lower Brockton", "Church Stretton Way"),
        {Tenure.SHELTERED: ("Fernhill Almshouses",)},
    ),
    AreaSpec(
        "Brackenwood",
        "RV10",
        7,
        ("Brackenwood Estate", "Larch Drive"),
        {Tenure.SHARED_OWNERSHIP: ("Brackenwood Park",), Tenure.SHELTERED: ("Heather Court",)},
    ),
)

# Support services reach people wherever they live; the "scheme" is the service.
SERVICES = (
    "Pathways homelessness service",
    "Mental health floating support",
    "Tenancy sustainment service",
    "Young people's support service",
)

TENURE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Tenure.GENERAL_NEEDS, 710),
    (Tenure.SHELTERED, 90),
    (Tenure.SUPPORTED, 40),
    (Tenure.SERVICE_USER, 40),
    (Tenure.SHARED_OWNERSHIP, 50),
    (Tenure.LEASEHOLD, 40),
    (Tenure.TEMPORARY, 30),
)

# (lowest age, highest age, weight) for the lead tenant or customer.
AGE_BANDS: dict[str, tuple[tuple[int, int, int], ...]] = {
    Tenure.GENERAL_NEEDS: (
        (18, 24, 4),
        (25, 34, 14),
        (35, 44, 18),
        (45, 54, 19),
        (55, 64, 18),
        (65, 74, 14),
        (75, 84, 9),
        (85, 95, 4),
    ),
    Tenure.SHELTERED: ((55, 64, 8), (65, 74, 30), (75, 84, 40), (85, 95, 22)),
    Tenure.SUPPORTED: ((18, 24, 25), (25, 34, 30), (35, 44, 20), (45, 54, 15), (55, 64, 10)),
    Tenure.SERVICE_USER: (
        (18, 24, 20),
        (25, 34, 28),
        (35, 44, 22),
        (45, 54, 18),
        (55, 64, 9),
        (65, 74, 3),
    ),
    Tenure.SHARED_OWNERSHIP: ((25, 34, 40), (35, 44, 35), (45, 54, 15), (55, 64, 7), (65, 74, 3)),
    Tenure.LEASEHOLD: (
        (25, 34, 8),
        (35, 44, 17),
        (45, 54, 22),
        (55, 64, 23),
        (65, 74, 18),
        (75, 84, 10),
        (85, 95, 2),
    ),
    Tenure.TEMPORARY: ((18, 24, 25), (25, 34, 35), (35, 44, 25), (45, 54, 10), (55, 64, 5)),
}
