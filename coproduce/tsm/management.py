"""The management information measures (BS01-BS05, RP01-RP02, CH01-CH02, NM01), with parts.

Pure Python: no Django. Each measure is a numerator over a denominator, as the Technical
Requirements define it: a percentage, or a rate per 1,000 homes for the complaints (CH01) and
anti-social behaviour (NM01) measures. Results are rounded to one decimal place, half up.

NM02: the 2024 Technical Requirements have no NM02; anti-social behaviour is NM01 in two parts
(all cases, and cases involving hate incidents). We could not read past the introduction of the
draft TSM Direction (December 2025), so NM02 is left out until its text is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from coproduce.core import tabular
from coproduce.tsm.survey import SurveyError

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Spec:
    code: str
    part: int | None
    name: str
    numerator: str
    denominator: str
    kind: str  # "percent" | "per_1000"


_HOMES = "homes (dwelling units) of the relevant stock at the year end"
MANAGEMENT: tuple[Spec, ...] = (
    Spec(
        "RP01",
        None,
        "Homes that do not meet the Decent Homes Standard",
        "homes that do not meet the Decent Homes Standard",
        "homes owned",
        "percent",
    ),
    Spec(
        "RP02",
        1,
        "Non-emergency repairs completed within target timescale",
        "non-emergency responsive repairs completed within the landlord's target timescale",
        "non-emergency responsive repairs completed",
        "percent",
    ),
    Spec(
        "RP02",
        2,
        "Emergency repairs completed within target timescale",
        "emergency responsive repairs completed within the landlord's target timescale",
        "emergency responsive repairs completed",
        "percent",
    ),
    Spec(
        "BS01",
        None,
        "Gas safety checks",
        "homes with all required gas safety checks done",
        "homes that need gas safety checks",
        "percent",
    ),
    Spec(
        "BS02",
        None,
        "Fire safety checks",
        "homes with all required fire risk assessments done",
        "homes that need fire risk assessments",
        "percent",
    ),
    Spec(
        "BS03",
        None,
        "Asbestos safety checks",
        "homes with all required asbestos surveys done",
        "homes that need asbestos management surveys or re-inspections",
        "percent",
    ),
    Spec(
        "BS04",
        None,
        "Water safety checks",
        "homes with all required legionella risk assessments done",
        "homes that need legionella risk assessments",
        "percent",
    ),
    Spec(
        "BS05",
        None,
        "Lift safety checks",
        "homes with all required lift safety checks done",
        "homes that need communal passenger lift safety checks",
        "percent",
    ),
    Spec(
        "CH01",
        1,
        "Stage one complaints per 1,000 homes",
        "stage one complaints received",
        _HOMES,
        "per_1000",
    ),
    Spec(
        "CH01",
        2,
        "Stage two complaints per 1,000 homes",
        "stage two complaints received",
        _HOMES,
        "per_1000",
    ),
    Spec(
        "CH02",
        1,
        "Stage one complaints responded to within the Complaint Handling Code timescales",
        "stage one complaints responded to within the Code's timescales",
        "stage one complaints responded to",
        "percent",
    ),
    Spec(
        "CH02",
        2,
        "Stage two complaints responded to within the Complaint Handling Code timescales",
        "stage two complaints responded to within the Code's timescales",
        "stage two complaints responded to",
        "percent",
    ),
    Spec(
        "NM01",
        1,
        "Anti-social behaviour cases per 1,000 homes",
        "anti-social behaviour cases opened",
        _HOMES,
        "per_1000",
    ),
    Spec(
        "NM01",
        2,
        "Anti-social behaviour cases that involve hate incidents per 1,000 homes",
        "anti-social behaviour cases opened that involve hate incidents",
        _HOMES,
        "per_1000",
    ),
)
SPECS = {(spec.code, spec.part): spec for spec in MANAGEMENT}


def label(spec: Spec) -> str:
    return spec.code if spec.part is None else f"{spec.code}({spec.part})"


def management_result(spec: Spec, numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """The measure to one decimal place; None for a zero denominator; ValueError for bad input."""
    if numerator < 0 or denominator < 0:
        raise ValueError(f"{label(spec)}: the numerator and denominator cannot be negative.")
    if spec.kind == "percent" and numerator > denominator:
        raise ValueError(
            f"{label(spec)}: the numerator ({numerator}) is more than the denominator "
            f"({denominator}), so it cannot be a percentage."
        )
    if denominator == 0:
        return None
    scale = Decimal(100) if spec.kind == "percent" else Decimal(1000)
    with localcontext() as context:
        context.prec = 60
        return (numerator * scale / denominator).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ManagementRow:
    line: int
    code: str
    part: int | None
    numerator: Decimal
    denominator: Decimal


NUMBER_LIMIT = Decimal(10) ** 12  # ManagementFigure's numbers: 14 digits, 2 after the point


def _number(text: str, where: str, column: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise SurveyError(f"{where}, column {column}: '{text}' is not a number.") from None
    if not value.is_finite():
        raise SurveyError(f"{where}, column {column}: '{text}' is not a number.")
    if value < 0:
        raise SurveyError(f"{where}, column {column}: '{text}' is negative.")
    if value >= NUMBER_LIMIT:
        raise SurveyError(
            f"{where}, column {column}: '{text}' is too big; the most is 999,999,999,999."
        )
    return value


def _code_and_part(code_text: str, part_text: str, where: str) -> tuple[str, int | None]:
    text = code_text.strip().upper().replace(" ", "")
    if "(" in text and text.endswith(")") and not part_text:  # "CH01(1)"
        text, part_text = text[:-1].split("(", 1)
    if len(text) == 3 and text[:2].isalpha() and text[2].isdigit():  # "RP2" -> "RP02"
        text = f"{text[:2]}0{text[2]}"
    part: int | None = None
    if part_text:
        if part_text.strip() not in {"1", "2"}:
            raise SurveyError(f"{where}, column part: '{part_text}' must be 1, 2 or blank.")
        part = int(part_text.strip())
    if (text, part) not in SPECS:
        known = sorted({label(spec) for spec in MANAGEMENT})
        if any(spec.code == text for spec in MANAGEMENT):
            parts = sorted(str(spec.part) for spec in MANAGEMENT if spec.code == text)
            need = f"a part ({' or '.join(parts)})" if part is None else "no part"
            raise SurveyError(f"{where}, column code: {text} needs {need}.")
        raise SurveyError(
            f"{where}, column code: '{code_text}' is not a management measure; use one of "
            f"{', '.join(known)}."
        )
    return text, part


def read_management_file(data: bytes, filename: str) -> list[ManagementRow]:
    """Rows with columns code, part, numerator, denominator (.csv or .xlsx), all or nothing."""
    suffix = tabular.suffix_of(filename)
    if suffix not in tabular.SUFFIXES:
        raise SurveyError(f"{filename}: save the figures as 'CSV UTF-8 (.csv)' or '.xlsx'.")
    try:
        reader = tabular.csv_rows if suffix == ".csv" else tabular.xlsx_rows
        rows = [row for row in reader(data, name=filename) if any(row.cells)]
    except tabular.TableError as exc:
        raise SurveyError(f"{filename}: {exc}.") from None
    if not rows:
        raise SurveyError(f"{filename} is empty.")
    columns = ("code", "part", "numerator", "denominator")
    header = [tabular.header_key(cell) for cell in rows[0].cells]
    for cell, key in zip(rows[0].cells, header, strict=True):
        if key and key not in columns:
            raise SurveyError(
                f"{filename} line 1: unknown column '{cell}'; the columns are code, part, "
                "numerator and denominator."
            )
    for name in ("code", "numerator", "denominator"):
        if name not in header:
            raise SurveyError(f"{filename} line 1: missing the column {name}.")
    position = {key: header.index(key) for key in columns if key in header}
    result: list[ManagementRow] = []
    seen: dict[tuple[str, int | None], int] = {}
    for row in rows[1:]:
        where = f"{filename} line {row.line}"
        if row.problem:
            raise SurveyError(f"{filename} {row.problem}.")
        cells = row.cells + [""] * len(header)
        part_text = cells[position["part"]] if "part" in position else ""
        code, part = _code_and_part(cells[position["code"]], part_text, where)
        numerator = _number(cells[position["numerator"]], where, "numerator")
        denominator = _number(cells[position["denominator"]], where, "denominator")
        spec = SPECS[(code, part)]
        try:
            management_result(spec, numerator, denominator)
        except ValueError as exc:
            raise SurveyError(f"{where}: {exc}") from None
        if (code, part) in seen:
            raise SurveyError(
                f"{where}: {label(spec)} is given twice, on lines {seen[(code, part)]} and "
                f"{row.line}."
            )
        seen[(code, part)] = row.line
        result.append(ManagementRow(row.line, code, part, numerator, denominator))
    if not result:
        raise SurveyError(f"{filename} has column names but no rows.")
    return result
