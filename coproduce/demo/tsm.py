"""Riverside's Tenant Satisfaction Measures for the last two reporting years, published.

Each year has a survey of its tenants in homes for rent (LCRA) and of its shared owners (LCHO),
in the regulator's question order with the screening questions (a repair, a complaint, communal
areas), the respondents' area, age band, ethnic group and disability so the survey can be
checked against the people Riverside serves, the figures from Riverside's own records, and the
methodology statement. The later year is weighted by age band, to the ages of the tenants on
record: older tenants answer surveys more often than younger ones. Both are imported, weighted
and published through the tsm services, as a coordinator would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError

from coproduce.accounts.models import User
from coproduce.demo.riverside import LONDON, REF_PREFIX, moved, story_today
from coproduce.diversity.categories import AGE_BANDS
from coproduce.people.models import Person, Tenure
from coproduce.tsm import management, services
from coproduce.tsm.models import TsmYear

LCRA_TENURES = (Tenure.GENERAL_NEEDS, Tenure.SHELTERED, Tenure.SUPPORTED, Tenure.TEMPORARY)
LCHO_TENURES = (Tenure.SHARED_OWNERSHIP,)
ETHNIC_GROUPS = (
    ("White British", 70),
    ("White", 8),
    ("Mixed or Multiple ethnic groups", 4),
    ("Asian or Asian British", 8),
    ("Black, Black British, Caribbean or African", 7),
    ("Other ethnic group", 3),
)
# How far above or below the general mood each measure sits (tenants rate safety above
# complaints handling everywhere).
OFFSET = {
    "TP01": 0.2,
    "TP02": 0.1,
    "TP03": -0.2,
    "TP04": 0.0,
    "TP05": 0.5,
    "TP06": -0.4,
    "TP07": 0.0,
    "TP08": 0.5,
    "TP09": -0.9,
    "TP10": -0.1,
    "TP11": 0.1,
    "TP12": -0.5,
}
ASKED_BOTH = ("TP01", "TP05", "TP06", "TP07", "TP08", "TP09", "TP10", "TP11", "TP12")
DONT_KNOW_ALLOWED = ("TP06", "TP07", "TP11", "TP12")
# (rate, denominator as a share of homes) for each management measure and part; a rate is a
# percentage or a count per 1,000 homes, as the measure is.
RATES: dict[tuple[str, int | None], tuple[float, float]] = {
    ("RP01", None): (2.4, 1.0),
    ("RP02", 1): (81.0, 2.4),
    ("RP02", 2): (96.5, 0.35),
    ("BS01", None): (99.6, 0.92),
    ("BS02", None): (100.0, 0.11),
    ("BS03", None): (98.7, 0.14),
    ("BS04", None): (99.1, 0.12),
    ("BS05", None): (97.0, 0.02),
    ("CH01", 1): (38.0, 1.0),
    ("CH01", 2): (6.5, 1.0),
    ("CH02", 1): (88.0, 0.038),
    ("CH02", 2): (79.0, 0.0065),
    ("NM01", 1): (24.0, 1.0),
    ("NM01", 2): (0.9, 1.0),
}


def last_year_end(today: dt.date) -> dt.date:
    """The 31 March that ended the last reporting year a landlord has published by `today`
    (results come out by the summer after the year)."""
    end = dt.date(today.year, 3, 31)
    return end if today >= dt.date(today.year, 7, 1) else dt.date(today.year - 1, 3, 31)


def label_for(end: dt.date) -> str:
    return f"{end.year - 1}/{end.year % 100:02d}"


def _age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return ""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return ""


def _homes() -> list[tuple[str, str, str]]:
    """(tenure group, area name, age band) of every demo home in the TSMs' stock."""
    rows = (
        Person.objects.filter(
            external_ref__startswith=REF_PREFIX, tenure__in=(*LCRA_TENURES, *LCHO_TENURES)
        )
        .order_by("external_ref")
        .values_list("tenure", "area__name", "date_of_birth")
    )
    today = story_today()
    return [
        ("LCHO" if tenure in LCHO_TENURES else "LCRA", area or "", _age_band(born, today))
        for tenure, area, born in rows
    ]


def _answer(rng: random.Random, mood: float, code: str) -> str:
    score = round(3.75 + mood + OFFSET[code] + rng.gauss(0, 0.8))
    return str(max(1, min(5, score)))


