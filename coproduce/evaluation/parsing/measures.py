"""The Tenant Satisfaction Measures: codes, names and which are percentages."""

from __future__ import annotations

from coproduce.tsm.measures import PERCEPTION_CODES, TSM_MEASURES

__all__ = ["TSM_MEASURES", "SCORE_CODES", "FIGURE_CODES", "PERCENT_CODES", "PART_CODES"]

SCORE_CODES = PERCEPTION_CODES
FIGURE_CODES = ("RP01", "RP02", "BS01", "BS02", "BS03", "BS04", "BS05", "CH01", "CH02", "NM01")
# Management figures that are percentages (0-100). CH01 and NM01 are rates per 1,000 homes.
PERCENT_CODES = frozenset({"RP01", "RP02", "BS01", "BS02", "BS03", "BS04", "BS05", "CH02"})
# Measures the regulator splits into two parts, e.g. "CH01(1)" stage one and "CH01(2)" stage
# two complaints. This format takes one value per measure, so parts are refused with a message.
PART_CODES = frozenset({"RP02", "CH01", "CH02", "NM01"})
