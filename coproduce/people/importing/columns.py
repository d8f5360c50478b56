"""The columns of a people import: what each heading means and how its cell text is checked,
tidied and compared (see docs/import-people.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from coproduce.core.text import (
    MULTILINE_MESSAGE,
    SINGLE_LINE_MESSAGE,
    multiline_problem,
    single_line_problem,
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

MAX_AGE = 120
# Free text (accessibility needs) has no length in the database; a row is not a document.
MAX_TEXT = 5000


class RowError(ValueError):
    """One value in one row is wrong. The message names the column and the problem."""


def _max_length(name: str) -> int | None:
    model_field = Area._meta.get_field("name") if name == "area" else Person._meta.get_field(name)
    return getattr(model_field, "max_length", None) or (MAX_TEXT if _is_multiline(name) else None)


def _is_multiline(name: str) -> bool:
    return name != "area" and isinstance(Person._meta.get_field(name), models.TextField)


def _text(name: str, *, required: bool = False) -> Callable[[str], str]:
    limit = _max_length(name)
    multiline = _is_multiline(name)

    def parse(value: str) -> str:
        if required and not value:
            raise RowError(f"{name} is empty but is required")
        if multiline and multiline_problem(value):
            raise RowError(f"{name}: {MULTILINE_MESSAGE}")
        if not multiline and single_line_problem(value):
            raise RowError(f"{name}: {SINGLE_LINE_MESSAGE}")
        if limit is not None and len(value) > limit:
            raise RowError(f"{name} is {len(value)} characters long; the most allowed is {limit}")
        return value

    return parse


def _address(value: str) -> str:
    """Housing systems often export an address over several lines: keep it, on one line."""
    lines = [line.strip(" ,") for line in value.replace("\r\n", "\n").split("\n")]
    return _address_text(", ".join(line for line in lines if line))


_address_text = _text("address")


def _postcode(value: str) -> str:
    value = " ".join(value.upper().split())
    if len(value) > 10:
        raise RowError(f"postcode {value!r} is too long for a postcode")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RowError(f"email {value!r} is not an email address") from None
    return value


def _lookup(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {}
    for code, label in choices.choices:
        table[str(code).lower()] = code
        table[str(label).lower()] = code
    table.update(extra or {})
    table.pop("", None)  # blank is handled by each column's own default
    return table


def _choice(name: str, choices: Any, default: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    table = _lookup(choices, extra)
    codes = ", ".join(code for code in choices.values if code)

    def parse(value: str) -> str:
        if not value:
            return default
        try:
            return table[value.lower()]
        except KeyError:
            raise RowError(f"{name} {value!r} is not one of: {codes}") from None

    return parse


def _multi(name: str, choices: Any) -> Callable[[str], list[str]]:
    table = _lookup(choices)
    order = {code: index for index, code in enumerate(choices.values)}
    codes = ", ".join(choices.values)

    def parse(value: str) -> list[str]:
        found: set[str] = set()
        for part in value.split(";"):
            part = part.strip()
            if not part:
                continue
            try:
                found.add(table[part.lower()])
            except KeyError:
                hint = " (separate values with semicolons)" if "," in part else ""
                raise RowError(f"{name} {part!r} is not one of: {codes}{hint}") from None
        return sorted(found, key=order.__getitem__)

    return parse


def _list_canon(choices: Any) -> Callable[[Any], str]:
    order = {code: index for index, code in enumerate(choices.values)}

    def canon(value: Any) -> str:
        codes = [str(code) for code in (value or [])]
        return ";".join(sorted(set(codes), key=lambda code: (order.get(code, 99), code)))

    return canon


ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date_of_birth(value: str) -> dt.date | None:
    if not value:
        return None
    # Regular expressions, not strptime: this runs once per row and strptime is slow.
    born = None
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := UK_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        year = month = day = ""
    if year:
        try:
            born = dt.date(int(year), int(month), int(day))
        except ValueError:
            born = None
    if born is None:
        raise RowError(
            f"date_of_birth {value!r} is not a real date in the form YYYY-MM-DD or DD/MM/YYYY"
        )
    today = _today()
    if born > today:
        raise RowError(f"date_of_birth {value!r} is in the future")
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years > MAX_AGE:
        raise RowError(f"date_of_birth {value!r} would make them {years}, older than {MAX_AGE}")
    return born


def _today() -> dt.date:
    return timezone.localdate()


TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


def _consent(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError(f"contact_consent {value!r} must be yes, no, true, false, 1, 0 or blank")


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _date_canon(value: Any) -> str:
    return value.isoformat() if value else ""


def _bool_canon(value: Any) -> str:
    return "1" if value else "0"


@dataclass(frozen=True)
class Column:
    name: str  # the column heading in the file
    attr: str  # the model attribute it is saved to
    parse: Callable[[str], Any]  # cell text -> value to save; raises RowError
    canon: Callable[[Any], str] = _str  # saved value -> comparable text
    example: str = ""
    required: bool = False


CARING_WORDS = {"true": "yes", "y": "yes", "1": "yes", "false": "no", "n": "no", "0": "no"}

COLUMNS: tuple[Column, ...] = (
    Column(
        "external_ref",
        "external_ref",
        _text("external_ref", required=True),
        example="HA-000123",
        required=True,
    ),
    Column(
        "first_name", "first_name", _text("first_name", required=True), example="Sam", required=True
    ),
    Column("last_name", "last_name", _text("last_name"), example="Jones"),
    Column("email", "email", _email, example="sam.jones@example.org"),
    Column("phone", "phone", _text("phone"), example="07700 900123"),
    Column("address", "address", _address, example="12 Mill Lane, Northfield"),
    Column("postcode", "postcode", _postcode, example="NF1 2AB"),
    Column("area", "area_id", _text("area"), example="Northfield"),  # resolved to an Area below
    Column("scheme", "scheme", _text("scheme"), example="Mill Court"),
    Column(
        "tenure", "tenure", _choice("tenure", Tenure, Tenure.GENERAL_NEEDS), example="general_needs"
    ),
    Column("date_of_birth", "date_of_birth", _date_of_birth, _date_canon, example="1975-04-21"),
    Column(
        "preferred_channels",
        "preferred_channels",
        _multi("preferred_channels", Channel),
        _list_canon(Channel),
        example="in_person;phone",
    ),
    Column(
        "availability",
        "availability",
        _multi("availability", Availability),
        _list_canon(Availability),
        example="weekday_evening;weekend",
    ),
    Column(
        "accessibility_needs",
        "accessibility_needs",
        _text("accessibility_needs"),
        example="Step-free access",
    ),
    Column(
        "language_needs", "language_needs", _text("language_needs"), example="British Sign Language"
    ),
    Column(
        "caring_responsibilities",
        "caring_responsibilities",
        _choice("caring_responsibilities", Caring, "", CARING_WORDS),
        example="no",
    ),
    Column(
        "digital_access",
        "digital_access",
        _choice("digital_access", DigitalAccess, ""),
        example="needs_support",
    ),
    Column(
        "reward_preference",
        "reward_preference",
        _choice("reward_preference", RewardPreference, ""),
        example="voucher",
    ),
    Column("contact_consent", "contact_consent", _consent, _bool_canon, example="yes"),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED = tuple(column.name for column in COLUMNS if column.required)


def template_csv() -> str:
    """The expected header and one example row, as CSV text (`--template`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(column.example for column in COLUMNS)
    return out.getvalue()
