"""Reads for a TSM year: its responses as the calculator takes them, the results, how good the
survey is, who answered against who the landlord serves, and what publication still needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coproduce.diversity.categories import ETHNIC_HEADINGS, Ethnicity, ethnic_heading
from coproduce.diversity.selectors import BY_KEY, Table, build_table, population_profile
from coproduce.people.models import Area
from coproduce.tsm import calc, management, precision, survey
from coproduce.tsm.models import ManagementFigure, SurveyResponse, TsmYear, WeightTarget

PERCEPTION_CODES = tuple(f"TP{number:02d}" for number in range(1, 13))


def responses(year: TsmYear) -> list[survey.Response]:
    """The year's responses as the calculator reads them, in a fixed order."""
    rows = (
        SurveyResponse.objects.filter(year=year)
        .order_by("respondent")
        .values_list("line", "respondent", "tenure", "answers", "weight", "profile", "answered_on")
    )
    return [
        survey.Response(
            line=line,
            respondent=respondent,
            tenure=tenure,
            answers=answers,
            weight=weight,
            profile=profile,
            date=answered_on,
        )
        for line, respondent, tenure, answers, weight, profile, answered_on in rows.iterator(
            chunk_size=5000
        )
    ]


def weighting(year: TsmYear) -> calc.Weighting | None:
    shared: dict[str, dict[str, Decimal]] = {}
    scoped: dict[str, dict[str, dict[str, Decimal]]] = {}
    for target in WeightTarget.objects.filter(year=year):
        into = scoped.setdefault(target.tenure, {}) if target.tenure else shared
        into.setdefault(target.variable, {})[target.category] = target.population_share
    if not shared and not scoped:
        return None
    variables = {*shared, *(v for targets in scoped.values() for v in targets)}
    return calc.Weighting(variables=tuple(sorted(variables)), targets=shared, tenure_targets=scoped)


@dataclass(frozen=True)
class ManagementLine:
    spec: management.Spec
    numerator: Decimal | None
    denominator: Decimal | None
    result: Decimal | None

    @property
    def label(self) -> str:
        return spec_label(self.spec)

    @property
    def unit(self) -> str:
        return "%" if self.spec.kind == "percent" else " per 1,000 homes"


def spec_label(spec: management.Spec) -> str:
    return f"{spec.code}" + (f" part {spec.part}" if spec.part else "")


def management_lines(year: TsmYear) -> list[ManagementLine]:
    stored = {
        (figure.code, figure.part or None): figure
        for figure in ManagementFigure.objects.filter(year=year)
    }
    lines = []
    for spec in management.MANAGEMENT:
        figure = stored.get((spec.code, spec.part))
        if figure is None:
            lines.append(ManagementLine(spec, None, None, None))
            continue
        lines.append(
            ManagementLine(
                spec,
                figure.numerator,
                figure.denominator,
                management.management_result(spec, figure.numerator, figure.denominator),
            )
        )
    return lines


@dataclass(frozen=True)
class Precision:
    tenure: str
    homes: int | None
    responses: int
    required_margin: Decimal | None
    required_sample: int | None
    achieved_margin: Decimal | None

    @property
    def met(self) -> bool | None:
        if self.achieved_margin is None or self.required_margin is None:
            return None
        return self.achieved_margin <= self.required_margin

    @property
    def verdict(self) -> str:
        if not self.homes:
            return "Enter the number of homes to judge how precise the survey is."
        if not self.responses:
            return "No responses yet."
        if self.met:
            return (
                f"Good enough: the results are within ±{self.achieved_margin} percentage points "
                f"(95 % confidence); the regulator asks for ±{self.required_margin} or better."
            )
        return (
            f"Not precise enough: ±{self.achieved_margin} percentage points, but the regulator "
            f"asks for ±{self.required_margin} or better. About {self.required_sample} responses "
            f"were needed; there are {self.responses}."
        )


