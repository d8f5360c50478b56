"""What is published for a year: the results with last year's beside them, and the items the
regulator's summary of publication requirements lists. One context feeds the public page, the
PDF and (as rows) the CSV laid out for the regulator's submission.

The regulator's "Summary of publication requirements" asks landlords to publish, with their
TSM results: the achieved sample size; the timing of the survey; the collection method(s); the
sample method; a summary of the assessment of representativeness of the sample against the
relevant tenant population; any weighting applied; the name of any external contractor and the
role they had; the number of tenant households excluded from the sample and the reasons; the
type and nature of any incentives offered; and any methodological changes from the previous
year, with the reasons (summarised in docs/tsm.md, with the paragraphs quoted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from coproduce.tsm import calc, selectors
from coproduce.tsm.measures import PERCEPTION_CODES, TSM_MEASURES
from coproduce.tsm.models import TsmYear

PERCEPTION = [(code, TSM_MEASURES[code]) for code in PERCEPTION_CODES]


@dataclass(frozen=True)
class Cell:
    figure: calc.Figure | None
    previous: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return self.figure.percent if self.figure else None

    @property
    def change(self) -> Decimal | None:
        if self.percent is None or self.previous is None:
            return None
        return self.percent - self.previous


@dataclass(frozen=True)
class PerceptionRow:
    code: str
    name: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class ManagementRow:
    line: selectors.ManagementLine
    previous: Decimal | None


def _percent(results: selectors.YearResults | None, code: str, group: str) -> Decimal | None:
    if results is None:
        return None
    figure = results.perception.get(code, {}).get(group)
    return figure.percent if figure else None


def context(year: TsmYear) -> dict[str, Any]:
    results = selectors.year_results(year)
    previous_year = selectors.previous_published(year)
    previous = selectors.year_results(previous_year) if previous_year else None
    groups = [g for g in ("LCRA", "LCHO") if results.respondents.get(g)]
    rows = [
        PerceptionRow(
            code,
            name,
            {
                group: Cell(
                    results.perception.get(code, {}).get(group),
                    _percent(previous, code, group),
                )
                for group in groups
            },
        )
        for code, name in PERCEPTION
    ]
    before = (
        {(line.spec.code, line.spec.part): line.result for line in previous.management}
        if previous
        else {}
    )
    management = [
        ManagementRow(line, before.get((line.spec.code, line.spec.part)))
        for line in results.management
    ]
    return {
        "year": year,
        "results": results,
        "groups": groups,
        "perception": rows,
        "management": management,
        "previous_year": previous_year,
        "statement": [
            ("When the survey was carried out", year.survey_timing),
            ("How answers were collected", year.collection_methods),
            ("Who was asked", year.sample_method),
            ("Who ran the survey", _contractor(year)),
            ("Tenants left out, and why", year.exclusions),
            ("Incentives", year.incentives),
            (
                "Weighting",
                year.weighting_note
                or ("None: every answer counts the same." if results.weighting is None else ""),
            ),
            ("Changes from last year", year.changes),
            ("Other notes", year.other_notes),
        ],
    }


def _contractor(year: TsmYear) -> str:
    if not year.contractor:
        return year.contractor_role or "We ran the survey ourselves."
    return f"{year.contractor}. {year.contractor_role}".strip()


def render_html(year: TsmYear) -> str:
    return render_to_string("tsm/publication_pdf.html", context(year))


def render_pdf(year: TsmYear) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=render_html(year)).write_pdf(pdf_variant="pdf/ua-1"))


SUBMISSION_HEADER = [
    "reporting_year",
    "measure",
    "part",
    "tenure_group",
    "result",
    "unit",
    "numerator",
    "denominator",
    "respondents",
]


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def _count(value: Decimal) -> str:
    """A count: whole when unweighted, a weighted count to two decimal places."""
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return str(value.quantize(Decimal("0.01")))


def submission_rows(year: TsmYear) -> list[list[str]]:
    results = selectors.year_results(year)
    rows = [SUBMISSION_HEADER]
    for code in PERCEPTION_CODES:
        for group in ("LCRA", "LCHO"):
            if not results.respondents.get(group):
                continue
            figure = results.perception.get(code, {}).get(group)
            if figure is None:
                continue
            rows.append(
                [
                    year.label,
                    code,
                    "",
                    group,
                    _number(figure.percent),
                    "percent",
                    _count(figure.numerator),
                    _count(figure.base),
                    _number(figure.respondents),
                ]
            )
    for line in results.management:
        rows.append(
            [
                year.label,
                line.spec.code,
                _number(line.spec.part),
                "",
                _number(line.result),
                "percent" if line.spec.kind == "percent" else "per 1,000 homes",
                _number(line.numerator),
                _number(line.denominator),
                "",
            ]
        )
    for group, homes in (("LCRA", year.lcra_homes), ("LCHO", year.lcho_homes)):
        rows.append([year.label, "HOMES", "", group, _number(homes), "homes", "", "", ""])
        rows.append(
            [
                year.label,
                "SAMPLE",
                "",
                group,
                _number(results.respondents.get(group, 0)),
                "responses",
                "",
                "",
                "",
            ]
        )
    return rows


def submission_csv(year: TsmYear) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(submission_rows(year))
    return out.getvalue()
