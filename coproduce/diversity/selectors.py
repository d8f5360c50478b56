"""Who takes part compared with who we serve. Every figure leaves here already suppressed,
unless the viewer is the data-protection lead (`raw=True`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from coproduce.core.suppression import share, suppress
from coproduce.diversity.categories import (
    AGE_BANDS,
    ETHNIC_HEADINGS,
    PREFER_NOT,
    ConditionImpact,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)
from coproduce.diversity.models import (
    EqualityConsent,
    PopulationCount,
    QuickQuestion,
    QuickQuestionRecipient,
    RecordedVia,
)
from coproduce.people.models import Area, DigitalAccess, Person, Tenure
from coproduce.people.selectors import usable

if TYPE_CHECKING:
    from coproduce.messaging.models import Message

UNKNOWN = "unknown"
NOT_COUNTED = {UNKNOWN, PREFER_NOT, ""}

# Columns read for each person, once, for population and participants alike.
PERSON_COLUMNS = [
    "area_id",
    "tenure",
    "caring_responsibilities",
    "digital_access",
    "equality_consent__statistics",
    "equality__ethnicity",
    "equality__long_term_condition",
    "equality__condition_impact",
    "equality__sex",
    "equality__sexual_orientation",
    "equality__religion",
    "equality__gender_same_as_birth",
    "equality__first_language_english",
]


def ethnic_group(code: str | None) -> str:
    """The group an ethnicity code is counted in: its census heading, with White British on its
    own; "unknown" for no answer. Shared with the health-check report's method figures."""
    if not code or code == UNKNOWN:
        return UNKNOWN
    if code == PREFER_NOT:
        return PREFER_NOT
    if code == "white_british":
        return "white_british"
    return code.split("_", 1)[0]


def _disabled(ltc: str | None, impact: str | None) -> str:
    if ltc == YesNo.YES and impact in (ConditionImpact.A_LOT, ConditionImpact.A_LITTLE):
        return "yes"
    if ltc == YesNo.NO or impact == ConditionImpact.NOT_AT_ALL:
        return "no"
    if ltc == PREFER_NOT or impact == PREFER_NOT:
        return PREFER_NOT
    return UNKNOWN


@dataclass(frozen=True)
class Characteristic:
    key: str
    name: str
    categories: Callable[[], list[tuple[str, str]]]
    value: Callable[[dict[str, Any], dt.date], str]
    equality: bool = False  # special-category data: counted only with statistics consent


def _choices(choices: Iterable[tuple[str, str]]) -> Callable[[], list[tuple[str, str]]]:
    listed = [(str(code), str(label)) for code, label in choices if code not in ("", PREFER_NOT)]
    return lambda: listed


def _eq(row: dict[str, Any], column: str) -> str:
    if not row["equality_consent__statistics"]:
        return UNKNOWN
    return row[column] or UNKNOWN


