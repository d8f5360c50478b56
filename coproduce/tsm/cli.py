"""`coproduce tsm calculate SURVEY.(csv|xlsx) [--weights WEIGHTS.csv] [--out RESULT.json]`.

The tenant perception measures from a survey file, without touching the database. Exit 0 on
success, 2 on bad input with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from coproduce.tsm.calc import (
    GROUPS,
    Figure,
    perception_measures,
    read_weights,
    respondent_weights,
    weight_summary,
)
from coproduce.tsm.survey import SurveyError, read_tsm_survey

PROG = "coproduce tsm calculate"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _figure(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None or figure.percent is None:
        return None
    return {
        "percent": float(figure.percent),
        "numerator": _number(figure.numerator),
        "base": _number(figure.base),
        "respondents": figure.respondents,
    }


def calculate(survey: Path, weights: Path | None) -> dict[str, Any]:
    data = read_tsm_survey(survey.read_bytes(), survey.name)
    weighting = read_weights(weights.read_bytes(), weights.name) if weights else None
    measures = perception_measures(data.responses, weights=weighting)
    result: dict[str, Any] = {
        "respondents": {g: sum(r.tenure == g for r in data.responses) for g in GROUPS},
        "measures": {
            code: {group: _figure(figure) for group, figure in by_group.items()}
            for code, by_group in measures.items()
        },
    }
    if weighting is not None:
        each = respondent_weights(data.responses, weighting)
        result["weights"] = [
            {
                "tenure_type": row.tenure,
                "variable": row.variable,
                "category": row.category,
                "respondents": row.respondents,
                "sample_percent": None if row.sample_percent is None else float(row.sample_percent),
                "population_percent": float(row.population_percent),
                "weighted_percent": (
                    None if row.weighted_percent is None else float(row.weighted_percent)
                ),
                "weight": float(row.weight),
            }
            for row in weight_summary(data.responses, weighting, each)
        ]
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coproduce tsm",
        description="Tenant Satisfaction Measures. `calculate`: the perception measures TP01-TP12 "
        "from a survey file (.csv or .xlsx), separately for LCRA and LCHO respondents.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    calc = sub.add_parser("calculate", help="calculate the perception measures from a survey file")
    calc.add_argument("survey", help="the survey file (.csv or .xlsx), one row per respondent")
    calc.add_argument("--weights", help="weights file (.csv): variable, category, population_share")
    calc.add_argument("--out", help="write the JSON result here instead of to standard output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        if args.out and not Path(args.out).resolve().parent.is_dir():
            raise SurveyError(f"folder for --out does not exist: {Path(args.out).parent}")
        result = calculate(Path(args.survey), Path(args.weights) if args.weights else None)
        payload = json.dumps(result, indent=1, ensure_ascii=False)
        if args.out:
            Path(args.out).write_text(payload + "\n", encoding="utf-8")
        else:
            sys.stdout.write(payload + "\n")
    except SurveyError as exc:
        print(f"{PROG}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{PROG}: error: {reason}: {exc.filename or args.survey}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
