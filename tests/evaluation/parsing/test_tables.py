"""Control characters in survey and TSM files are refused with the line and column; comment
and description cells keep their line breaks."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from coproduce.core.text import SINGLE_LINE_MESSAGE
from coproduce.evaluation.parsing import EvidenceError, read_survey, read_tsm_figures


def _xlsx(rows) -> bytes:
    import io

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_line_break_in_a_survey_id_is_refused_with_its_line():
    data = b'respondent_id,TP01,comment\nR1,4,Fine\n"R\n2",3,Slow repairs\n'
    with pytest.raises(EvidenceError) as caught:
        read_survey(data, "survey.csv")
    assert str(caught.value) == f"survey.csv line 3: respondent_id: {SINGLE_LINE_MESSAGE}"


def test_a_line_break_in_a_survey_comment_is_kept():
    data = b'respondent_id,TP01,comment\nR1,4,"Fine\nreally"\n'
    [row] = read_survey(data, "survey.csv").rows
    assert row.comments["comment"] == "Fine\nreally"


def test_a_control_character_in_a_spreadsheet_area_is_refused():
    data = _xlsx([["respondent_id", "TP01", "area"], ["R1", 4, "North\tfield"]])
    with pytest.raises(EvidenceError) as caught:
        read_survey(data, "survey.xlsx")
    assert str(caught.value) == f"survey.xlsx line 2: area: {SINGLE_LINE_MESSAGE}"


def test_a_control_character_in_a_comment_is_refused():
    data = b"respondent_id,TP01,comment\nR1,4,Bell\x07here\n"
    with pytest.raises(EvidenceError) as caught:
        read_survey(data, "survey.csv")
    assert "line 2: comment: Remove the hidden control characters" in str(caught.value)


def test_a_line_break_in_a_tsm_year_is_refused():
    data = b'code,value,year\nRP01,85,"2025\n26"\n'
    with pytest.raises(EvidenceError) as caught:
        read_tsm_figures(data, "tsm.csv")
    assert str(caught.value) == f"tsm.csv line 2: year: {SINGLE_LINE_MESSAGE}"