CHARACTERISTICS: list[Characteristic] = [
    Characteristic(
        "age",
        "Age",
        lambda: [(b[0], f"Aged {b[0]}") for b in AGE_BANDS],
        lambda r, today: r["age_band"],
    ),
    Characteristic(
        "ethnicity",
        "Ethnic group",
        lambda: (
            [("white_british", "White British"), ("white", "Other White backgrounds")]
            + [(k, v) for k, v in ETHNIC_HEADINGS.items() if k != "white"]
        ),
        lambda r, today: ethnic_group(_eq(r, "equality__ethnicity")),
        equality=True,
    ),
    Characteristic(
        "disability",
        "Disabled (long-term condition that limits day-to-day life)",
        lambda: [("yes", "Disabled"), ("no", "Not disabled")],
        lambda r, today: (
            _disabled(r["equality__long_term_condition"], r["equality__condition_impact"])
            if r["equality_consent__statistics"]
            else UNKNOWN
        ),
        equality=True,
    ),
    Characteristic(
        "carer",
        "Carers",
        lambda: [("yes", "Carer"), ("no", "Not a carer")],
        lambda r, today: r["caring_responsibilities"] or UNKNOWN,
    ),
    Characteristic(
        "digital",
        "Getting online",
        _choices(DigitalAccess.choices),
        lambda r, today: r["digital_access"] or UNKNOWN,
    ),
    Characteristic(
        "sex", "Sex", _choices(Sex.choices), lambda r, today: _eq(r, "equality__sex"), equality=True
    ),
    Characteristic(
        "area",
        "Area",
        lambda: [(str(a.pk), a.name) for a in Area.objects.order_by("name")],
        lambda r, today: str(r["area_id"]) if r["area_id"] else UNKNOWN,
    ),
    Characteristic(
        "tenure",
        "Tenure or service",
        _choices(Tenure.choices),
        lambda r, today: r["tenure"] or UNKNOWN,
    ),
    Characteristic(
        "religion",
        "Religion",
        _choices(Religion.choices),
        lambda r, today: _eq(r, "equality__religion"),
        equality=True,
    ),
    Characteristic(
        "sexual_orientation",
        "Sexual orientation",
        _choices(SexualOrientation.choices),
        lambda r, today: _eq(r, "equality__sexual_orientation"),
        equality=True,
    ),
    Characteristic(
        "trans",
        "Gender different from sex registered at birth",
        lambda: [("no", "Yes (trans)"), ("yes", "No")],
        lambda r, today: _eq(r, "equality__gender_same_as_birth"),
        equality=True,
    ),
    Characteristic(
        "language",
        "English as a first language",
        lambda: [("yes", "English first language"), ("no", "Another first language")],
        lambda r, today: _eq(r, "equality__first_language_english"),
        equality=True,
    ),
]
BY_KEY = {c.key: c for c in CHARACTERISTICS}


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def age_band_expression(today: dt.date) -> Case:
    """The age band worked out in the database, exactly as `age_band(age)` would."""
    whens = [
        When(date_of_birth__isnull=True, then=Value(UNKNOWN)),
        When(date_of_birth__gt=_years_before(today, 18), then=Value("under 18")),
    ]
    for label, _low, high in AGE_BANDS:
        if high < 200:
            # Aged <= high means born after the day one turns high + 1.
            whens.append(When(date_of_birth__gt=_years_before(today, high + 1), then=Value(label)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


@dataclass
class Row:
    code: str
    label: str
    population: int | None
    participants: int | None
    population_share: float | None
    participant_share: float | None
    rate: float | None  # participants per person in the group

    @property
    def gap(self) -> float | None:
        if self.population_share is None or self.participant_share is None:
            return None
        return self.participant_share - self.population_share


@dataclass
class Table:
    key: str
    name: str
    rows: list[Row]
    population_total: int | None
    participant_total: int | None
    similarity: float | None
    rate_ratio: float | None
    summary: list[str] = field(default_factory=list)
    source: str = "people"


@dataclass
class Dashboard:
    tables: list[Table]
    participants: int | None
    population: int | None
    scope: str
    raw: bool


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def build_table(
    char: Characteristic,
    population: Counter[str],
    participants: Counter[str],
    *,
    raw: bool,
    source: str = "people",
    who: str = "participants",
) -> Table:
    categories = char.categories()
    known = [code for code, _ in categories]
    pop_counts = {code: population.get(code, 0) for code in known}
    part_counts = {code: participants.get(code, 0) for code in known}
    if raw:
        pop_cells: dict[str, int | None] = dict(pop_counts)
        part_cells: dict[str, int | None] = dict(part_counts)
        pop_total: int | None = sum(pop_counts.values())
        part_total: int | None = sum(part_counts.values())
    else:
        pop_s, part_s = suppress(pop_counts), suppress(part_counts)
        pop_cells, part_cells = pop_s.cells, part_s.cells
        pop_total, part_total = pop_s.total, part_s.total
    rows = []
    for code, label in categories:
        pop, part = pop_cells[code], part_cells[code]
        rate = share(part, pop) if pop else None
        rows.append(
            Row(code, label, pop, part, share(pop, pop_total), share(part, part_total), rate)
        )
    # Summary figures come from the true counts but are shown only when the table itself is
    # safe to show (both totals shown); they are single numbers over all groups.
    similarity = rate_ratio = None
    summary: list[str] = []
    true_pop, true_part = sum(pop_counts.values()), sum(part_counts.values())
    if pop_total and part_total and true_pop and true_part:
        similarity = sum(min(pop_counts[c] / true_pop, part_counts[c] / true_part) for c in known)
        rates = [r.rate for r in rows if r.rate is not None and r.population]
        if len(rates) >= 2 and max(rates) > 0:
            rate_ratio = min(rates) / max(rates)
        for row in rows:
            if row.participants is None and row.population_share and row.population_share >= 0.05:
                summary.append(
                    f"{row.label} are {_pct(row.population_share)} of the people we serve; how "
                    f"many {'took part' if who == 'participants' else f'of the {who} are'} is "
                    "hidden so that nobody can be identified."
                )
        for row in sorted(rows, key=lambda r: r.gap or 0):
            if row.gap is not None and abs(row.gap) >= 0.05:
                word = "but" if row.gap < 0 else "and"
                summary.append(
                    f"{row.label} are {_pct(row.population_share)} of the people we serve "
                    f"{word} {_pct(row.participant_share)} of {who} "
                    f"({'under' if row.gap < 0 else 'over'}-represented)."
                )
    return Table(
        char.key, char.name, rows, pop_total, part_total, similarity, rate_ratio, summary, source
    )


def _scope_filter(
    *, project: Any = None, start: dt.date | None = None, end: dt.date | None = None
) -> Q:
    q = Q()
    tz = timezone.get_current_timezone()
    if project is not None:
        q &= Q(meeting__project=project)
    if start:
        q &= Q(meeting__starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        q &= Q(
            meeting__starts_at__lt=dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
        )
    return q


def participant_ids(
    *, project: Any = None, start: dt.date | None = None, end: dt.date | None = None
) -> Any:
    """Everyone who took part in the scope, as a subquery of person ids."""
    from coproduce.diversity.models import ProjectParticipation
    from coproduce.meetings.models import Attendance

    if start is None and end is None:
        # The trigger-maintained summary: one row per person and project, not per session.
        rows = ProjectParticipation.objects.filter(attendances__gt=0)
        if project is not None:
            rows = rows.filter(project=project)
        return rows.values("person_id")
    return Attendance.objects.filter(_scope_filter(project=project, start=start, end=end)).values(
        "person_id"
    )


def _population_counters(people: Any, today: dt.date) -> dict[str, Counter[str]]:
    """Two grouped queries, one for the profile columns and one for the equality answers, so
    each returns a few thousand combinations rather than one row per person; each distinct
    combination is counted into every characteristic that reads it."""
    counters: dict[str, Counter[str]] = {c.key: Counter() for c in CHARACTERISTICS}
    profile = [c for c in PERSON_COLUMNS if not c.startswith("equality")]
    answers = [c for c in PERSON_COLUMNS if c.startswith("equality")]
    groups = [
        (
            [c for c in CHARACTERISTICS if not c.equality],
            people.annotate(age_band=age_band_expression(today))
            .values("age_band", *profile)
            .annotate(n=Count("id"))
            .order_by(),
        ),
        (
            [c for c in CHARACTERISTICS if c.equality],
            people.values(*answers).annotate(n=Count("id")).order_by(),
        ),
    ]
    for chars, combos in groups:
        for row in combos:
            for char in chars:
                counters[char.key][char.value(row, today)] += row["n"]
    return counters


def _population_from_counts(area: Any, tenure: str) -> dict[str, Counter[str]]:
    """Aggregate counts entered by hand, where the landlord only knows totals."""
    entries = PopulationCount.objects.all()
    entries = entries.filter(area=area) if area else entries.filter(area__isnull=True)
    entries = entries.filter(tenure=tenure) if tenure else entries.filter(tenure="")
    result: dict[str, Counter[str]] = {}
    for entry in entries:
        result.setdefault(entry.characteristic, Counter())[entry.category] += entry.count
    return result


def _cache_key(prefix: str, *parts: Any) -> str:
    import hashlib

    raw_key = ":".join(str(p) for p in parts)
    return f"{prefix}:" + hashlib.sha256(raw_key.encode()).hexdigest()[:40]


def _data_stamp() -> str:
    """Changes whenever anyone's profile or equality answers change (read from indexes and
    small tables, so it is cheap on every request). The app never deletes people; a deletion
    made outside it shows within the cache's hour."""
    stamp = Person.objects.aggregate(n=models_max("id"), last=models_max("updated_at"))
    return f"{stamp['n']}:{stamp['last']}:{_equality_stamp()}:{timezone.localdate()}"


def _participation_stamp() -> str:
    """Changes whenever an attendance is added, removed or moved (the summary table is kept
    by database triggers) or a session is changed."""
    from django.db.models import Sum

    from coproduce.diversity.models import ProjectParticipation
    from coproduce.meetings.models import Meeting

    p = ProjectParticipation.objects.aggregate(
        n=Count("id"), total=Sum("attendances"), last=models_max("first_at")
    )
    m = Meeting.objects.aggregate(last=models_max("updated_at"), n=Count("id"))
    return f"{p['n']}:{p['total']}:{p['last']}:{m['last']}:{m['n']}"


def population_profile(
    *, area: Any = None, tenure: str = "", stamp: str | None = None
) -> dict[str, Counter[str]]:
    """Counts per characteristic of everyone we serve (cached; refreshed when people change)."""
    from django.core.cache import cache

    people = Person.objects.all()
    if area:
        people = people.filter(area=area)
    if tenure:
        people = people.filter(tenure=tenure)
    key = _cache_key("population", getattr(area, "pk", ""), tenure, stamp or _data_stamp())
    cached = cache.get(key)
    if cached is None:
        cached = _population_counters(people, timezone.localdate())
        cache.set(key, cached, 3600)
    # Where an aggregate count was entered for a characteristic, it is the reference.
    merged = dict(cached)
    for characteristic, counter in _population_from_counts(area, tenure).items():
        merged[characteristic] = counter
    return merged


def models_max(field_name: str) -> Any:
    from django.db.models import Max

    return Max(field_name)


def _equality_stamp() -> str:
    from coproduce.diversity.models import EqualityConsent, EqualityRecord

    a = EqualityRecord.objects.aggregate(n=Count("id"), last=models_max("updated_at"))
    b = EqualityConsent.objects.aggregate(n=Count("id"), last=models_max("given_at"))
    return f"{a['n']}:{a['last']}:{b['n']}:{b['last']}"


def dashboard(
    *,
    raw: bool,
    project: Any = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: Any = None,
    tenure: str = "",
) -> Dashboard:
    from django.core.cache import cache

    today = timezone.localdate()
    stamp = _data_stamp()
    population = population_profile(area=area, tenure=tenure, stamp=stamp)
    # Participants' figures are cached too, keyed on exactly what they depend on, so they are
    # worked out again as soon as anyone's attendance, profile or answers change.
    key = _cache_key(
        "participants",
        getattr(project, "pk", ""),
        start,
        end,
        getattr(area, "pk", ""),
        tenure,
        stamp,
        _participation_stamp(),
    )
    participants = cache.get(key)
    if participants is None:
        people = Person.objects.filter(
            id__in=participant_ids(project=project, start=start, end=end)
        )
        if area:
            people = people.filter(area=area)
        if tenure:
            people = people.filter(tenure=tenure)
        participants = _population_counters(people, today)
        cache.set(key, participants, 3600)
    sources = set(PopulationCount.objects.values_list("characteristic", flat=True).distinct())
    tables = [
        build_table(
            char,
            population[char.key],
            participants[char.key],
            raw=raw,
            source="counts" if char.key in sources else "people",
        )
        for char in CHARACTERISTICS
    ]
    part_total = sum(participants["age"].values())
    pop_total = sum(population["age"].values())
    scope = "all involvement"
    if project is not None:
        scope = f"the project “{project}”"
    if start or end:
        scope += f", {start or 'the start'} to {end or 'today'}"
    shown = suppress({"all": part_total}).total if not raw else part_total
    shown_pop = suppress({"all": pop_total}).total if not raw else pop_total
    return Dashboard(tables=tables, participants=shown, population=shown_pop, scope=scope, raw=raw)


# Outreach ---------------------------------------------------------------------------------


OUTREACH_CHARACTERISTICS = [
    "age",
    "ethnicity",
    "disability",
    "carer",
    "digital",
    "area",
    "tenure",
    "sex",
    "language",
]


def outreach_candidates(
    *,
    characteristic: str = "",
    category: str = "",
    involvement: str = "never",
    channel: str = "",
    availability: str = "",
    limit: int | None = None,
) -> Any:
    """People to invite: contact consent always; outreach consent whenever equality data
    is used to pick them. `involvement` is "never" or "not_for_a_year"."""
    from coproduce.meetings.models import Attendance

    people = Person.objects.filter(usable(), contact_consent=True).select_related("area")
    today = timezone.localdate()
    if characteristic:
        char = BY_KEY[characteristic]
        if char.equality:
            people = people.filter(equality_consent__outreach=True)
        people = _filter_category(people, characteristic, category, today)
    if involvement == "never":
        people = people.exclude(id__in=Attendance.objects.values("person_id"))
    elif involvement == "not_for_a_year":
        since = timezone.now() - dt.timedelta(days=365)
        people = people.exclude(
            id__in=Attendance.objects.filter(meeting__starts_at__gte=since).values("person_id")
        )
    if channel:
        people = (
            people.filter(preferred_channels__contains=channel)
            if _json_contains_supported()
            else people.filter(preferred_channels__icontains=channel)
        )
    if availability:
        people = (
            people.filter(availability__contains=availability)
            if _json_contains_supported()
            else people.filter(availability__icontains=availability)
        )
    people = people.order_by("last_name", "first_name", "id")
    return people[:limit] if limit else people


def outreach_consented(person: Person) -> bool:
    """Whether the person agreed that their equality answers may be used to invite them when
    people like them are not being heard (the consent "outreach" messages need)."""
    return EqualityConsent.objects.filter(person_id=person.pk, outreach=True).exists()


def outreach_uses_equality_data(criteria: dict[str, Any]) -> bool:
    """Whether an outreach list picked people by their equality answers."""
    characteristic = BY_KEY.get(str(criteria.get("characteristic") or ""))
    return bool(characteristic and characteristic.equality)


def outreach_list_people(outreach: Any) -> Any:
    """Who on a saved list may still be contacted: a withdrawal of contact consent, a
    restriction or an erasure since the list was made takes them off at once."""
    return outreach.people.filter(usable(), contact_consent=True)


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _filter_category(people: Any, key: str, category: str, today: dt.date) -> Any:
    if key == "age":
        return people.annotate(age_band=age_band_expression(today)).filter(age_band=category)
    if key == "ethnicity":
        if category == "white_british":
            return people.filter(equality__ethnicity="white_british")
        if category == "white":
            return people.filter(equality__ethnicity__startswith="white_").exclude(
                equality__ethnicity="white_british"
            )
        return people.filter(equality__ethnicity__startswith=f"{category}_")
    if key == "disability":
        disabled = Q(
            equality__long_term_condition=YesNo.YES,
            equality__condition_impact__in=[ConditionImpact.A_LOT, ConditionImpact.A_LITTLE],
        )
        return people.filter(disabled) if category == "yes" else people.exclude(disabled)
    if key == "carer":
        return people.filter(caring_responsibilities=category)
    if key == "digital":
        return people.filter(digital_access=category)
    if key == "area":
        return people.filter(area_id=category)
    if key == "tenure":
        return people.filter(tenure=category)
    if key == "sex":
        return people.filter(equality__sex=category)
    if key == "language":
        return people.filter(equality__first_language_english=category)
    raise ValueError(f"Unknown characteristic {key}")


# "Same old people" -------------------------------------------------------------------------


@dataclass
class Concentration:
    people: int | None
    attendances: int | None
    top_tenth_share: float | None
    gini: float | None
    new_by_quarter: list[tuple[str, int | None]]
    new_by_project: list[tuple[str, int | None, int | None]]
    multi_project: int | None
    multi_project_n: int
    years_since_first: list[tuple[str, int | None]]


def gini(values: list[int]) -> float:
    """Gini coefficient of participation: 0 = everyone equal, 1 = one person does it all."""
    if not values or sum(values) == 0:
        return 0.0
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * sum(ordered)) - (n + 1) / n


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def concentration(*, raw: bool, multi_project_n: int = 2) -> Concentration:
    """How concentrated taking part is (cached until any attendance changes)."""
    from django.core.cache import cache

    key = _cache_key(
        "concentration", raw, multi_project_n, _participation_stamp(), timezone.localdate()
    )
    result = cache.get(key)
    if result is None:
        result = _concentration(raw=raw, multi_project_n=multi_project_n)
        cache.set(key, result, 3600)
    return result  # type: ignore[no-any-return]


def _concentration(*, raw: bool, multi_project_n: int) -> Concentration:
    from coproduce.diversity.models import ProjectParticipation

    rows = list(
        ProjectParticipation.objects.filter(attendances__gt=0).values_list(
            "person_id", "project__title", "attendances", "first_at"
        )
    )
    per_person: dict[int, int] = defaultdict(int)
    first_seen: dict[int, dt.datetime] = {}
    projects_of: Counter[int] = Counter()
    for person_id, _title, attendances, first_at in rows:
        per_person[person_id] += attendances
        projects_of[person_id] += 1
        if person_id not in first_seen or first_at < first_seen[person_id]:
            first_seen[person_id] = first_at
    counts = sorted(per_person.values(), reverse=True)
    total = sum(counts)
    top = counts[: max(1, round(len(counts) / 10))] if counts else []
    top_share = (sum(top) / total) if total else None
    quarters: Counter[str] = Counter(
        _quarter(timezone.localtime(first).date()) for first in first_seen.values()
    )
    project_people: dict[str, list[bool]] = defaultdict(list)
    for person_id, title, _attendances, first_at in rows:
        project_people[title].append(first_at == first_seen[person_id])
    multi = sum(1 for n in projects_of.values() if n >= multi_project_n)
    today = timezone.localdate()
    since: Counter[str] = Counter()
    for first in first_seen.values():
        years = (today - timezone.localtime(first).date()).days / 365.25
        since[
            "under 1 year"
            if years < 1
            else "1 to 3 years"
            if years < 3
            else "3 to 5 years"
            if years < 5
            else "5 years or more"
        ] += 1
    order = ["under 1 year", "1 to 3 years", "3 to 5 years", "5 years or more"]

    def hide(counter: dict[str, int]) -> dict[str, int | None]:
        return dict(counter) if raw else suppress(counter).cells

    quarter_cells = hide(dict(quarters))
    since_cells = hide({k: since.get(k, 0) for k in order})
    new_by_project = []
    for title, flags in sorted(project_people.items()):
        cells = hide({"new": sum(flags), "all": len(flags)})
        new_by_project.append((title, cells["new"], cells["all"]))
    single = (lambda n: n) if raw else (lambda n: suppress({"x": n}).cells["x"])
    people_n = len(counts)
    safe = raw or people_n >= 10
    return Concentration(
        people=single(people_n),
        attendances=single(total),
        top_tenth_share=top_share if safe else None,
        gini=gini(counts) if safe and counts else None,
        new_by_quarter=sorted(quarter_cells.items()),
        new_by_project=new_by_project,
        multi_project=single(multi),
        multi_project_n=multi_project_n,
        years_since_first=[(k, since_cells[k]) for k in order],
    )


def quick_question_pool(*, strata: list[str]) -> list[tuple[int, str, str]]:
    """(person id, stratum key, channel) for the involvement pool who may be contacted.

    Strata built from equality data use only people who consented to outreach; others are
    in an "unknown" stratum for that characteristic, so nobody is left out of being asked.
    """
    from coproduce.people.models import Involvement

    today = timezone.localdate()
    people = (
        Person.objects.filter(usable(), involvement=Involvement.ACTIVE, contact_consent=True)
        .annotate(age_band=age_band_expression(today))
        .values(
            "id",
            "age_band",
            "preferred_channels",
            "email",
            *PERSON_COLUMNS,
            "equality_consent__outreach",
        )
    )
    pool = []
    for row in people:
        parts = []
        for key in strata:
            char = BY_KEY[key]
            if char.equality and not row["equality_consent__outreach"]:
                parts.append(UNKNOWN)
            else:
                row_for_value = (
                    dict(row, equality_consent__statistics=True) if char.equality else row
                )
                parts.append(char.value(row_for_value, today))
        channels = row["preferred_channels"] or []
        if row["email"] and ("online" in channels or not channels):
            channel = "email"
        elif "phone" in channels:
            channel = "phone"
        elif "paper" in channels:
            channel = "post"
        else:
            channel = "email" if row["email"] else "post"
        pool.append((row["id"], "|".join(parts), channel))
    return pool


def quick_question_messages(question: QuickQuestion) -> dict[int, Message]:
    """The message that asked each recipient (by recipient id): how it went and whether it
    arrived. One query, however many were asked."""
    from coproduce.messaging.models import Message

    about = [
        f"diversity.quickquestionrecipient:{pk}"
        for pk in question.recipients.values_list("pk", flat=True)
    ]
    found: dict[int, Message] = {}
    # The first message asked; a fallback (a letter after a bounced email) replaces it.
    for message in Message.objects.filter(kind="quick_question", about__in=about).order_by("pk"):
        found[int(message.about.rpartition(":")[2])] = message
    return found


@dataclass(frozen=True)
class TallyRow:
    label: str
    total: int
    by_via: list[int]


@dataclass(frozen=True)
class Tally:
    ways: list[str]
    rows: list[TallyRow]


def quick_question_tally(
    question: QuickQuestion, answered: list[QuickQuestionRecipient]
) -> Tally | None:
    """For a question with answers to choose from: how many chose each, and how the answers
    came (online, post, text, phone...), side by side. None for answers in people's words."""
    if not question.choices:
        return None
    labels = [str(label) for label in question.choices]
    ways = [v for v in RecordedVia.values if any(r.recorded_via == v for r in answered)]
    counts = {label: dict.fromkeys(ways, 0) for label in labels}
    for r in answered:
        for part in (r.answer_1 or "").split("; "):
            if part in counts and r.recorded_via in counts[part]:
                counts[part][r.recorded_via] += 1
    return Tally(
        ways=[RecordedVia(v).label for v in ways],
        rows=[
            TallyRow(label, sum(counts[label].values()), [counts[label][v] for v in ways])
            for label in labels
        ],
    )
