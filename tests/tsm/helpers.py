"""Small survey and figure files for the page tests."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.tsm import management, services

HEADER = "respondent_id,tenure_type,TP01,TP06,TP08,area,age_band\n"


def survey(
    rows: list[tuple[str, str, int | str, int | str, int | str]], *, extra: str = ""
) -> bytes:
    """Rows of (respondent, tenure, TP01, TP06, TP08); age band and area fixed."""
    lines = [HEADER.rstrip("\n") + extra]
    for respondent, tenure, tp01, tp06, tp08 in rows:
        lines.append(f"{respondent},{tenure},{tp01},{tp06},{tp08},Northfield,35-49")
    return ("\n".join(lines) + "\n").encode()


# Ten LCRA tenants and four shared owners. TP01: LCRA 5,5,4,4,4,3,2,1,1,"Don't know" ->
# valid answers 9 (the unprompted "don't know" is left out of the base), satisfied 5 -> 55.6%.
SURVEY = survey(
    [
        ("R01", "LCRA", 5, 5, 5),
        ("R02", "LCRA", 5, 4, 4),
        ("R03", "LCRA", 4, 4, 4),
        ("R04", "LCRA", 4, 2, 4),
        ("R05", "LCRA", 4, 2, 3),
        ("R06", "LCRA", 3, 3, 2),
        ("R07", "LCRA", 2, 1, 2),
        ("R08", "LCRA", 1, 1, 1),
        ("R09", "LCRA", 1, 1, 1),
        ("R10", "LCRA", "Don't know", "Don't know", 5),
        ("O01", "LCHO", 5, 5, 5),
        ("O02", "LCHO", 4, 2, 4),
        ("O03", "LCHO", 2, 2, 2),
        ("O04", "LCHO", 1, 1, 2),
    ]
)


def upload(name: str, data: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def every_figure() -> dict[tuple[str, int | None], tuple[Decimal, Decimal]]:
    """A figure for every management measure: 9 of 10 for percentages, 25 per 1,000 homes."""
    figures = {}
    for spec in management.MANAGEMENT:
        if spec.kind == "percent":
            figures[(spec.code, spec.part)] = (Decimal(9), Decimal(10))
        else:
            figures[(spec.code, spec.part)] = (Decimal(25), Decimal(1000))
    return figures


STATEMENT = {
    "lcra_homes": 900,
    "lcho_homes": 100,
    "survey_timing": "October 2025",
    "collection_methods": "Telephone and post",
    "sample_method": "A census of every tenant",
    "contractor": "",
    "contractor_role": "We ran it ourselves.",
    "exclusions": "None",
    "incentives": "None",
    "changes": "None",
    "weighting_note": "",
    "other_notes": "",
}


def ready_year(year, actor):
    """A year with its survey, every figure and its statement: ready to publish."""
    services.survey_import(year=year, data=SURVEY, filename="survey.csv", actor=actor)
    services.figures_save(year=year, figures=every_figure(), actor=actor)
    year.refresh_from_db()
    return services.year_update(year=year, data=STATEMENT, version=year.version, actor=actor)