def precision_for(year: TsmYear, counts: Counter[str]) -> list[Precision]:
    result = []
    for tenure, homes in (("LCRA", year.lcra_homes), ("LCHO", year.lcho_homes)):
        answered = counts.get(tenure, 0)
        if not homes and not answered:
            continue
        result.append(
            Precision(
                tenure=tenure,
                homes=homes,
                responses=answered,
                required_margin=precision.required_margin(homes) if homes else None,
                required_sample=precision.required_sample(homes) if homes else None,
                achieved_margin=(
                    precision.achieved_margin(answered, homes) if homes and answered else None
                ),
            )
        )
    return result


# Who answered, against who the landlord serves: the survey's own profile columns, read into the
# categories of "Whose voice" so the same suppressed tables compare them.
_ETHNIC_LABELS = {label.lower(): code for code, label in Ethnicity.choices} | {
    label.lower(): code for code, label in ETHNIC_HEADINGS.items()
}


def _ethnicity(value: str) -> str:
    text = value.strip().lower()
    if text in {"white british", "white_british"}:
        return "white_british"
    if text in ETHNIC_HEADINGS:
        return text
    code = text if text in Ethnicity.values else _ETHNIC_LABELS.get(text, "")
    if not code:
        return "unknown"
    if code == Ethnicity.WHITE_BRITISH:
        return "white_british"
    heading = ethnic_heading(code)
    return heading if heading in ETHNIC_HEADINGS else "unknown"


def _yes_no(value: str) -> str:
    text = value.strip().lower()
    return {"yes": "yes", "y": "yes", "no": "no", "n": "no"}.get(text, "unknown")


def _profile_counters(rows: list[survey.Response]) -> dict[str, Counter[str]]:
    areas = {name.lower(): str(pk) for pk, name in Area.objects.values_list("pk", "name")}
    counters: dict[str, Counter[str]] = {
        "age": Counter(),
        "ethnicity": Counter(),
        "disability": Counter(),
        "area": Counter(),
        "tenure": Counter(),
    }
    for row in rows:
        profile = row.profile
        if "age_band" in profile:
            counters["age"][profile["age_band"].strip() or "unknown"] += 1
        if "ethnic_group" in profile:
            counters["ethnicity"][_ethnicity(profile["ethnic_group"])] += 1
        if "disability" in profile:
            counters["disability"][_yes_no(profile["disability"])] += 1
        if "area" in profile:
            counters["area"][areas.get(profile["area"].strip().lower(), "unknown")] += 1
        if "tenure" in profile:
            counters["tenure"][profile["tenure"].strip().lower() or "unknown"] += 1
    return {key: counter for key, counter in counters.items() if counter}


def representativeness(rows: list[survey.Response]) -> list[Table]:
    """Suppressed tables, one per characteristic the survey file has."""
    respondents = _profile_counters(rows)
    if not respondents:
        return []
    population = population_profile()
    return [
        build_table(
            BY_KEY[key], population.get(key, Counter()), counter, raw=False, who="respondents"
        )
        for key, counter in respondents.items()
    ]


@dataclass
class YearResults:
    year: TsmYear
    respondents: Counter[str]
    perception: dict[str, dict[str, calc.Figure | None]]
    management: list[ManagementLine]
    precision: list[Precision]
    representativeness: list[Table]
    weighting: calc.Weighting | None
    weights: list[Any] = field(default_factory=list)
    error: str = ""

    @property
    def respondent_counts(self) -> list[tuple[str, int]]:
        """(group, respondents) in the regulator's order; a template cannot read a Counter."""
        return [
            (group, self.respondents[group])
            for group in ("LCRA", "LCHO")
            if group in self.respondents
        ]

    @property
    def groups(self) -> list[str]:
        return [group for group in ("LCRA", "LCHO") if self.respondents.get(group)]


def year_results(year: TsmYear) -> YearResults:
    """Everything worked out for a year. A published year cannot change until it is taken down
    (which changes its published time), so its results are cached under that time: the public
    page and PDF of a 50,000-response year need not read every row again."""
    if year.published_at is None:
        return _year_results(year)
    from dataclasses import replace

    from django.core.cache import cache

    key = f"tsm:results:{year.pk}:{year.published_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = _year_results(year)
        cache.set(key, found, 24 * 3600)
    return replace(found, year=year)


