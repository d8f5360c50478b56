"""`coproduce tsm calculate` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coproduce import cli

from .support import survey_csv


def write(tmp_path: Path, name: str, header: list[str], rows: list[list[object]]) -> Path:
    path = tmp_path / name
    path.write_bytes(survey_csv(header, rows))
    return path


def test_calculate_writes_the_design_contract_json(tmp_path: Path) -> None:
    survey = write(
        tmp_path,
        "survey.csv",
        ["respondent_id", "tenure_type", "TP01", "TP02", "area"],
        [["a", "LCRA", 5, 4, "North"], ["b", "LCRA", 2, "", "South"], ["c", "LCHO", 4, "", "North"],
         ["d", "LCRA", "Don't know", 1, "South"]],
    )  # fmt: skip
    out = tmp_path / "result.json"
    assert cli.main(["tsm", "calculate", str(survey), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["respondents"] == {"LCRA": 3, "LCHO": 1}
    # TP01 LCRA: a (5) and b (2) are valid, d said don't know -> 1/2 = 50.0%.
    assert result["measures"]["TP01"]["LCRA"] == {
        "percent": 50.0,
        "numerator": 1,
        "base": 2,
        "respondents": 2,
    }
    assert result["measures"]["TP01"]["LCHO"] == {
        "percent": 100.0,
        "numerator": 1,
        "base": 1,
        "respondents": 1,
    }
    assert result["measures"]["TP02"]["LCHO"] is None  # LCRA only
    assert result["measures"]["TP09"] == {"LCRA": None, "LCHO": None}  # no base: null
    assert "weights" not in result


def test_calculate_with_weights_prints_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = write(
        tmp_path,
        "survey.csv",
        ["id", "tenure_type", "TP01", "area"],
        [["a", "LCRA", 5, "North"], ["b", "LCRA", 1, "South"], ["c", "LCRA", 1, "South"]],
    )
    weights = write(
        tmp_path,
        "w.csv",
        ["variable", "category", "population_share"],
        [["area", "North", 50], ["area", "South", 50]],
    )
    assert cli.main(["tsm", "calculate", str(survey), "--weights", str(weights)]) == 0
    result = json.loads(capsys.readouterr().out)
    # North weight 0.5 x 3 / 1 = 1.5, South 0.5 x 3 / 2 = 0.75: TP01 = 1.5 / 3 = 50.0%.
    assert result["measures"]["TP01"]["LCRA"] == {
        "percent": 50.0,
        "numerator": 1.5,
        "base": 3,
        "respondents": 3,
    }
    assert [(w["category"], w["weight"]) for w in result["weights"]] == [
        ("north", 1.5),
        ("south", 0.75),
    ]


def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = write(tmp_path, "survey.csv", ["id", "tenure_type", "TP01"], [["a", "", 5]])
    assert cli.main(["tsm", "calculate", str(survey)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "coproduce tsm calculate: error: survey.csv line 2, column tenure_type: respondent 'a' "
        "has no tenure type; write LCRA or LCHO.\n"
    )
    assert cli.main(["tsm", "calculate", str(tmp_path / "missing.csv")]) == 2
    assert "No such file or directory" in capsys.readouterr().err
