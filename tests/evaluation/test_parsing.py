"""The evidence readers: transcripts, TSM survey exports, TSM figures and documents.

Every fixture is built here, in code: real PDF, DOCX and XLSX files, and VTT/SRT/text.
No database is needed.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from coproduce.evaluation.parsing import (
    TSM_MEASURES,
    EvidenceError,
    Figure,
    Turn,
    read_document,
    read_survey,
    read_transcript,
    read_tsm_figures,
)

# --------------------------------------------------------------------------- builders


def make_pdf(*pages: str) -> bytes:
    """A minimal valid PDF, one page per string (empty string: a page with no text)."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * number for number in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{page_id} 0 R" for page_id in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for page_id, text in zip(page_ids, pages, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {page_id + 1} 0 R >>".encode()
        )
        if text:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode()
        else:
            stream = b"0 0 m 100 100 l S"  # a line drawing, no text: like a scan
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row_number, row in enumerate(table):
            for column, value in enumerate(row):
                grid.cell(row_number, column).text = value
        document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rows: list[list[object]], *, percent_cells: tuple[str, ...] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref in percent_cells:
        sheet[ref].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n"


def error_of(call, *args) -> str:
    with pytest.raises(EvidenceError) as caught:
        call(*args)
    message = str(caught.value)
    assert "\n" not in message  # always one line
    return message


# --------------------------------------------------------------------------- transcripts

VTT = """WEBVTT
Kind: captions

NOTE written by the meeting tool

1
00:00:01.000 --> 00:00:04.000
<v Jane Smith>Welcome, everyone, to the health check.</v>

2
00:00:04.500 --> 00:00:07.000
<v Jane Smith>Let's start with repairs.</v>

3
00:00:07.000 --> 00:00:12.250 align:start
<v.loud Tom Okafor>The repairs line takes &amp; forever to answer.</v>

00:01:02.000 --> 00:01:05.000
Priya: And nobody calls back
when they say they will.

00:01:05.000 --> 00:01:06.000
<v Jane Smith>Thank you.</v>
"""


def test_vtt_voice_tags_labels_and_merging():
    turns = read_transcript(VTT.encode(), "meeting.vtt")
    assert turns == [
        Turn(
            "Jane Smith",
            "Welcome, everyone, to the health check. Let's start with repairs.",
            1.0,
            0,
        ),
        Turn("Tom Okafor", "The repairs line takes & forever to answer.", 7.0, 1),
        Turn("Priya", "And nobody calls back when they say they will.", 62.0, 2),
        Turn("Jane Smith", "Thank you.", 65.0, 3),
    ]


def test_vtt_with_bom_crlf_and_hours():
    data = "\ufeffWEBVTT\r\n\r\n01:02:03.500 --> 01:02:04.000\r\nNo speaker here.\r\n".encode()
    turns = read_transcript(data, "call.VTT")
    assert turns == [Turn("", "No speaker here.", 3723.5, 0)]


def test_vtt_cues_without_speakers_are_not_merged():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nOne.\n\n00:02.000 --> 00:03.000\nTwo.\n"
    assert [turn.text for turn in read_transcript(data, "a.vtt")] == ["One.", "Two."]


def test_vtt_without_header_names_line_1():
    data = b"00:00:01.000 --> 00:00:02.000\nHello\n"
    message = error_of(read_transcript, data, "meeting.vtt")
    assert "meeting.vtt line 1" in message and "WEBVTT" in message


def test_vtt_broken_timestamp_names_the_line():
    data = (
        b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nFine\n\n2\n00:00:5,00 --> 00:00:06.000\nBad\n"
    )
    message = error_of(read_transcript, data, "meeting.vtt")
    assert "line 8" in message and "00:00:5,00" in message and "not a valid cue timing" in message


def test_vtt_cue_without_timing_names_the_line():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nFine\n\nJust some text\nmore\n"
    assert "line 6" in error_of(read_transcript, data, "meeting.vtt")


