"""The people: one lead tenant or customer per home, with how they like to take part.

`demo_people` is pure (no database); `people_ensure` stores the ones not there yet.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from coproduce.demo.names import NameBook, slug
from coproduce.demo.plan import Home, Plan, Weighted, demo_plan
from coproduce.demo.riverside import (
    AREAS,
    LONDON,
    REF_PREFIX,
    REFERENCE_DATE,
    AreaSpec,
    moved,
    person_ref,
)
from coproduce.people.models import (
    Area,
    Availability,
    Caring,
    Channel,
    DigitalAccess,
    Person,
    RewardPreference,
    Tenure,
)

BATCH_SIZE = 5000

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
REWARDS = Weighted(
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


def demo_people(*, homes: int, seed: int) -> Iterator[dict[str, Any]]:
    """The demo's people as plain dicts (area by name), one per home, in external_ref order.

    Pure: no database. Later demo steps (equality data, attendances) can reuse it; each dict
    also carries `heritage` and `segment`, which are not stored on Person.
    """
    plan, rng = demo_plan(homes=homes, seed=seed)
    return people_from_plan(plan, rng)


def people_from_plan(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    names = NameBook()
    for home in plan.homes:
        fields = _person_fields(home, rng, names)
        fields["heritage"] = home.heritage
        fields["segment"] = home.segment
        yield fields


def areas_ensure() -> tuple[dict[str, int], int]:
    """The areas by name (their pks), and how many were added."""
    area_ids = {}
    areas_created = 0
    for spec in AREAS:
        area, area_is_new = Area.objects.get_or_create(name=spec.name)
        area_ids[spec.name] = area.pk
        areas_created += area_is_new
    return area_ids, areas_created


def people_ensure(
    plan: Plan, rng: random.Random, area_ids: dict[str, int], *, progress: bool
) -> int:
    """Store the planned people not stored yet (matched by external_ref); returns how many."""
    from tqdm import tqdm

    existing = set(
        Person.objects.filter(external_ref__startswith=REF_PREFIX).values_list(
            "external_ref", flat=True
        )
    )
    created = 0
    with tqdm(
        total=len(plan.homes),
        unit=" homes",
        desc="Building the demo",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    ) as bar:
        for batch in _batches(people_from_plan(plan, rng), BATCH_SIZE):
            new = [
                _person(fields, area_ids)
                for fields in batch
                if fields["external_ref"] not in existing
            ]
            Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
            created += len(new)
            bar.update(len(batch))
    return created


def _person(fields: dict[str, Any], area_ids: dict[str, int]) -> Person:
    del fields["heritage"], fields["segment"]
    fields["area_id"] = area_ids[fields.pop("area")]
    return Person(**fields)


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- one person ---------------------------------------------------------------------------------


def _person_fields(home: Home, rng: random.Random, names: NameBook) -> dict[str, Any]:
    """Everything about one person. Consumes the generator in a fixed order."""
    first, last = names.name(home, rng)
    spec = AREAS[home.area]
    in_pool = home.segment != ""
    asked = in_pool or rng.random() < 0.35  # has the landlord ever asked how they'd take part?
    dob = moved(REFERENCE_DATE - dt.timedelta(days=int(home.age * 365.25) + rng.randint(1, 364)))
    digital = _digital(home.age, rng)
    known_digital = in_pool or rng.random() < 0.85
    has_email = rng.random() < EMAIL_ODDS[digital]
    phone = _phone(home, rng)
    address, postcode = _address(home, spec, rng)
    channels, availability = _ways_to_take_part(home, digital, phone, rng) if asked else ([], [])
    reward = REWARDS.pick(rng) if in_pool or rng.random() < 0.2 else ""
    caring = _caring(home, asked, rng)
    language = _language(home, rng)
    access = _access_needs(home, rng)
    consent, consent_at = _consent(in_pool, rng)
    involved_since = _involved_since(home.segment, rng)
    if involved_since and consent_at and consent_at.date() > involved_since:
        consent_at = dt.datetime.combine(involved_since, dt.time(10, 0), tzinfo=LONDON)
    email = ""
    if has_email:
        email = f"{slug(first)}.{slug(last)}{home.index}@{rng.choice(EMAIL_DOMAINS)}"
    return {
        "external_ref": person_ref(home.index),
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


def _phone(home: Home, rng: random.Random) -> str:
    landline = home.age >= 65 and rng.random() < 0.5
    phone = (
        f"01632 960{rng.randint(0, 999):03d}" if landline else f"07700 900{rng.randint(0, 999):03d}"
    )  # Ofcom's numbers for drama
    if rng.random() < 0.08:
        phone = ""
    return phone


def _address(home: Home, spec: AreaSpec, rng: random.Random) -> tuple[str, str]:
    """The address and the postcode."""
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
    return address, postcode


def _choose_some(rng: random.Random, odds: Sequence[tuple[str, float]]) -> list[str]:
    chosen = [code for code, p in odds if rng.random() < p]
    if not chosen:
        chosen = [max(odds, key=lambda item: item[1])[0]]
    return chosen


def _ways_to_take_part(
    home: Home, digital: str, phone: str, rng: random.Random
) -> tuple[list[str], list[str]]:
    """The channels they prefer and when they are free."""
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
    return channels, availability


def _caring(home: Home, asked: bool, rng: random.Random) -> str:
    if asked or rng.random() < 0.3:
        carer_odds = 0.18 if 30 <= home.age < 65 else 0.08
        return Caring.YES if rng.random() < carer_odds else Caring.NO
    return ""


def _language(home: Home, rng: random.Random) -> str:
    options = LANGUAGES.get(home.heritage)
    if options and rng.random() < (0.3 if home.age >= 55 else 0.12):
        return rng.choice(options)
    if rng.random() < 0.003:
        return "British Sign Language interpreter"
    return ""


def _access_needs(home: Home, rng: random.Random) -> str:
    access_odds = 0.06 if home.age < 55 else 0.15 if home.age < 75 else 0.35
    if home.tenure in (Tenure.SUPPORTED, Tenure.SERVICE_USER):
        access_odds += 0.1
    return rng.choice(ACCESS_NEEDS) if rng.random() < access_odds else ""


def _consent(in_pool: bool, rng: random.Random) -> tuple[bool, dt.datetime | None]:
    """Whether they agreed to be contacted about involvement, and when."""
    consent = in_pool or rng.random() < 0.35
    if not consent:
        return consent, None
    day = moved(_days_before(REFERENCE_DATE, 1, 5 * 365, rng))
    return consent, dt.datetime.combine(
        day, dt.time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=LONDON
    )


def _days_before(reference: dt.date, lo_days: int, hi_days: int, rng: random.Random) -> dt.date:
    return reference - dt.timedelta(days=rng.randint(lo_days, hi_days))


def _involved_since(segment: str, rng: random.Random) -> dt.date | None:
    day = _story_involved_since(segment, rng)
    return moved(day) if day else None


def _story_involved_since(segment: str, rng: random.Random) -> dt.date | None:
    if segment == "core":  # the "same old people": involved since 2012-2016
        return dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
    if segment == "new":  # the last two years
        return _days_before(REFERENCE_DATE, 14, 730, rng)
    if segment in ("established", "paused", "left"):
        return dt.date(2017, 1, 1) + dt.timedelta(
            days=rng.randint(0, (REFERENCE_DATE - dt.date(2017, 1, 1)).days - 731)
        )
    return None
