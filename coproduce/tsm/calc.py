"""The tenant perception measures TP01-TP12 from survey responses, with optional weighting.

Pure Python: no Django, no database. Sums are exact Decimals taken in respondent order
(sorted by respondent id), so a result never depends on the order of the file or on splitting
a survey into parts and merging them. The rules, quoted, are in docs/tsm.md.

Technical Requirements (2024), tenant perception measures: each measure is "the proportion of
respondents who report that they are satisfied" (TP08: "agree"), i.e. very or fairly satisfied
(strongly agree or agree) out of those who gave one of the five valid answers; "don't know",
"not applicable" and unanswered questions are left out of the base. Results are reported
separately for low cost rental (LCRA) and low cost home ownership (LCHO) respondents; the
repairs measures TP02-TP04 are LCRA only. We give no combined figure (GROUPS has no "ALL").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from coproduce.core import tabular
from coproduce.tsm.survey import (
    AGREEMENT,
    PROFILE_COLUMNS,
    SATISFACTION,
    TENURES,
    Response,
    SurveyError,
)

GROUPS = TENURES  # ("LCRA", "LCHO"): reported separately; no combined figure is asked for
ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)
CATEGORY_MAX = 100  # what WeightTarget.category holds
_WEIGHT_PLACES = Decimal("0.000001")
_TOLERANCE = Decimal("0.001")  # percentage points between weighted shares and targets
_MAX_PASSES = 200


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    positive: frozenset[str]  # answers counted in the numerator
    valid: frozenset[str]  # answers counted in the base
    tenures: tuple[str, ...]  # respondents the measure applies to
    screening: str | None = None  # only respondents answering "yes" here are counted


_SAT_VALID = frozenset(SATISFACTION)
_SAT_POSITIVE = frozenset({"very_satisfied", "fairly_satisfied"})
_BOTH = ("LCRA", "LCHO")


def _satisfaction(
    code: str, name: str, tenures: tuple[str, ...] = _BOTH, screening: str | None = None
) -> Measure:
    return Measure(code, name, _SAT_POSITIVE, _SAT_VALID, tenures, screening)


MEASURES: tuple[Measure, ...] = (
    _satisfaction("TP01", "Overall satisfaction"),
    _satisfaction("TP02", "Satisfaction with repairs", ("LCRA",), "repair_12m"),
    _satisfaction(
        "TP03",
        "Satisfaction with time taken to complete most recent repair",
        ("LCRA",),
        "repair_12m",
    ),
    _satisfaction("TP04", "Satisfaction that the home is well maintained", ("LCRA",)),
    # TP05 may be exported as yes/no (docs/evidence-formats.md): "yes" counts as satisfied.
    Measure(
        "TP05",
        "Satisfaction that the home is safe",
        _SAT_POSITIVE | {"yes"},
        _SAT_VALID | {"yes", "no"},
        _BOTH,
    ),
    _satisfaction(
        "TP06", "Satisfaction that the landlord listens to tenant views and acts upon them"
    ),
    _satisfaction(
        "TP07",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
    ),
    Measure(
        "TP08",
        "Agreement that the landlord treats tenants fairly and with respect",
        frozenset({"strongly_agree", "agree"}),
        frozenset(AGREEMENT),
        _BOTH,
    ),
    _satisfaction(
        "TP09",
        "Satisfaction with the landlord's approach to handling complaints",
        screening="complaint_12m",
    ),
    _satisfaction(
        "TP10",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        screening="communal_areas",
    ),
    _satisfaction(
        "TP11", "Satisfaction that the landlord makes a positive contribution to neighbourhoods"
    ),
    _satisfaction(
        "TP12", "Satisfaction with the landlord's approach to handling anti-social behaviour"
    ),
)
BY_CODE = {measure.code: measure for measure in MEASURES}


@dataclass(frozen=True)
class Figure:
    numerator: Decimal  # weighted count of positive answers (whole number when unweighted)
    base: Decimal  # weighted count of valid answers
    respondents: int  # unweighted count of valid answers
    percent: Decimal | None  # one decimal place, half up; None when the base is 0


def percent_of(numerator: Decimal, base: Decimal) -> Decimal | None:
    """numerator / base as a percentage to one decimal place (0.05 rounds up); None for 0."""
    if base == 0:
        return None
    with localcontext() as context:
        context.prec = 60
        return (numerator * HUNDRED / base).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def counts(measure: Measure, response: Response) -> tuple[bool, bool]:
    """(in the base, positive) for one respondent and one measure."""
    if response.tenure not in measure.tenures:
        return False, False
    if measure.screening and response.answers.get(measure.screening, "yes") != "yes":
        return False, False  # screened out: no repair / complaint / communal area, or don't know
    answer = response.answers.get(measure.code)
    if answer is None or answer not in measure.valid:
        return False, False  # unanswered, don't know, not applicable
    return True, answer in measure.positive


def perception_measures(
    responses: Iterable[Response], *, weights: Weighting | None = None
) -> dict[str, dict[str, Figure | None]]:
    """{"TP01": {"LCRA": Figure, "LCHO": Figure}, ...}; None where a measure does not apply."""
    ordered = sorted(responses, key=lambda response: response.respondent)
    weight_of = _weights_for(ordered, weights)
    result: dict[str, dict[str, Figure | None]] = {}
    with localcontext() as context:
        context.prec = 60  # exact for any realistic sum of weights with six decimals
        for measure in MEASURES:
            numerator = dict.fromkeys(measure.tenures, Decimal(0))
            base = dict.fromkeys(measure.tenures, Decimal(0))
            respondents = dict.fromkeys(measure.tenures, 0)
            for response in ordered:
                valid, positive = counts(measure, response)
                if not valid:
                    continue
                weight = weight_of[response.respondent]
                base[response.tenure] += weight
                respondents[response.tenure] += 1
                if positive:
                    numerator[response.tenure] += weight
            result[measure.code] = {
                group: (
                    Figure(
                        numerator=numerator[group],
                        base=base[group],
                        respondents=respondents[group],
                        percent=percent_of(numerator[group], base[group]),
                    )
                    if group in measure.tenures
                    else None
                )
                for group in GROUPS
            }
    return result


def _weights_for(ordered: list[Response], weighting: Weighting | None) -> dict[str, Decimal]:
    if weighting is not None:
        return respondent_weights(ordered, weighting)
    return {r.respondent: (r.weight if r.weight is not None else Decimal(1)) for r in ordered}


# --- weighting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighting:
    variables: tuple[str, ...]
    # variable -> category -> population share (percent), applied within each tenure group
    targets: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # the same for one tenure group only (weights file rows with tenure_type LCRA or LCHO)
    tenure_targets: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)

    def for_tenure(self, tenure: str) -> Weighting:
        """The targets that apply to one tenure group: its own rows, else the shared ones."""
        targets = {**self.targets, **self.tenure_targets.get(tenure, {})}
        return Weighting(variables=tuple(sorted(targets)), targets=targets)


def _category(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_weights(data: bytes, filename: str) -> Weighting:
    """A weights file: columns variable, category, population_share (percent), all or nothing."""
    suffix = tabular.suffix_of(filename)
    if suffix not in tabular.SUFFIXES:
        raise SurveyError(f"{filename}: save the weights as 'CSV UTF-8 (.csv)' or '.xlsx'.")
    try:
        reader = tabular.csv_rows if suffix == ".csv" else tabular.xlsx_rows
        rows = [row for row in reader(data, name=filename) if any(row.cells)]
    except tabular.TableError as exc:
        raise SurveyError(f"{filename}: {exc}.") from None
    if not rows:
        raise SurveyError(f"{filename} is empty.")
    header = [tabular.header_key(cell) for cell in rows[0].cells]
    needed = ("variable", "category", "population_share")
    unknown = [
        cell
        for cell, key in zip(rows[0].cells, header, strict=True)
        if key and key not in (*needed, "tenure_type")
    ]
    if unknown:
        raise SurveyError(
            f"{filename} line 1: unknown column '{unknown[0]}'; the columns are variable, "
            "category, population_share and (optional) tenure_type."
        )
    missing = [name for name in needed if name not in header]
    if missing:
        raise SurveyError(f"{filename} line 1: missing the column {missing[0]}.")
    position = {key: header.index(key) for key in needed}
    scoped: dict[str, dict[str, dict[str, Decimal]]] = {"": {}, "LCRA": {}, "LCHO": {}}
    for row in rows[1:]:
        cells = row.cells + [""] * len(header)
        variable = tabular.header_key(cells[position["variable"]])
        category = cells[position["category"]].strip()
        share_text = cells[position["population_share"]].strip().rstrip("%").strip()
        where = f"{filename} line {row.line}"
        tenure = (
            cells[header.index("tenure_type")].strip().upper() if "tenure_type" in header else ""
        )
        if tenure not in scoped:
            raise SurveyError(
                f"{where}, column tenure_type: '{tenure}' must be LCRA, LCHO or blank (both)."
            )
        targets = scoped[tenure]
        if row.problem:
            raise SurveyError(f"{filename} {row.problem}.")
        if variable == "tenure_type":
            raise SurveyError(
                f"{where}, column variable: weights are worked out separately for LCRA and "
                "LCHO respondents, so tenure_type cannot be a weighting variable."
            )
        if variable not in PROFILE_COLUMNS:
            raise SurveyError(
                f"{where}, column variable: '{cells[position['variable']]}' cannot be weighted "
                f"on; use one of {', '.join(PROFILE_COLUMNS)}."
            )
        if not category:
            raise SurveyError(f"{where}, column category: the category is empty.")
        if len(category) > CATEGORY_MAX:
            raise SurveyError(
                f"{where}, column category: the category is longer than {CATEGORY_MAX} characters."
            )
        try:
            share = Decimal(share_text)
        except InvalidOperation:
            share = Decimal(-1)
        if not share.is_finite() or share < 0 or share > 100:
            raise SurveyError(
                f"{where}, column population_share: '{share_text}' is not a percentage from 0 "
                "to 100."
            )
        key = _category(category)
        if key in targets.setdefault(variable, {}):
            raise SurveyError(f"{where}: {variable} '{category}' is given twice.")
        targets[variable][key] = share
    if not any(scoped.values()):
        raise SurveyError(f"{filename} has column names but no rows.")
    for tenure, targets in scoped.items():
        for variable, shares in targets.items():
            total = sum(shares.values(), Decimal(0))
            if abs(total - HUNDRED) > Decimal("0.5"):
                whose = f"{tenure} " if tenure else ""
                raise SurveyError(
                    f"{filename}: the {whose}population shares of {variable} add up to {total}, "
                    "not 100; give each category's share of all tenants as a percentage."
                )
    shared = scoped.pop("")
    variables = {v for targets in (shared, *scoped.values()) for v in targets}
    return Weighting(
        variables=tuple(sorted(variables)),
        targets=shared,
        tenure_targets={tenure: targets for tenure, targets in scoped.items() if targets},
    )


Cell = tuple[str, ...]


def _cells(group: list[Response], weighting: Weighting, tenure: str) -> dict[Cell, int]:
    cells: dict[Cell, int] = defaultdict(int)
    for response in group:
        cell = []
        for variable in weighting.variables:
            if variable not in response.profile:
                raise SurveyError(
                    f"The survey has no {variable} column, so it cannot be weighted by {variable}."
                )
            category = _category(response.profile[variable])
            if category not in weighting.targets[variable]:
                shown = response.profile[variable] or "(blank)"
                raise SurveyError(
                    f"Line {response.line}, column {variable}: '{shown}' has no population "
                    f"share in the weights file; add it or correct the survey."
                )
            cell.append(category)
        cells[tuple(cell)] += 1
    for index, variable in enumerate(weighting.variables):
        present = {cell[index] for cell in cells}
        for category, share in sorted(weighting.targets[variable].items()):
            if category not in present and share > 0:
                raise SurveyError(
                    f"No {tenure} respondent has {variable} '{category}', so the survey cannot "
                    f"be weighted to its population share of {share}%."
                )
    return dict(cells)


def _rake(cells: dict[Cell, int], weighting: Weighting, tenure: str) -> dict[Cell, Decimal]:
    """Iterative proportional fitting of one weight per cell; the mean weight is 1."""
    order = sorted(cells)
    total = Decimal(sum(cells.values()))
    weight = dict.fromkeys(order, Decimal(1))
    for _ in range(_MAX_PASSES):
        for index, variable in enumerate(weighting.variables):
            sums: dict[str, Decimal] = defaultdict(Decimal)
            for cell in order:
                sums[cell[index]] += weight[cell] * cells[cell]
            for cell in order:
                target = weighting.targets[variable][cell[index]] / HUNDRED * total
                weight[cell] = weight[cell] * target / sums[cell[index]]
        if _gap(cells, weight, weighting, total) < _TOLERANCE:
            return {cell: weight[cell].quantize(_WEIGHT_PLACES, ROUND_HALF_UP) for cell in order}
    raise SurveyError(
        f"The {tenure} weights do not settle after {_MAX_PASSES} rounds: the population shares "
        "cannot all be met by these respondents (check the weights file for shares that "
        "contradict each other)."
    )


def _gap(
    cells: dict[Cell, int], weight: dict[Cell, Decimal], weighting: Weighting, total: Decimal
) -> Decimal:
    worst = Decimal(0)
    for index, variable in enumerate(weighting.variables):
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for cell in sorted(cells):
            sums[cell[index]] += weight[cell] * cells[cell]
        for category, share in weighting.targets[variable].items():
            worst = max(worst, abs(sums.get(category, Decimal(0)) * HUNDRED / total - share))
    return worst


def respondent_weights(responses: Iterable[Response], weighting: Weighting) -> dict[str, Decimal]:
    """respondent -> weight: raking over the variables within each tenure group (mean 1)."""
    groups: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        groups[response.tenure].append(response)
    result: dict[str, Decimal] = {}
    for tenure in sorted(groups):
        group = groups[tenure]
        scoped = weighting.for_tenure(tenure)
        if not scoped.variables:  # no targets for this tenure group: left unweighted
            result.update(dict.fromkeys((r.respondent for r in group), Decimal(1)))
            continue
        cell_weight = _rake(_cells(group, scoped, tenure), scoped, tenure)
        for response in group:
            cell = tuple(_category(response.profile[v]) for v in scoped.variables)
            result[response.respondent] = cell_weight[cell]
    return result


@dataclass(frozen=True)
class WeightRow:
    tenure: str
    variable: str
    category: str  # as compared (lower case)
    respondents: int
    sample_percent: Decimal | None  # unweighted share of the group's respondents
    population_percent: Decimal  # the target from the weights file
    weighted_percent: Decimal | None  # after weighting
    weight: Decimal  # the mean weight of the category's respondents (3 places)


def weight_summary(
    responses: Iterable[Response], weighting: Weighting, weights: dict[str, Decimal] | None = None
) -> list[WeightRow]:
    """One row per tenure group, variable and category: what the weighting did, to publish."""
    ordered = sorted(responses, key=lambda response: response.respondent)
    weights = weights if weights is not None else respondent_weights(ordered, weighting)
    rows: list[WeightRow] = []
    for tenure in GROUPS:
        group = [response for response in ordered if response.tenure == tenure]
        if not group:
            continue
        total_weight = sum((weights[r.respondent] for r in group), Decimal(0))
        scoped = weighting.for_tenure(tenure)
        for variable in scoped.variables:
            for category, share in sorted(scoped.targets[variable].items()):
                members = [r for r in group if _category(r.profile.get(variable, "")) == category]
                weighted = sum((weights[r.respondent] for r in members), Decimal(0))
                mean = weighted / len(members) if members else Decimal(0)
                rows.append(
                    WeightRow(
                        tenure=tenure,
                        variable=variable,
                        category=category,
                        respondents=len(members),
                        sample_percent=percent_of(Decimal(len(members)), Decimal(len(group))),
                        population_percent=share,
                        weighted_percent=percent_of(weighted, total_weight),
                        weight=mean.quantize(Decimal("0.001"), ROUND_HALF_UP),
                    )
                )
    return rows