def _year_results(year: TsmYear) -> YearResults:
    rows = responses(year)
    counts: Counter[str] = Counter(row.tenure for row in rows)
    chosen = weighting(year)
    error = ""
    weights: list[Any] = []
    try:
        perception = calc.perception_measures(rows, weights=chosen)
        if chosen is not None:
            weights = calc.weight_summary(rows, chosen)
    except ValueError as exc:  # the survey changed after the weights were set
        error = f"The weights no longer fit the survey, so the results are unweighted: {exc}"
        perception = calc.perception_measures(rows)
        chosen = None
    return YearResults(
        year=year,
        respondents=counts,
        perception=perception,
        management=management_lines(year),
        precision=precision_for(year, counts),
        representativeness=representativeness(rows),
        weighting=chosen,
        weights=weights,
        error=error,
    )


REQUIRED_STATEMENT = {
    "survey_timing": "when the survey was carried out",
    "collection_methods": "how answers were collected",
    "sample_method": "how the sample was chosen",
    "exclusions": "who was left out and why (write 'None' if nobody)",
    "incentives": "any incentives offered (write 'None' if none)",
    "changes": "changes of method from last year (write 'None' if none)",
    "contractor_role": "who ran the survey (us, or a contractor and what they did)",
}


def missing_for_publication(year: TsmYear) -> list[str]:
    missing = []
    if year.lcra_homes is None and year.lcho_homes is None:
        missing.append("the number of homes (low-cost rental and home ownership)")
    if not SurveyResponse.objects.filter(year=year).exists():
        missing.append("the survey's responses")
    stored = set(ManagementFigure.objects.filter(year=year).values_list("code", "part"))
    absent = [
        spec_label(spec)
        for spec in management.MANAGEMENT
        if (spec.code, spec.part or 0) not in stored
    ]
    if absent:
        missing.append("management figures " + ", ".join(absent))
    missing += [
        words for name, words in REQUIRED_STATEMENT.items() if not getattr(year, name).strip()
    ]
    return missing


def previous_published(year: TsmYear) -> TsmYear | None:
    return (
        TsmYear.objects.filter(year_end__lt=year.year_end, published_at__isnull=False)
        .order_by("-year_end")
        .first()
    )


def published_years() -> Any:
    return TsmYear.objects.filter(published_at__isnull=False).order_by("-year_end")


@dataclass(frozen=True)
class MeasureSummary:
    code: str
    name: str
    text: str  # e.g. "LCRA 71.2% (500 answered); LCHO 64.0% (80 answered)"


def _summaries(year: TsmYear) -> dict[str, MeasureSummary]:
    from coproduce.tsm.measures import TSM_MEASURES

    results = year_results(year)
    found: dict[str, MeasureSummary] = {}
    for code in PERCEPTION_CODES:
        parts = [
            f"{group} {figure.percent}% ({figure.respondents} answered)"
            for group, figure in results.perception.get(code, {}).items()
            if group in ("LCRA", "LCHO") and figure is not None and figure.percent is not None
        ]
        if parts:
            found[code] = MeasureSummary(code, TSM_MEASURES[code], "; ".join(parts))
    by_code: dict[str, list[str]] = {}
    for line in results.management:
        if line.result is not None:
            part = f"part {line.spec.part}: " if line.spec.part else ""
            by_code.setdefault(line.spec.code, []).append(f"{part}{line.result}{line.unit}")
    for code, parts in by_code.items():
        found[code] = MeasureSummary(code, TSM_MEASURES.get(code, code), "; ".join(parts))
    return found


def latest_published_summaries() -> tuple[TsmYear | None, dict[str, MeasureSummary]]:
    """The newest published year's figures, one line per measure (cached: a published year does
    not change until it is taken down, which changes its published time and so the key)."""
    from django.core.cache import cache

    year = published_years().first()
    if year is None or year.published_at is None:
        return None, {}
    key = f"tsm:summaries:{year.pk}:{year.published_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = _summaries(year)
        cache.set(key, found, 24 * 3600)
    return year, found
