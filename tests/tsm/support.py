"""Small hand-made surveys for the TSM tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from coproduce.tsm.survey import Response, read_tsm_survey


def survey_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def responses(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[Response]:
    """Respondents r1, r2, ... with the given columns (an id column first, and a blank TP01
    column when there is none: every survey must have the overall question)."""
    extra = [] if "TP01" in header else ["TP01"]
    body = [[f"r{number}", *row, *[""] * len(extra)] for number, row in enumerate(rows, 1)]
    return read_tsm_survey(survey_csv(["id", *header, *extra], body), "survey.csv").responses
