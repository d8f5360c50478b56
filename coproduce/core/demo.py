"""The demo organisation: Riverside Homes, a fictional mid-size English housing association.

`coproduce demo` builds it. Every generated value comes from `random.Random(seed)` and a fixed
reference date, so the same seed always gives the same people. Running it again adds nothing
that is already there (people are matched by `external_ref`, logins by email, sign-ups by email).

All demo logins share one password, DEMO_PASSWORD. It is for the demo only: never load the
demo into a database that real people use.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import heapq
import itertools
import os
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role, is_tenant_role
from coproduce.core.audit import audit_record
from coproduce.people.models import (
    Area,
    Availability,
    Caring,
    Channel,
    DigitalAccess,
    Interest,
    InterestStatus,
    Involvement,
    Person,
    RewardPreference,
    Tenure,
)

# Generated dates are measured back from here, never from "today", so runs are identical.
REFERENCE_DATE = dt.date(2026, 11, 1)
LONDON = ZoneInfo("Europe/London")

DEMO_EMAIL_DOMAIN = "demo.coproduce.test"
DEMO_PASSWORD = "coproduce-demo"  # demo only: printed on screen and in the README
REF_PREFIX = "RH-"
DEFAULT_HOMES = 6000
DEFAULT_SEED = 2026
MAX_HOMES = 500_000  # twice the largest English landlord
BATCH_SIZE = 5000
PROGRESS_FROM = 5_000  # homes; smaller builds take a second or two and need no progress bar

PROG = "coproduce demo"


# --- the organisation --------------------------------------------------------------------------


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

# --- names: England's mix, by heritage (not stored; equality data is asked, never guessed) ------

_BRITISH_FIRST = {
    # (women, men) by generation: names of people born before 1960, 1960-1984, from 1985.
    "old": (
        "Margaret Patricia Jean Maureen Sheila Brenda Barbara Joan Valerie Sandra Christine "
        "Pauline Doreen Irene Eileen Janet Carol Sylvia Dorothy Elaine Linda Susan Kathleen",
        "John David Michael Peter Brian Roy Keith Alan Derek Terry Ronald Dennis Kenneth Colin "
        "Barry Malcolm Raymond Graham Trevor Geoffrey Anthony Robert Bernard",
    ),
    "mid": (
        "Sarah Karen Julie Lisa Nicola Michelle Tracey Joanne Claire Emma Donna Kelly Rachel "
        "Helen Amanda Dawn Angela Lorraine Gemma Louise Siobhan Zoë",
        "Paul Mark Stephen Andrew Darren Lee Craig Gary Neil Jason Simon Wayne Richard Martin "
        "Dean Shaun Matthew Christopher James Ian Sean",
    ),
    "young": (
        "Jessica Chloe Amy Lauren Hannah Sophie Megan Charlotte Jade Holly Georgia Ellie Abbie "
        "Danielle Kirsty Olivia Paige Bethany Leah Shannon Niamh",
        "Daniel Thomas Ryan Jack Liam Jordan Connor Callum Kieran Jake Luke Joshua Adam Sam "
        "Tyler Kyle Nathan Harry Aaron Reece Declan",
    ),
}
_BRITISH_SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Hughes Turner Hill Cooper "
    "Ward Morris Moore Clark Baker Harrison King Allen Martin Parker Mitchell Shaw Bennett Cook "
    "Bailey Holmes Marshall Atkinson Pearson Barnes Fletcher Hardy Sutcliffe Whitehead Booth "
    "Dixon Murphy Kelly O'Brien Byrne Doyle Walsh Gallagher McCarthy Quinn Fraser Campbell-Ross "
    "Llewellyn Pritchard"
)
_CARIBBEAN_FIRST = {
    "old": (
        "Hyacinth Beverley Marcia Lorna Paulette Sonia Gloria Myrtle Icilda",
        "Delroy Winston Errol Clive Leroy Desmond Everton Lloyd Cedric",
    ),
    "mid": (
        "Sharon Marcia Yvonne Donna Michelle Jacqueline Natalie Simone",
        "Trevor Marcus Jermaine Anthony Dwayne Carl Devon Andre",
    ),
    "young": (
        "Shanice Tanisha Aaliyah Kiana Renee Chantelle Jada Nia",
        "Tyrone Kemar Jamal Marcus Rashad Jaden Malachi Isaiah",
    ),
}
_CARIBBEAN_SURNAMES = (
    "Campbell Brown Williams Thomas Francis Grant Reid Edwards Bailey Henry Richards Clarke "
    "Morgan Gordon Samuels Lewis Forbes Powell"
)

# heritage -> (women's names, men's names, surnames); British and Caribbean vary by generation.
_NAMES: dict[str, tuple[str, str, str]] = {
    "eastern_european": (
        "Agnieszka Katarzyna Magdalena Joanna Anna Ewa Monika Irina Alina Ioana Daiva Małgorzata",
        "Piotr Tomasz Krzysztof Marek Paweł Andrzej Jakub Mihai Andrei Tomas Łukasz Darius",
        "Nowak Kowalczyk Wiśniewski Wójcik Kamiński Lewandowski Zieliński Popescu Ionescu "
        "Kazlauskas Petrauskas Horvath Novak Dąbrowski",
    ),
    "south_asian": (
        "Aisha Fatima Ayesha Nasreen Shazia Samina Priya Anjali Sunita Parveen Rukhsana Nadia "
        "Amrit Harpreet Zainab Maryam Sana Shabana",
        "Mohammed Imran Tariq Asif Rajesh Sanjay Amir Zahid Hassan Bilal Arjun Gurpreet Kamran "
        "Abdul Shahid Yusuf Ravi Sohail",
        "Khan Ahmed Hussain Ali Patel Akhtar Iqbal Shah Rahman Islam Uddin Mahmood Sharma Singh "
        "Chowdhury Miah Mistry Parmar Sandhu Begum",
    ),
    "black_african": (
        "Chiamaka Ngozi Amina Fatou Abena Folasade Blessing Grace Precious Adwoa Hodan Faduma "
        "Nneka Comfort Tendai",
        "Chinedu Emeka Kwame Kofi Oluwaseun Tunde Abdi Mohamed Samuel Emmanuel Ibrahim Yaw "
        "Tinashe Ahmed",
        "Okafor Adeyemi Mensah Osei Boateng Okonkwo Adebayo Asante Mohamud Abdi Hassan Nwosu "
        "Owusu Diallo Moyo Mutasa Ogunleye Warsame",
    ),
    "other_white": (
        "Maria Ana Sofia Giulia Eleni Fernanda Elif Carla Despina",
        "João Luca Marco Nikos Carlos Giorgos Mehmet Miguel Stavros",
        "Silva Santos Ferreira Rossi Russo Georgiou Papadopoulos Costa Pereira Esposito Yılmaz "
        "Demir Rodrigues",
    ),
    "middle_eastern": (
        "Layla Noor Yasmin Rania Huda Shirin Leila Dilan Nasrin",
        "Omar Ahmad Khalid Karim Samir Reza Hamid Rebwar Tariq",
        "Al-Sayed Haddad Mansour Karimi Rahimi Ahmadi Saleh Nasser Hussein Abdullah Mustafa",
    ),
    "east_asian": (
        "Mei Xin Hoa Lan Yan Ling Thuy Jing",
        "Wei Jun Hao Minh Tuan Chen Long Bao",
        "Chen Wang Li Zhang Liu Nguyen Tran Wong Lam Cheung Pham",
    ),
    "mixed": (
        "Zara Maya Amara Tia Layla Aaliyah Keira Imani",
        "Jayden Kai Malachi Kian Elijah Jaden Reuben Zion",
        _BRITISH_SURNAMES + " " + _CARIBBEAN_SURNAMES,
    ),
}

# Heritage weights for people under 40, 40-69 and 70+ (older tenants are more often white
# British; the Windrush generation shows among the oldest).
HERITAGE_WEIGHTS: tuple[tuple[str, tuple[float, float, float]], ...] = (
    ("british", (64, 74, 86)),
    ("eastern_european", (8, 5, 1)),
    ("south_asian", (9, 7, 4)),
    ("black_african", (7, 5, 1)),
    ("black_caribbean", (3, 3, 5)),
    ("other_white", (3, 2, 1)),
    ("middle_eastern", (3, 2, 1)),
    ("east_asian", (1, 1, 0.5)),
    ("mixed", (4, 1, 0.5)),
)

LANGUAGES: dict[str, tuple[str, ...]] = {
    "eastern_european": ("Polish interpreter", "Romanian interpreter", "Lithuanian interpreter"),
    "south_asian": (
        "Urdu interpreter",
        "Punjabi interpreter",
        "Bengali (Sylheti) interpreter",
        "Gujarati interpreter",
    ),
    "black_african": ("Somali interpreter", "Tigrinya interpreter", "French interpreter"),
    "middle_eastern": ("Arabic interpreter", "Kurdish (Sorani) interpreter", "Farsi interpreter"),
    "east_asian": ("Cantonese interpreter", "Vietnamese interpreter", "Mandarin interpreter"),
    "other_white": ("Portuguese interpreter", "Turkish interpreter"),
}
ACCESS_NEEDS = (
    "Wheelchair user: needs a step-free venue and an accessible toilet",
    "Uses a walking frame: ground-floor rooms, seats near the door",
    "Hearing aid user: needs a hearing loop",
    "Partially sighted: large print (18 point)",
    "Registered blind: documents read out by phone or as audio",
    "Needs regular breaks",
    "Anxiety: prefers small groups and the agenda in advance",
    "Learning disability: Easy Read documents, please",
    "Dyslexia: cream paper and a plain font",
    "Chronic pain: short sessions, a comfortable chair",
)
STREETS = (
    "Willow",
    "Oak",
    "Station",
    "Church",
    "Mill",
    "Victoria",
    "Albert",
    "Chapel",
    "Park",
    "Queens",
    "Canal",
    "Hawthorn",
    "Beech",
    "Ash",
    "Cedar",
    "Meadow",
    "Orchard",
    "Bridge",
    "Spring",
    "Brook",
    "Rowan",
    "Laburnum",
    "Sycamore",
    "Nelson",
    "Gladstone",
    "Poplar",
)
STREET_KINDS = ("Road", "Street", "Close", "Way", "Avenue", "Grove", "Lane", "Crescent", "Walk")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in the inward code
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: mail goes nowhere


# --- logins ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    full_name: str  # empty for tenants: they take their Person record's name
    description: str


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordinator",
        Role.COORDINATOR,
        _email("coordinator"),
        "Grace Okafor",
        "Involvement coordinator",
    ),
    DemoLogin("facilitator", Role.FACILITATOR, _email("facilitator"), "Tom Hughes", "Facilitator"),
    DemoLogin(
        "admin_support", Role.ADMIN_SUPPORT, _email("admin.support"), "Priya Shah", "Admin support"
    ),
    DemoLogin("finance", Role.FINANCE, _email("finance"), "Marek Nowak", "Finance"),
    DemoLogin(
        "data_protection",
        Role.DATA_PROTECTION,
        _email("data.protection"),
        "Helen Marsh",
        "Data-protection lead",
    ),
    DemoLogin("board", Role.BOARD, _email("board"), "Richard Evans", "Board member"),
    DemoLogin(
        "colleague",
        Role.COLLEAGUE,
        _email("colleague"),
        "Jo Campbell",
        "Colleague in another team (repairs)",
    ),
    DemoLogin("sysadmin", Role.SYSADMIN, _email("sysadmin"), "Sam Lee", "System admin"),
    DemoLogin(
        "tenant", Role.TENANT, _email("tenant"), "", "Tenant (long-standing, involved for years)"
    ),
    DemoLogin(
        "new_tenant", Role.TENANT, _email("new.tenant"), "", "Tenant (young, joined recently)"
    ),
    DemoLogin("customer", Role.TENANT, _email("customer"), "", "Customer of a support service"),
)


def logins_table() -> str:
    rows = [("who", "email", "password")]
    rows += [(login.description, login.email, DEMO_PASSWORD) for login in DEMO_LOGINS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"Demo logins (for the demo only; every account has the password {DEMO_PASSWORD!r}):"]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


# --- the plan: who lives where, and who is involved ---------------------------------------------


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


class _Weighted:
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


def _tenure_places() -> dict[str, _Weighted]:
    places: dict[str, _Weighted] = {}
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
        places[tenure] = _Weighted(options, weights)
    return places


def demo_plan(*, homes: int, seed: int) -> tuple[Plan, random.Random]:
    """Decide every home's tenure, place, age and heritage, then who is in the involvement pool."""
    rng = random.Random(seed)
    places = _tenure_places()
    tenures = _Weighted(*zip(*TENURE_WEIGHTS, strict=True))
    heritages = [
        _Weighted([h for h, _ in HERITAGE_WEIGHTS], [w[i] for _, w in HERITAGE_WEIGHTS])
        for i in range(3)
    ]
    bands = {
        t: _Weighted([(lo, hi) for lo, hi, _ in b], [w for _, _, w in b])
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

    # The involvement pool: a few hundred for 6,000 homes, about one home in twenty. Small
    # demos (tests) get a bigger share, so the long-standing core is still there to see.
    pool_size = max(round(homes * 0.05), min(60, homes // 5))
    core_size = min(26, pool_size // 3)
    new_size = round(pool_size * 0.3)

    def core_weight(i: int) -> float:
        h = plan_homes[i]
        if h.age < 55 or h.tenure not in (Tenure.GENERAL_NEEDS, Tenure.SHELTERED, Tenure.LEASEHOLD):
            return 0.0
        w = 3.0 if h.age >= 60 else 1.0
        w *= CORE_TENURE_WEIGHT.get(h.tenure, 1.0)
        return w * (1.0 if h.heritage == "british" else 0.25)

    def new_weight(i: int) -> float:
        h = plan_homes[i]
        w = 1.5 if h.age < 35 else 1.2 if h.age < 55 else 0.7
        return w * NEW_TENURE_WEIGHT.get(h.tenure, 1.0)

    def established_weight(i: int) -> float:
        h = plan_homes[i]
        w = 0.4 if h.age < 35 else 0.8 if h.age < 55 else 1.6 if h.age < 75 else 1.0
        w *= ESTABLISHED_TENURE_WEIGHT.get(h.tenure, 1.0)
        return w * (1.0 if h.heritage == "british" else 0.5)

    remaining = list(range(homes))
    segments: dict[str, list[int]] = {}
    for name, weight, size in (
        ("core", core_weight, core_size),
        ("new", new_weight, new_size),
        ("established", established_weight, pool_size - core_size - new_size),
        ("paused", established_weight, pool_size // 20),
        ("left", established_weight, pool_size // 12),
    ):
        chosen = _pick_k(rng, remaining, weight, max(0, min(size, len(remaining))))
        segments[name] = chosen
        taken = set(chosen)
        remaining = [i for i in remaining if i not in taken]

    # The tenants who get a login. A young new voice and a support-service customer are moved
    # into the "new" segment if the pool drew none (small demos).
    login_homes: dict[str, int] = {}
    if segments["core"]:
        login_homes["tenant"] = segments["core"][0]
    for key, wanted in (
        ("new_tenant", lambda h: h.age < 30),
        ("customer", lambda h: h.tenure in (Tenure.SUPPORTED, Tenure.SERVICE_USER)),
    ):
        taken_logins = set(login_homes.values())
        found = [i for i in segments["new"] if wanted(plan_homes[i]) and i not in taken_logins]
        if not found:
            found = [i for i in remaining if wanted(plan_homes[i])]
            if found:
                segments["new"] = sorted([*segments["new"], found[0]])
                remaining.remove(found[0])
        if found:
            login_homes[key] = found[0]

    status = {
        "core": Involvement.ACTIVE,
        "new": Involvement.ACTIVE,
        "established": Involvement.ACTIVE,
        "paused": Involvement.PAUSED,
        "left": Involvement.LEFT,
    }
    for name, indexes in segments.items():
        for i in indexes:
            plan_homes[i].involvement = status[name]
            plan_homes[i].segment = name
    return Plan(plan_homes, segments, login_homes), rng


# --- people ------------------------------------------------------------------------------------


def _days_before(reference: dt.date, lo_days: int, hi_days: int, rng: random.Random) -> dt.date:
    return reference - dt.timedelta(days=rng.randint(lo_days, hi_days))


def _involved_since(segment: str, rng: random.Random) -> dt.date | None:
    if segment == "core":  # the "same old people": involved since 2012-2016
        return dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
    if segment == "new":  # the last two years
        return _days_before(REFERENCE_DATE, 14, 730, rng)
    if segment in ("established", "paused", "left"):
        return dt.date(2017, 1, 1) + dt.timedelta(
            days=rng.randint(0, (REFERENCE_DATE - dt.date(2017, 1, 1)).days - 731)
        )
    return None


_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "'": "", " ": "", "-": ""})


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return plain.encode("ascii", "ignore").decode().lower()


class _NameBook:
    def __init__(self) -> None:
        self.first: dict[tuple[str, str, bool], list[str]] = {}
        self.surnames: dict[str, list[str]] = {}
        for generation in ("old", "mid", "young"):
            for heritage, table in (
                ("british", _BRITISH_FIRST),
                ("black_caribbean", _CARIBBEAN_FIRST),
            ):
                women, men = table[generation]
                self.first[(heritage, generation, True)] = women.split()
                self.first[(heritage, generation, False)] = men.split()
            for heritage, (women, men, _) in _NAMES.items():
                self.first[(heritage, generation, True)] = women.split()
                self.first[(heritage, generation, False)] = men.split()
        self.surnames["british"] = _BRITISH_SURNAMES.split()
        self.surnames["black_caribbean"] = _CARIBBEAN_SURNAMES.split()
        for heritage, (_, _, surnames) in _NAMES.items():
            self.surnames[heritage] = surnames.split()

    def name(self, home: Home, rng: random.Random) -> tuple[str, str]:
        birth_year = REFERENCE_DATE.year - home.age
        generation = "old" if birth_year < 1960 else "mid" if birth_year < 1985 else "young"
        first = rng.choice(self.first[(home.heritage, generation, home.woman)])
        return first, rng.choice(self.surnames[home.heritage])


def _choose_some(rng: random.Random, odds: Sequence[tuple[str, float]]) -> list[str]:
    chosen = [code for code, p in odds if rng.random() < p]
    if not chosen:
        chosen = [max(odds, key=lambda item: item[1])[0]]
    return chosen


def _digital(age: int, rng: random.Random) -> str:
    # More older people have no internet or need help (ONS internet users survey, roughly).
    none, support = (
        (0.03, 0.08)
        if age < 35
        else (0.06, 0.10)
        if age < 55
        else (0.12, 0.15)
        if age < 65
        else (0.22, 0.22)
        if age < 75
        else (0.40, 0.25)
    )
    roll = rng.random()
    if roll < none:
        return DigitalAccess.NONE
    if roll < none + support:
        return DigitalAccess.NEEDS_SUPPORT
    return DigitalAccess.ONLINE


EMAIL_ODDS: dict[str, float] = {
    DigitalAccess.ONLINE: 0.75,
    DigitalAccess.NEEDS_SUPPORT: 0.4,
    DigitalAccess.NONE: 0.03,
}
CHANNEL_ODDS: dict[str, tuple[tuple[str, float], ...]] = {
    DigitalAccess.NONE: (
        (Channel.IN_PERSON, 0.6),
        (Channel.PHONE, 0.6),
        (Channel.PAPER, 0.5),
        (Channel.TEXT, 0.2),
    ),
    DigitalAccess.NEEDS_SUPPORT: (
        (Channel.IN_PERSON, 0.6),
        (Channel.PHONE, 0.5),
        (Channel.PAPER, 0.3),
        (Channel.TEXT, 0.4),
        (Channel.ONLINE, 0.3),
    ),
    DigitalAccess.ONLINE: (
        (Channel.ONLINE, 0.7),
        (Channel.TEXT, 0.5),
        (Channel.IN_PERSON, 0.4),
        (Channel.PHONE, 0.25),
    ),
}
REWARDS = _Weighted(
    [
        RewardPreference.CASH,
        RewardPreference.VOUCHER,
        RewardPreference.GIFT,
        RewardPreference.TRAINING,
        RewardPreference.DONATION,
        RewardPreference.NONE,
    ],
    [30, 30, 8, 10, 7, 15],
)


def _person_fields(home: Home, rng: random.Random, names: _NameBook) -> dict[str, Any]:
    """Everything about one person. Consumes the generator in a fixed order."""
    first, last = names.name(home, rng)
    spec = AREAS[home.area]
    in_pool = home.segment != ""
    asked = in_pool or rng.random() < 0.35  # has the landlord ever asked how they'd take part?

    dob = REFERENCE_DATE - dt.timedelta(days=int(home.age * 365.25) + rng.randint(1, 364))
    digital = _digital(home.age, rng)
    known_digital = in_pool or rng.random() < 0.85
    has_email = rng.random() < EMAIL_ODDS[digital]
    landline = home.age >= 65 and rng.random() < 0.5
    phone = (
        f"01632 960{rng.randint(0, 999):03d}" if landline else f"07700 900{rng.randint(0, 999):03d}"
    )  # Ofcom's numbers for drama
    if rng.random() < 0.08:
        phone = ""

    if home.tenure in (Tenure.GENERAL_NEEDS, Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP):
        street = f"{rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
        address = f"{rng.randint(1, 160)} {street}, {spec.name}"
    elif home.tenure == Tenure.SERVICE_USER:
        address = (
            f"{rng.randint(1, 90)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, {spec.name}"
        )
    else:
        address = f"Flat {rng.randint(1, 48)}, {home.scheme}, {spec.name}"
    postcode = (
        f"{spec.district} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}"
        f"{rng.choice(POSTCODE_LETTERS)}"
    )

    channels: list[str] = []
    availability: list[str] = []
    if asked:
        channels = _choose_some(rng, CHANNEL_ODDS[digital])
        if not phone and Channel.TEXT in channels:
            channels.remove(Channel.TEXT)
        channels = channels or [Channel.IN_PERSON]
        working_age = home.age < 67
        availability = _choose_some(
            rng,
            (
                (Availability.WEEKDAY_DAYTIME, 0.3 if working_age else 0.85),
                (Availability.WEEKDAY_EVENING, 0.6 if working_age else 0.15),
                (Availability.WEEKEND, 0.4 if working_age else 0.25),
            ),
        )
    reward = ""
    if in_pool or rng.random() < 0.2:
        reward = REWARDS.pick(rng)
    caring = ""
    if asked or rng.random() < 0.3:
        carer_odds = 0.18 if 30 <= home.age < 65 else 0.08
        caring = Caring.YES if rng.random() < carer_odds else Caring.NO

    language = ""
    options = LANGUAGES.get(home.heritage)
    if options and rng.random() < (0.3 if home.age >= 55 else 0.12):
        language = rng.choice(options)
    elif rng.random() < 0.003:
        language = "British Sign Language interpreter"
    access_odds = 0.06 if home.age < 55 else 0.15 if home.age < 75 else 0.35
    if home.tenure in (Tenure.SUPPORTED, Tenure.SERVICE_USER):
        access_odds += 0.1
    access = rng.choice(ACCESS_NEEDS) if rng.random() < access_odds else ""

    consent = in_pool or rng.random() < 0.35
    consent_at = None
    if consent:
        day = _days_before(REFERENCE_DATE, 1, 5 * 365, rng)
        consent_at = dt.datetime.combine(
            day, dt.time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=LONDON
        )
    involved_since = _involved_since(home.segment, rng)
    if involved_since and consent_at and consent_at.date() > involved_since:
        consent_at = dt.datetime.combine(involved_since, dt.time(10, 0), tzinfo=LONDON)

    email = ""
    if has_email:
        email = f"{_slug(first)}.{_slug(last)}{home.index}@{rng.choice(EMAIL_DOMAINS)}"
    return {
        "external_ref": f"{REF_PREFIX}{home.index:06d}",
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": phone,
        "address": address,
        "postcode": postcode,
        "area": spec.name,
        "scheme": home.scheme,
        "tenure": home.tenure,
        "date_of_birth": dob,
        "preferred_channels": channels,
        "availability": availability,
        "accessibility_needs": access,
        "language_needs": language,
        "caring_responsibilities": caring,
        "digital_access": digital if known_digital else DigitalAccess.UNKNOWN,
        "reward_preference": reward,
        "contact_consent": consent,
        "contact_consent_at": consent_at,
        "involvement": home.involvement,
        "involved_since": involved_since,
    }


def demo_people(*, homes: int, seed: int) -> Iterator[dict[str, Any]]:
    """The demo's people as plain dicts (area by name), one per home, in external_ref order.

    Pure: no database. Later demo steps (equality data, attendances) can reuse it; each dict
    also carries `heritage` and `segment`, which are not stored on Person.
    """
    plan, rng = demo_plan(homes=homes, seed=seed)
    return _people_from_plan(plan, rng)


def _people_from_plan(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    names = _NameBook()
    for home in plan.homes:
        fields = _person_fields(home, rng, names)
        fields["heritage"] = home.heritage
        fields["segment"] = home.segment
        yield fields


# --- "Get involved" sign-ups waiting for the coordinator ----------------------------------------

SIGN_UPS = (
    (
        "Kayleigh Brennan",
        "kayleigh.brennan@example.com",
        "07700 900412",
        "RV3 2LP",
        [Channel.ONLINE, Channel.TEXT],
        [Availability.WEEKDAY_EVENING],
        RewardPreference.VOUCHER,
        "I've never been to a meeting but I'd like a say about repairs. Evenings after 7 only.",
    ),
    (
        "Abdirahman Yusuf",
        "",
        "07700 900587",
        "RV5 4DH",
        [Channel.PHONE, Channel.IN_PERSON],
        [Availability.WEEKEND],
        RewardPreference.CASH,
        "My English is OK on the phone. I want to help with the damp problem in our block.",
    ),
    (
        "Doris Pickering",
        "",
        "01632 960233",
        "RV1 7QA",
        [Channel.PAPER, Channel.PHONE],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.NONE,
        "I can't do computers. Happy to fill in forms by post.",
    ),
    (
        "Tomasz Zieliński",
        "tomasz.z@example.org",
        "",
        "RV8 3NS",
        [Channel.ONLINE],
        [Availability.WEEKDAY_EVENING, Availability.WEEKEND],
        RewardPreference.TRAINING,
        "Could I get a certificate? I'm looking for work.",
    ),
    (
        "Shanice Clarke",
        "shanice.clarke@example.net",
        "07700 900118",
        "RV2 6EW",
        [Channel.ONLINE, Channel.TEXT],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.VOUCHER,
        "I care for my mum so I can only do school hours, online is best.",
    ),
    (
        "Gareth Pryce",
        "gareth.pryce@example.com",
        "07700 900764",
        "RV9 1BT",
        [Channel.IN_PERSON],
        [Availability.WEEKDAY_DAYTIME],
        RewardPreference.DONATION,
        "Retired. Live out in Fernhill, no bus after 5pm. Give any money to the food bank.",
    ),
)


# --- building ----------------------------------------------------------------------------------


def demo_exists() -> bool:
    """True once a demo has been loaded (its coordinator login or its first person exists)."""
    return (
        User.objects.filter(email=DEMO_LOGINS[0].email).exists()
        or Person.objects.filter(external_ref__startswith=REF_PREFIX).exists()
    )


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def demo_build(
    *, homes: int, seed: int, stdout: TextIO, progress: bool | None = None
) -> dict[str, Any]:
    """Build (or complete) the demo organisation in one transaction; returns counts."""
    started = time.perf_counter()
    if progress is None:
        progress = homes >= PROGRESS_FROM
    from tqdm import tqdm

    with transaction.atomic():
        area_ids = {}
        areas_created = 0
        for spec in AREAS:
            area, area_is_new = Area.objects.get_or_create(name=spec.name)
            area_ids[spec.name] = area.pk
            areas_created += area_is_new

        plan, rng = demo_plan(homes=homes, seed=seed)
        existing = set(
            Person.objects.filter(external_ref__startswith=REF_PREFIX).values_list(
                "external_ref", flat=True
            )
        )
        created = 0
        with tqdm(
            total=homes,
            unit=" homes",
            desc="Building the demo",
            file=sys.stderr,
            disable=not progress,
            leave=False,
        ) as bar:
            for batch in _batches(_people_from_plan(plan, rng), BATCH_SIZE):
                new = []
                for fields in batch:
                    if fields["external_ref"] in existing:
                        continue
                    del fields["heritage"], fields["segment"]
                    fields["area_id"] = area_ids[fields.pop("area")]
                    new.append(Person(**fields))
                Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
                created += len(new)
                bar.update(len(batch))

        logins_created = _ensure_logins(plan)
        interests_created = _ensure_sign_ups()
        from coproduce.core.demo_story import build_story

        story = build_story(
            plan=plan, seed=seed, logins={login.key: login.email for login in DEMO_LOGINS}
        )
        from coproduce.core.demo_rewards import build_rewards_demo

        rewards = build_rewards_demo(seed=seed)
        from coproduce.core.demo_stories import build_stories_demo

        stories = build_stories_demo(seed=seed)

        people = Person.objects.filter(external_ref__startswith=REF_PREFIX)
        pool = people.filter(involvement=Involvement.ACTIVE)
        stats: dict[str, Any] = {
            "homes": homes,
            "seed": seed,
            "people": people.count(),
            "people_created": created,
            "areas": len(AREAS),
            "areas_created": areas_created,
            "pool": pool.count(),
            "pool_since_2016": pool.filter(involved_since__lt=dt.date(2017, 1, 1)).count(),
            "pool_last_two_years": pool.filter(
                involved_since__gte=REFERENCE_DATE - dt.timedelta(days=730)
            ).count(),
            "logins_created": logins_created,
            "sign_ups_created": interests_created,
            "story": story,
            "rewards": rewards,
            "stories": stories,
        }
        if created or logins_created or interests_created or areas_created:
            audit_record(
                action="demo.built",
                object_type="people.person",
                summary=f"Demo organisation loaded: {created} people, "
                f"{logins_created} logins (seed {seed})",
            )
    stats["seconds"] = round(time.perf_counter() - started, 2)
    _print_summary(stats, stdout)
    return stats


def _ensure_logins(plan: Plan) -> int:
    wanted = {login.email for login in DEMO_LOGINS}
    have = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it
    joined = dt.datetime.combine(REFERENCE_DATE, dt.time(9, 0), tzinfo=LONDON)
    made = 0
    for login in DEMO_LOGINS:
        if login.email in have:
            continue
        person = None
        full_name = login.full_name
        if is_tenant_role(login.role):
            index = plan.login_homes.get(login.key)
            if index is None:
                continue  # too few homes for this kind of tenant
            ref = f"{REF_PREFIX}{plan.homes[index].index:06d}"
            person = Person.objects.filter(external_ref=ref, user__isnull=True).first()
            if person is None:
                continue
            full_name = person.full_name
        user = User.objects.create(
            email=login.email,
            full_name=full_name,
            role=login.role,
            password=password,
            date_joined=joined,
        )
        if person is not None:
            person.user = user
            person.email = login.email
            person.save(update_fields=["user", "email", "updated_at"])
        made += 1
    return made


def _ensure_sign_ups() -> int:
    have = set(
        Interest.objects.filter(name__in=[s[0] for s in SIGN_UPS]).values_list("name", flat=True)
    )
    new = [
        Interest(
            name=name,
            email=email,
            phone=phone,
            postcode=postcode,
            preferred_channels=list(channels),
            availability=list(availability),
            reward_preference=reward,
            message=message,
            contact_consent=True,
            status=InterestStatus.NEW,
        )
        for name, email, phone, postcode, channels, availability, reward, message in SIGN_UPS
        if name not in have
    ]
    Interest.objects.bulk_create(new)
    return len(new)


def _print_summary(stats: dict[str, Any], stdout: TextIO) -> None:
    organisation = getattr(settings, "ORGANISATION_NAME", "Riverside Homes")
    stdout.write(
        f"{organisation} demo (seed {stats['seed']}): {stats['people']:,} homes, one lead tenant "
        f"or customer each, in {stats['areas']} areas; {stats['people_created']:,} people added "
        f"this run in {stats['seconds']} s.\n"
        f"Involvement pool: {stats['pool']:,} people, {stats['pool_since_2016']} of them "
        f"involved since 2016 or before, {stats['pool_last_two_years']} joined in the last two "
        f"years. 'Get involved' sign-ups added: {stats['sign_ups_created']}. "
        f"Logins added: {stats['logins_created']}.\n\n"
    )
    stdout.write(logins_table())


# --- the command -------------------------------------------------------------------------------


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def _homes(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_HOMES:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_HOMES:,}, not {value}"
        )
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Build the demo organisation, a fictional housing association with "
        "tenants, an involvement pool and one login in every role. Demo only: "
        f"every login has the password {DEMO_PASSWORD!r}.",
    )
    parser.add_argument(
        "--homes",
        type=_homes,
        default=DEFAULT_HOMES,
        help=f"number of homes, one lead tenant or customer each (default {DEFAULT_HOMES:,})",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        help=f"random seed; the same seed gives the same demo (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing if a demo is already loaded or the database already holds people",
    )
    parser.add_argument(
        "--print-logins", action="store_true", help="only print the demo logins and exit"
    )
    return parser


def cli_main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _BadInput as error:
        sys.stderr.write(f"{PROG}: {error}\n")
        return 2
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    try:
        if args.print_logins:
            sys.stdout.write(logins_table())
        elif args.if_empty and (demo_exists() or Person.objects.exists()):
            sys.stdout.write(
                "The demo organisation is already loaded (or the database already "
                "holds people): nothing to do.\n"
            )
            sys.stdout.write(logins_table())
        else:
            demo_build(homes=args.homes, seed=args.seed, stdout=sys.stdout)
        sys.stdout.flush()
    except DatabaseError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        sys.stderr.write(
            f"{PROG}: could not build the demo ({reason}); nothing was saved. "
            "Is the database migrated (`coproduce manage migrate`)?\n"
        )
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: stopped.\n")
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: the build itself has finished. Point stdout at
        # /dev/null so Python's exit-time flush does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0