def test_vtt_end_before_start():
    data = b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n"
    assert "ends before it starts" in error_of(read_transcript, data, "m.vtt")


def test_vtt_with_no_cues():
    assert "no spoken text" in error_of(read_transcript, b"WEBVTT\n\nNOTE nothing\n", "m.vtt")


SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: How are repairs going?

2
00:00:03,500 --> 00:00:06,000
Resident A: <i>Slowly.</i> The damp is back.

3
00:00:06,000 --> 00:00:08,000
Resident A: It's been three months.

4
00:00:08,000 --> 00:00:09,000
Interviewer: Thanks.
"""


def test_srt_labels_and_merging():
    turns = read_transcript(SRT.encode(), "interview.srt")
    assert [(t.speaker, t.text, t.start_seconds) for t in turns] == [
        ("Interviewer", "How are repairs going?", 1.0),
        ("Resident A", "Slowly. The damp is back. It's been three months.", 3.5),
        ("Interviewer", "Thanks.", 8.0),
    ]
    assert [turn.index for turn in turns] == [0, 1, 2]


def test_srt_broken_timing_names_the_line():
    data = b"1\n00:00:01,000 -> 00:00:03,000\nHello\n"
    assert "line 2" in error_of(read_transcript, data, "interview.srt")


def test_srt_without_cue_number_or_timing():
    assert "line 1" in error_of(read_transcript, b"hello there\n", "x.srt")


def test_txt_labelled_lines_become_turns():
    text = (
        "Notes from the estate walkabout\n\n"
        "Chair: Welcome all.\n"
        "Mrs Begum: The bins are overflowing again.\n"
        "They were not collected last week either.\n"
        "Mrs Begum: And the lift is broken.\n"
        "[00:12:30] Housing officer: We will chase it.\n"
    )
    turns = read_transcript(text.encode(), "walkabout.txt")
    assert [(t.speaker, t.text, t.start_seconds) for t in turns] == [
        ("", "Notes from the estate walkabout", None),
        ("Chair", "Welcome all.", None),
        (
            "Mrs Begum",
            "The bins are overflowing again. They were not collected last week either. "
            "And the lift is broken.",
            None,
        ),
        ("Housing officer", "We will chase it.", 750.0),
    ]


def test_txt_teams_style_headings():
    text = "Jane Smith   0:03\nHello everyone.\n\nTom Okafor   1:02:03\nHi, thanks.\nMore.\n"
    turns = read_transcript(text.encode(), "teams.txt")
    assert [(t.speaker, t.text, t.start_seconds) for t in turns] == [
        ("Jane Smith", "Hello everyone.", 3.0),
        ("Tom Okafor", "Hi, thanks. More.", 3723.0),
    ]


def test_txt_without_labels_uses_paragraphs():
    text = "The meeting opened at 7pm.\nTwelve residents came.\n\n\nRepairs were the main topic.\n"
    turns = read_transcript(text.encode(), "notes.txt")
    assert turns == [
        Turn("", "The meeting opened at 7pm. Twelve residents came.", None, 0),
        Turn("", "Repairs were the main topic.", None, 1),
    ]


def test_txt_one_stray_label_does_not_make_it_a_labelled_transcript():
    text = "First paragraph.\n\nSecond paragraph.\n\nNote: the third.\n\nFourth.\n"
    turns = read_transcript(text.encode(), "notes.txt")
    assert [t.speaker for t in turns] == ["", "", "", ""]
    assert turns[2].text == "Note: the third."


def test_docx_transcript():
    data = make_docx(["Chair: Welcome.", "Tenant: The heating is off."])
    turns = read_transcript(data, "minutes.docx")
    assert [(t.speaker, t.text) for t in turns] == [
        ("Chair", "Welcome."),
        ("Tenant", "The heating is off."),
    ]


@pytest.mark.parametrize("name", ["a.vtt", "a.srt", "a.txt", "a.docx"])
def test_transcript_empty_file(name):
    assert error_of(read_transcript, b"", name) == "The file is empty."


def test_transcript_not_utf8():
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\nCaf\xe9\n".encode("latin-1")
    message = error_of(read_transcript, data, "m.vtt")
    assert "not UTF-8" in message and "line 4" in message


def test_transcript_blank_text_and_binary_text():
    assert "no text" in error_of(read_transcript, b"  \n\n ", "notes.txt")
    assert "NUL" in error_of(read_transcript, b"abc\x00def", "notes.txt")


def test_transcript_unsupported_extension():
    message = error_of(read_transcript, b"whatever", "meeting.mp4")
    assert ".vtt" in message and ".srt" in message


# --------------------------------------------------------------------------- survey

SURVEY_CSV = """\
Respondent ID,Survey Date,TP01,TP02,TP05,TP12,Comments,TP02_comment,Area,Tenure,Age band
R001,2025-03-01,1,2,yes,,Happy overall,Repair took weeks,North,General needs,35-44
R002,31/03/2025,5,,no,4,"The lift is always broken, and nobody answers",,South,Sheltered,75+
R003,,3,3,2,3,,,North,,
"""


def test_survey_csv():
    survey = read_survey(csv_bytes(SURVEY_CSV), "tsm.csv")
    assert survey.score_columns == ["TP01", "TP02", "TP05", "TP12"]
    assert survey.comment_columns == ["comments", "tp02_comment"]
    first, second, third = survey.rows
    assert first.line == 2 and first.respondent == "R001"
    assert first.date == dt.date(2025, 3, 1)
    assert first.scores == {"TP01": 1, "TP02": 2, "TP05": 1, "TP12": None}
    assert first.comments == {"comments": "Happy overall", "tp02_comment": "Repair took weeks"}
    assert first.context == {"area": "North", "tenure": "General needs", "age_band": "35-44"}
    assert second.date == dt.date(2025, 3, 31)
    assert second.scores["TP05"] == 0 and second.scores["TP02"] is None
    assert second.comments["comments"] == "The lift is always broken, and nobody answers"
    assert third.line == 4 and third.date is None and third.context["tenure"] == ""


def test_survey_xlsx_with_numbers_and_dates():
    data = make_xlsx(
        [
            ["id", "date", "TP1", "TP06", "comment"],
            ["A1", dt.datetime(2025, 2, 3), 4, 2.0, "Nobody listens"],
            [None, None, None, None, None],  # blank rows are skipped
            ["A2", None, None, 5],  # short spreadsheet rows are fine
        ]
    )
    survey = read_survey(data, "tsm.xlsx")
    assert survey.score_columns == ["TP01", "TP06"]
    assert [(r.line, r.respondent, r.date, r.scores) for r in survey.rows] == [
        (2, "A1", dt.date(2025, 2, 3), {"TP01": 4, "TP06": 2}),
        (4, "A2", None, {"TP01": None, "TP06": 5}),
    ]
    assert survey.rows[1].comments == {"comment": ""}


def test_survey_unknown_columns_are_named():
    data = csv_bytes("id,TP01,comment,Postcode,TP13,satisfation\nR1,1,ok,M1 1AE,2,3\n")
    message = error_of(read_survey, data, "tsm.csv")
    assert "'Postcode'" in message and "'TP13'" in message and "'satisfation'" in message


def test_survey_unknown_column_suggests_a_close_name():
    message = error_of(read_survey, csv_bytes("respondant_id,TP01\nR1,1\n"), "tsm.csv")
    assert "did you mean 'respondent_id'?" in message


def test_survey_score_out_of_range_names_line_and_column():
    data = csv_bytes("id,TP01,TP03\nR1,1,2\nR2,3,7\n")
    message = error_of(read_survey, data, "tsm.csv")
    assert message == "tsm.csv line 3: TP03 is '7' but must be a whole number from 1 to 5 or blank."


@pytest.mark.parametrize("value", ["0", "6", "2.5", "yes", "very satisfied"])
def test_survey_bad_scores(value):
    assert "TP01" in error_of(read_survey, csv_bytes(f"id,TP01\nR1,{value}\n"), "s.csv")


def test_survey_tp05_bad_value():
    message = error_of(read_survey, csv_bytes("id,TP05\nR1,maybe\n"), "s.csv")
    assert "1 to 5, yes, no or blank" in message


def test_survey_duplicate_respondents_give_both_lines():
    data = csv_bytes("id,TP01\nR1,1\nR2,2\nR1,3\n")
    message = error_of(read_survey, data, "s.csv")
    assert "'R1'" in message and "lines 2 and 4" in message


def test_survey_header_only_and_empty():
    assert "no rows" in error_of(read_survey, csv_bytes("id,TP01,comment"), "s.csv")
    assert error_of(read_survey, b"", "s.csv") == "The file is empty."
    assert "no column names" in error_of(read_survey, b"\r\n\r\n", "s.csv")


def test_survey_semicolons_are_refused():
    message = error_of(read_survey, csv_bytes("id;TP01;comment\nR1;1;ok\n"), "s.csv")
    assert "semicolons" in message and "commas" in message


def test_survey_needs_an_id_column_and_something_to_import():
    assert "respondent id column" in error_of(read_survey, csv_bytes("TP01\n1\n"), "s.csv")
    assert "nothing to import" in error_of(read_survey, csv_bytes("id,area\nR1,N\n"), "s.csv")
    assert "more than one respondent id" in error_of(
        read_survey, csv_bytes("id,respondent,TP01\n1,2,3\n"), "s.csv"
    )


def test_survey_row_problems():
    assert "line 2: the respondent id is empty" in error_of(
        read_survey, csv_bytes("id,TP01\n,1\n"), "s.csv"
    )
    assert "not a date" in error_of(
        read_survey, csv_bytes("id,date,TP01\nR1,31/02/2025,1\n"), "s.csv"
    )
    assert "line 3 has 1 values" in error_of(
        read_survey, csv_bytes("id,TP01,comment\nR1,1,ok\nsplit comment\n"), "s.csv"
    )
    assert "line 2 has 4 values" in error_of(read_survey, csv_bytes("id,TP01\nR1,1,2,3\n"), "s.csv")
    assert "missing closing quote" in error_of(
        read_survey, b'id,comment\r\nR1,"never closed\r\n', "s.csv"
    )
    assert "appears more than once" in error_of(
        read_survey, csv_bytes("id,TP01,tp1\nR1,1,1\n"), "s.csv"
    )


def test_survey_unnamed_empty_columns_are_ignored_but_not_with_values():
    assert len(read_survey(csv_bytes("id,TP01,\nR1,1,\n"), "s.csv").rows) == 1
    assert "no column name" in error_of(read_survey, csv_bytes("id,TP01,\nR1,1,x\n"), "s.csv")


def test_survey_wrong_file_types():
    assert "not an Excel spreadsheet" in error_of(read_survey, b"id,TP01\n1,1\n", "s.xlsx")
    assert "Excel workbook, not a CSV" in error_of(read_survey, make_xlsx([["id"]]), "s.csv")
    message = error_of(read_survey, b"id\tTP01\n", "s.xls")
    assert ".xls" in message and "CSV UTF-8" in message
    assert "no extension" in error_of(read_survey, b"x", "survey")
    assert "not UTF-8" in error_of(
        read_survey, "id,comment\nR1,caf\xe9\n".encode("cp1252"), "s.csv"
    )


# --------------------------------------------------------------------------- TSM figures


def test_tsm_measures_are_all_22():
    assert len(TSM_MEASURES) == 22
    assert TSM_MEASURES["TP01"] == "Overall satisfaction"
    assert TSM_MEASURES["TP06"] == (
        "Satisfaction that the landlord listens to tenant views and acts upon them"
    )
    assert TSM_MEASURES["RP01"] == "Homes that do not meet the Decent Homes Standard"
    assert TSM_MEASURES["BS01"] == "Gas safety checks"
    assert (
        TSM_MEASURES["NM01"] == "Anti-social behaviour cases relative to the size of the landlord"
    )
    assert list(TSM_MEASURES)[:12] == [f"TP{n:02d}" for n in range(1, 13)]


def test_tsm_figures_csv():
    data = csv_bytes(
        "Code,Value,Year,Description\n"
        "RP01,2.5%,2024/25,Non-decent homes\n"
        "rp2,97,2024/25,\n"
        'CH01 ,"1,031.2",2024/25,Complaints per 1000 homes\n'
    )
    assert read_tsm_figures(data, "tsm.csv") == [
        Figure("RP01", 2.5, "2024/25", "Non-decent homes"),
        Figure("RP02", 97.0, "2024/25", ""),
        Figure("CH01", 1031.2, "2024/25", "Complaints per 1000 homes"),
    ]


def test_tsm_figures_values():
    data = csv_bytes(
        "code,value,year\nRP01,2.5%,2024/25\nBS01,99.8,2024/25\nCH01,31.2,2024/25\nNM01,45,\n"
    )
    assert read_tsm_figures(data, "tsm.csv") == [
        Figure("RP01", 2.5, "2024/25", ""),
        Figure("BS01", 99.8, "2024/25", ""),
        Figure("CH01", 31.2, "2024/25", ""),
        Figure("NM01", 45.0, "", ""),
    ]


def test_tsm_figures_xlsx_percent_cells():
    data = make_xlsx(
        [["code", "value", "description"], ["BS02", 0.985, "Fire"], ["CH02", "85%", ""]],
        percent_cells=("B2",),
    )
    assert read_tsm_figures(data, "figures.xlsx") == [
        Figure("BS02", 98.5, "", "Fire"),
        Figure("CH02", 85.0, "", ""),
    ]


def test_tsm_figures_errors():
    assert "line 3: 'TP01' is not a TSM management measure code" in error_of(
        read_tsm_figures, csv_bytes("code,value\nRP01,1\nTP01,2\n"), "f.csv"
    )
    assert "'BS06'" in error_of(read_tsm_figures, csv_bytes("code,value\nBS06,1\n"), "f.csv")
    assert "must be a number" in error_of(
        read_tsm_figures, csv_bytes("code,value\nRP01,lots\n"), "f.csv"
    )
    assert "more than 100" in error_of(
        read_tsm_figures, csv_bytes("code,value\nBS03,101\n"), "f.csv"
    )
    assert "negative" in error_of(read_tsm_figures, csv_bytes("code,value\nCH01,-1\n"), "f.csv")
    assert "lines 2 and 3" in error_of(
        read_tsm_figures, csv_bytes("code,value,year\nRP01,1,2025\nRP01,2,2025\n"), "f.csv"
    )
    assert "'value'" in error_of(read_tsm_figures, csv_bytes("code,year\nRP01,2025\n"), "f.csv")
    assert "'notes'" in error_of(
        read_tsm_figures, csv_bytes("code,value,notes\nRP01,1,x\n"), "f.csv"
    )
    assert "no rows" in error_of(read_tsm_figures, csv_bytes("code,value\n"), "f.csv")
    assert error_of(read_tsm_figures, b"", "f.xlsx") == "The file is empty."
    assert "not a TSM management measure code" in error_of(
        read_tsm_figures, csv_bytes("code,value\nBS01(1),1\n"), "f.csv"
    )
    assert "one part of CH01" in error_of(
        read_tsm_figures, csv_bytes("code,value\nCH01(1),1\n"), "f.csv"
    )


def test_tsm_figures_same_code_in_different_years_is_fine():
    data = csv_bytes("code,value,year\nRP01,3,2023/24\nRP01,2,2024/25\n")
    assert [figure.value for figure in read_tsm_figures(data, "f.csv")] == [3.0, 2.0]


# --------------------------------------------------------------------------- documents


def test_pdf_text():
    data = make_pdf("Repairs policy (2025)", "Page two: damp and mould")
    text = read_document(data, "policy.pdf")
    assert "Repairs policy (2025)" in text and "Page two: damp and mould" in text


def test_pdf_without_text_is_probably_a_scan():
    message = error_of(read_document, make_pdf(""), "scan.pdf")
    assert "has no text we can read (is it a scan?)" in message


def test_corrupt_pdfs():
    assert "not a PDF" in error_of(read_document, b"hello, world", "fake.pdf")
    truncated = make_pdf("Some text")[:60]
    assert "damaged" in error_of(read_document, truncated, "broken.pdf")


def test_docx_paragraphs_and_tables_in_order():
    data = make_docx(
        ["Estate inspection", "The stairwell lights are out."],
        table=[["Block", "Issue"], ["Brunel House", "Lift broken"]],
    )
    assert read_document(data, "inspection.docx") == (
        "Estate inspection\nThe stairwell lights are out.\nBlock | Issue\n"
        "Brunel House | Lift broken\nAfter the table."
    )


def test_corrupt_and_empty_docx():
    assert "not a Word document" in error_of(read_document, b"plain text", "notes.docx")
    assert "damaged" in error_of(read_document, make_xlsx([["x"]]), "notes.docx")
    assert "no text" in error_of(read_document, make_docx([""]), "blank.docx")


def test_txt_document_and_bad_input():
    assert read_document("\ufeff  Caf\u00e9 notes\r\n".encode(), "notes.txt") == "Caf\u00e9 notes"
    assert error_of(read_document, b"", "notes.pdf") == "The file is empty."
    assert "not UTF-8" in error_of(read_document, b"caf\xe9", "notes.txt")
    message = error_of(read_document, b"x", "notes.doc")
    assert ".pdf, .docx or .txt" in message


@pytest.mark.parametrize("reader", [read_transcript, read_survey, read_tsm_figures, read_document])
@pytest.mark.parametrize("junk", [b"\x00\x01\x02", b"PK\x03\x04garbage", b"%PDF-1.4 junk"])
@pytest.mark.parametrize("name", ["f.vtt", "f.srt", "f.txt", "f.csv", "f.xlsx", "f.pdf", "f.docx"])
def test_garbage_only_ever_raises_evidence_error(reader, junk, name):
    try:
        reader(junk, name)
    except EvidenceError as exc:
        assert str(exc) and "\n" not in str(exc)


def _encrypted(data: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdfs():
    plain = make_pdf("Board minutes")
    assert "Board minutes" in read_document(_encrypted(plain, ""), "open.pdf")
    message = error_of(read_document, _encrypted(plain, "secret"), "locked.pdf")
    assert "password" in message


def test_survey_tabs_are_refused():
    assert "tabs" in error_of(read_survey, b"id\tTP01\nR1\t1\n", "s.csv")


def test_srt_without_cue_numbers():
    data = b"00:00:01,000 --> 00:00:02,000\nChair: Hello.\n\n00:00:02,000 --> 00:00:03,000\nHi.\n"
    turns = read_transcript(data, "x.srt")
    assert [(t.speaker, t.text) for t in turns] == [("Chair", "Hello."), ("", "Hi.")]


def test_vtt_cue_straight_after_the_header():
    data = b"WEBVTT\n00:00:01.000 --> 00:00:02.000\nHello\n"
    assert "line 2: a blank line is needed" in error_of(read_transcript, data, "m.vtt")


def test_sentences_with_colons_are_not_speakers():
    data = (
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nI said to them: fix it.\n\n"
        b"00:02.000 --> 00:03.000\nso: what now\n"
    )
    assert [(t.speaker, t.text) for t in read_transcript(data, "m.vtt")] == [
        ("", "I said to them: fix it."),
        ("", "so: what now"),
    ]
