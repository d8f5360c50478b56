"""Meeting transcripts as evidence: .vtt, .srt, .txt and .docx."""

from __future__ import annotations

import pytest

from coproduce.evaluation.parsing import (
    Turn,
    read_transcript,
)
from tests.evaluation.parsing.builders import error_of, make_docx

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
            7.0,  # a merged turn ends where its last cue ends
            cue=0,  # and is found at its first cue
        ),
        Turn("Tom Okafor", "The repairs line takes & forever to answer.", 7.0, 12.25, cue=2),
        Turn("Priya", "And nobody calls back when they say they will.", 62.0, 65.0, cue=3),
        Turn("Jane Smith", "Thank you.", 65.0, 66.0, cue=4),
    ]


def test_vtt_with_bom_crlf_and_hours():
    data = "\ufeffWEBVTT\r\n\r\n01:02:03.500 --> 01:02:04.000\r\nNo speaker here.\r\n".encode()
    turns = read_transcript(data, "call.VTT")
    assert turns == [Turn("", "No speaker here.", 3723.5, 3724.0, cue=0)]


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
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Interviewer", "How are repairs going?", 1.0),
        ("Resident A", "Slowly. The damp is back. It's been three months.", 3.5),
        ("Interviewer", "Thanks.", 8.0),
    ]
    assert [turn.end for turn in turns] == [3.0, 8.0, 9.0]


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
    assert [(t.speaker, t.text, t.start) for t in turns] == [
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
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Jane Smith", "Hello everyone.", 3.0),
        ("Tom Okafor", "Hi, thanks. More.", 3723.0),
    ]


def test_txt_without_labels_uses_paragraphs():
    text = "The meeting opened at 7pm.\nTwelve residents came.\n\n\nRepairs were the main topic.\n"
    turns = read_transcript(text.encode(), "notes.txt")
    assert turns == [
        Turn("", "The meeting opened at 7pm. Twelve residents came.", None, None, offset=0),
        Turn("", "Repairs were the main topic.", None, None, offset=52),
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
