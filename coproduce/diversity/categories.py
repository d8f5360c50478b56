"""The equality-monitoring questions and answers we use, and how they group for figures.

Ethnicity follows the GSS harmonised standard for England (19 groups under 5 headings);
disability follows the GSS two-question standard.
"""

from __future__ import annotations

from django.db import models

PREFER_NOT = "prefer_not"


class Ethnicity(models.TextChoices):
    WHITE_BRITISH = "white_british", "English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "Irish"
    WHITE_GYPSY = "white_gypsy", "Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "Roma"
    WHITE_OTHER = "white_other", "Any other White background"
    MIXED_WBC = "mixed_white_black_caribbean", "White and Black Caribbean"
    MIXED_WBA = "mixed_white_black_african", "White and Black African"
    MIXED_WA = "mixed_white_asian", "White and Asian"
    MIXED_OTHER = "mixed_other", "Any other Mixed or Multiple ethnic background"
    ASIAN_INDIAN = "asian_indian", "Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Chinese"
    ASIAN_OTHER = "asian_other", "Any other Asian background"
    BLACK_CARIBBEAN = "black_caribbean", "Caribbean"
    BLACK_AFRICAN = "black_african", "African"
    BLACK_OTHER = "black_other", "Any other Black, Black British or Caribbean background"
    OTHER_ARAB = "other_arab", "Arab"
    OTHER_ANY = "other_any", "Any other ethnic group"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


ETHNIC_HEADINGS: dict[str, str] = {
    "white": "White",
    "mixed": "Mixed or Multiple ethnic groups",
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "other": "Other ethnic group",
}


def ethnic_heading(code: str) -> str:
    """The GSS heading for a detailed group; White British is kept apart for figures."""
    if code == PREFER_NOT or not code:
        return PREFER_NOT
    return code.split("_", 1)[0]


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class ConditionImpact(models.TextChoices):
    A_LOT = "a_lot", "Yes, a lot"
    A_LITTLE = "a_little", "Yes, a little"
    NOT_AT_ALL = "not_at_all", "Not at all"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


AGE_BANDS: list[tuple[str, int, int]] = [
    ("18-34", 18, 34),
    ("35-49", 35, 49),
    ("50-64", 50, 64),
    ("65-79", 65, 79),
    ("80+", 80, 200),
]


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "under 18"
