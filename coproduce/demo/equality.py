"""Equality answers, given with consent: most of the involvement pool, about half of everyone.

They live in the diversity tables, never on Person (docs/architecture.md, "Equality data").
"""

from __future__ import annotations

import datetime as dt
import random

from coproduce.demo.plan import Home, Plan
from coproduce.demo.riverside import at, person_ref
from coproduce.diversity.models import CONSENT_WORDING, EqualityConsent, EqualityRecord
from coproduce.meetings.models import RecordedVia
from coproduce.people.models import Person

ETHNICITY_BY_HERITAGE: dict[str, list[tuple[str, float]]] = {
    "british": [
        ("white_british", 0.97),
        ("mixed_white_black_caribbean", 0.02),
        ("white_irish", 0.01),
    ],
    "eastern_european": [("white_other", 0.85), ("white_roma", 0.15)],
    "south_asian": [
        ("asian_pakistani", 0.4),
        ("asian_indian", 0.3),
        ("asian_bangladeshi", 0.25),
        ("asian_other", 0.05),
    ],
    "black_african": [("black_african", 0.95), ("black_other", 0.05)],
    "black_caribbean": [("black_caribbean", 0.9), ("mixed_white_black_caribbean", 0.1)],
    "other_white": [("white_other", 0.7), ("white_irish", 0.2), ("white_gypsy", 0.1)],
    "middle_eastern": [("other_arab", 0.7), ("other_any", 0.3)],
    "east_asian": [("asian_chinese", 0.8), ("asian_other", 0.2)],
    "mixed": [("mixed_white_black_african", 0.3), ("mixed_white_asian", 0.3), ("mixed_other", 0.4)],
}


def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    roll, upto = rng.random() * sum(w for _, w in options), 0.0
    for value, weight in options:
        upto += weight
        if roll <= upto:
            return value
    return options[-1][0]


def equality_answers_record(plan: Plan, people: dict[str, Person], rng: random.Random) -> int:
    """Consents and answers for the people who gave them; returns how many answered."""
    consents, records = [], []
    for home in plan.homes:
        person = people.get(person_ref(home.index))
        if person is None:
            continue
        odds = 0.85 if home.segment else 0.5
        if rng.random() > odds:
            continue
        consents.append(_consent(person, rng))
        records.append(_answers(person, home, rng))
    EqualityConsent.objects.bulk_create(consents, batch_size=5000)
    EqualityRecord.objects.bulk_create(records, batch_size=5000)
    return len(records)


def _consent(person: Person, rng: random.Random) -> EqualityConsent:
    outreach = rng.random() < 0.7
    return EqualityConsent(
        person_id=person.pk,
        statistics=True,
        outreach=outreach,
        wording=CONSENT_WORDING,
        given_at=at(dt.date(2025, 6, 1), 10) + dt.timedelta(days=rng.randint(0, 500)),
        recorded_via=rng.choice(
            [RecordedVia.IN_PERSON, RecordedVia.PHONE, RecordedVia.PAPER, "self"]
        ),
    )


def _answers(person: Person, home: Home, rng: random.Random) -> EqualityRecord:
    """One person's answers. The arguments below are evaluated, and roll the dice, in order."""
    ltc = "yes" if rng.random() < 0.15 + home.age / 250 else "no"
    impact = rng.choice(["a_lot", "a_little", "a_little", "not_at_all"]) if ltc == "yes" else ""
    prefer_not = rng.random() < 0.04
    return EqualityRecord(
        person_id=person.pk,
        ethnicity="prefer_not"
        if prefer_not
        else _pick(rng, ETHNICITY_BY_HERITAGE.get(home.heritage, [("other_any", 1.0)])),
        long_term_condition=ltc,
        condition_impact=impact,
        sex="female" if home.woman else "male",
        gender_same_as_birth="yes" if rng.random() < 0.99 else "no",
        sexual_orientation=_pick(rng, ORIENTATION),
        religion=_pick(rng, RELIGION if home.heritage != "south_asian" else RELIGION_SOUTH_ASIAN),
        first_language_english="yes"
        if home.heritage in ("british", "black_caribbean", "mixed")
        else _pick(rng, [("no", 0.6), ("yes", 0.4)]),
    )


ORIENTATION = [("straight", 0.89), ("gay_lesbian", 0.03), ("bisexual", 0.02), ("prefer_not", 0.06)]
RELIGION = [
    ("christian", 0.42),
    ("none", 0.38),
    ("muslim", 0.08),
    ("hindu", 0.02),
    ("sikh", 0.01),
    ("jewish", 0.01),
    ("buddhist", 0.01),
    ("other", 0.01),
    ("prefer_not", 0.06),
]
RELIGION_SOUTH_ASIAN = [("muslim", 0.6), ("hindu", 0.25), ("sikh", 0.1), ("prefer_not", 0.05)]
