"""Riverside Homes, the demo's fictional mid-size English housing association: where its homes
are, which tenancies it offers and how old the people holding them are.

Generated dates are measured back from REFERENCE_DATE, never from "today", so every run of the
demo gives the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from coproduce.people.models import Tenure

REFERENCE_DATE = dt.date(2026, 11, 1)
LONDON = ZoneInfo("Europe/London")

DEMO_EMAIL_DOMAIN = "demo.coproduce.test"
REF_PREFIX = "RH-"
PROMISES_TITLE = "Our customer promises"


def person_ref(index: int) -> str:
    """The external_ref of the lead tenant or customer of home number `index` (from 1)."""
    return f"{REF_PREFIX}{index:06d}"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """That day at that time, in London."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


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
