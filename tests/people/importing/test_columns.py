"""Line breaks and control characters in one-line columns of a people import are refused on
their line with a clear reason; multi-line columns keep their line breaks."""

from __future__ import annotations

from openpyxl import Workbook

from coproduce.core.text import SINGLE_LINE_MESSAGE
from coproduce.people.importing import analyse_file, import_file
from coproduce.people.models import Person


def test_a_line_break_in_a_quoted_name_is_refused_on_its_line(tmp_path, users):
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"external_ref,first_name,last_name,accessibility_needs\n"
        b"N1,Nia,Okafor,\n"
        b'N2,"Olu\nAli",Ali,"Step-free\nLarge print"\n'
        b"N3,Sam,Jo\x0bnes,\n"
        b'N4,Kim,Lee,"Hearing loop\nPlease"\n'
    )
    result = analyse_file(path)
    reasons = {r.line: r.reason for r in result.rejections}
    assert reasons == {
        3: f"first_name: {SINGLE_LINE_MESSAGE}",
        6: f"last_name: {SINGLE_LINE_MESSAGE}",  # N2 takes lines 3 to 5
    }
    assert result.created == 2


def test_a_control_character_in_a_multi_line_column_is_refused(tmp_path, users):
    path = tmp_path / "people.csv"
    path.write_bytes(b"external_ref,first_name,accessibility_needs\nN1,Nia,Ramp\x07 please\n")
    [rejection] = analyse_file(path).rejections
    assert rejection.line == 2
    assert rejection.reason.startswith("accessibility_needs: Remove the hidden control")


def test_a_spreadsheet_cell_with_a_line_break_in_a_name_is_refused(tmp_path, users):
    book = Workbook()
    sheet = book.active
    sheet.append(["external_ref", "first_name", "last_name"])
    sheet.append(["N1", "Nia", "Okafor"])
    sheet.append(["N2", "Olu\nAli", "Ali"])  # Alt+Enter in a cell
    path = tmp_path / "people.xlsx"
    book.save(path)
    result = import_file(path, actor=users["carol"])
    assert [(r.line, r.reason) for r in result.rejections] == [
        (3, f"first_name: {SINGLE_LINE_MESSAGE}")
    ]
    assert not Person.objects.filter(external_ref__in=["N1", "N2"]).exists()


def test_an_address_over_several_lines_is_kept_on_one_line(tmp_path, users):
    path = tmp_path / "people.csv"
    path.write_bytes(b'external_ref,first_name,address\nN1,Nia,"12 Mill Lane,\r\nNorthfield"\n')
    result = import_file(path, actor=users["carol"])
    assert result.rejections == []
    assert Person.objects.get(external_ref="N1").address == "12 Mill Lane, Northfield"