def survey_file(
    homes: list[tuple[str, str, str]], rng: random.Random, *, end: dt.date, lift: float
) -> bytes:
    """A survey of about a third of the homes, the older more likely to answer."""
    columns = ["respondent_id", "date", "tenure_type", "repair_12m", "complaint_12m"]
    columns += ["communal_areas", *OFFSET, "area", "age_band", "ethnic_group", "disability"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    groups, weights = zip(*ETHNIC_GROUPS, strict=True)
    first_day = moved(dt.date(end.year - 1, 10, 1))
    number = 0
    for group, area, band in homes:
        answers_more = 0.26 if band in ("18-34", "35-49") else 0.42
        if rng.random() > answers_more:
            continue
        number += 1
        mood = rng.gauss(lift, 0.9)
        row = {
            "respondent_id": f"S{end.year}-{number:05d}",
            "date": (first_day + dt.timedelta(days=rng.randint(0, 90))).isoformat(),
            "tenure_type": group,
            "area": area,
            "age_band": band,
            "ethnic_group": rng.choices(groups, weights)[0],
            "disability": "yes" if rng.random() < 0.3 else "no",
        }
        repair = group == "LCRA" and rng.random() < 0.6
        complaint = rng.random() < 0.14
        communal = rng.choices(["yes", "no", "dont know"], [45, 50, 5])[0]
        if group == "LCRA":
            row["repair_12m"] = "yes" if repair else "no"
        row["complaint_12m"] = "yes" if complaint else "no"
        row["communal_areas"] = communal
        for code in OFFSET:
            if group == "LCHO" and code not in ASKED_BOTH:
                continue
            if code in ("TP02", "TP03") and not repair:
                continue
            if code == "TP09" and not complaint:
                continue
            if code == "TP10" and communal != "yes":
                continue
            if code in DONT_KNOW_ALLOWED and rng.random() < 0.04:
                row[code] = "Don't know"
            elif rng.random() < 0.02:
                continue  # not answered
            else:
                row[code] = _answer(rng, mood, code)
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def weights_file(homes: list[tuple[str, str, str]]) -> bytes:
    """Age-band shares of the rented homes on record, to one decimal place, adding up to 100.
    Shared owners are too few for every age band to answer, so their answers are not weighted."""
    counts = Counter(band for group, _, band in homes if band and group == "LCRA")
    total = sum(counts.values())
    bands = sorted(counts)
    shares = [round(Decimal(counts[b]) * 100 / total, 1) for b in bands]
    shares[-1] += Decimal(100) - sum(shares)
    lines = ["variable,category,population_share,tenure_type"]
    lines += [f"age_band,{band},{share},LCRA" for band, share in zip(bands, shares, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def _figures(
    homes: int, rng: random.Random
) -> dict[tuple[str, int | None], tuple[Decimal, Decimal]]:
    figures = {}
    for spec in management.MANAGEMENT:
        rate, share = RATES.get((spec.code, spec.part), (90.0, 1.0))
        rate = rate + rng.uniform(-1.5, 1.5) * (0.1 if rate > 97 else 1)
        denominator = max(1, round(homes * share))
        if spec.kind == "percent":
            numerator = min(denominator, max(0, round(denominator * rate / 100)))
        else:
            denominator = homes
            numerator = max(0, round(homes * rate / 1000))
        figures[(spec.code, spec.part)] = (Decimal(numerator), Decimal(denominator))
    return figures


STATEMENT = {
    "survey_timing": "October to December {year}: one wave, with reminders after two weeks.",
    "collection_methods": (
        "Telephone interviews (62 %), a postal questionnaire with a reply envelope (23 %) and "
        "online (15 %). Large print and interpreted calls on request."
    ),
    "sample_method": (
        "A census: every lead tenant and shared owner was invited, apart from those left out below."
    ),
    "contractor": "Northway Research Ltd",
    "contractor_role": (
        "Ran the calls and the postal and online survey and sent us each respondent's answers. "
        "We worked out the measures ourselves in coproduce, and tenant evaluators checked them."
    ),
    "exclusions": (
        "42 households: 31 with an open safeguarding case, 8 in a legal dispute with us, and 3 "
        "who asked never to be surveyed. Leaseholders are not part of the measures."
    ),
    "incentives": "A prize draw for one of ten £25 shopping vouchers, open to all who answered.",
    "weighting_note": "",
    "other_notes": "",
}


def build_tsm_demo(*, seed: int) -> dict[str, int]:
    if TsmYear.objects.exists():
        return {}
    coordinator = User.objects.filter(role="coordinator").order_by("pk").first()
    homes = _homes()
    if coordinator is None or not homes:
        return {}
    rng = random.Random(seed * 37 + 17)
    latest = last_year_end(story_today())
    counts = Counter(group for group, _, _ in homes)
    made = {"tsm_years": 0, "tsm_responses": 0}
    for end, lift, weighted in (
        (dt.date(latest.year - 1, 3, 31), -0.08, False),
        (latest, 0.0, True),
    ):
        year = services.year_create(label=label_for(end), actor=coordinator)
        text = dict(STATEMENT)
        text["survey_timing"] = text["survey_timing"].format(year=end.year - 1)
        text["changes"] = (
            "None."
            if not weighted
            else "We now weight the answers by age band, because younger tenants answered "
            "less often than older ones last year."
        )
        if weighted:
            text["weighting_note"] = (
                "Tenants' answers are weighted by age band to the ages of the lead tenants on "
                "our records, so that each age group counts as much as it should. Shared "
                "owners' answers are not weighted: there are too few of them in some age bands."
            )
        data = {"lcra_homes": counts["LCRA"], "lcho_homes": counts["LCHO"], **text}
        year = services.year_update(year=year, data=data, version=year.version, actor=coordinator)
        upload = services.survey_import(
            year=year,
            data=survey_file(homes, rng, end=end, lift=lift),
            filename=f"tsm-survey-{year.slug}.csv",
            actor=coordinator,
        )
        if weighted:
            try:
                services.weights_import(
                    year=year,
                    data=weights_file(homes),
                    filename="age-weights.csv",
                    actor=coordinator,
                )
            except ValidationError:  # a tiny demo: some age band gave no answers
                year.refresh_from_db()
                unweighted = {
                    "weighting_note": "Not weighted: some age bands gave no answers, so the "
                    "survey could not be weighted to them.",
                    "changes": "None.",
                }
                year = services.year_update(
                    year=year, data=unweighted, version=year.version, actor=coordinator
                )
        services.figures_save(year=year, figures=_figures(len(homes), rng), actor=coordinator)
        services.year_publish(year=year, actor=coordinator)
        # Published in the summer after the year, as the regulator's timetable has it (the
        # service stamps the clock's time; the story has its own).
        TsmYear.objects.filter(pk=year.pk).update(
            published_at=dt.datetime.combine(dt.date(end.year, 6, 20), dt.time(10), tzinfo=LONDON)
        )
        made["tsm_years"] += 1
        made["tsm_responses"] += upload.responses
    return made
