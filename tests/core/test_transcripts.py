"""The one transcript reader: decoded text in, speaker turns out (evidence and stories use it)."""

from __future__ import annotations

import pytest

from coproduce.core.transcripts import TranscriptError, Turn, decode_text, read_transcript

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Jane Smith>Welcome.</v>

00:00:04.500 --> 00:00:07.000
<v Jane Smith>Let's start.</v>

00:00:07.000 --> 00:00:09.000
<v Tom>Repairs &amp; damp.</v> <v Priya>And the lifts.</v>

00:00:09.000 --> 00:00:10.000
<v Tom></v>

00:00:10.000 --> 00:00:11.000
Jane Smith: Thanks.
"""


def test_cues_by_one_speaker_merge_and_keep_their_first_start_and_last_end():
    assert read_transcript(VTT, "vtt", "m.vtt") == [
        Turn("Jane Smith", "Welcome. Let's start.", 1.0, 7.0, cue=0),
        Turn("Tom", "Repairs & damp.", 7.0, 9.0, cue=2),
        Turn("Priya", "And the lifts.", 7.0, 9.0, cue=2),
        # the empty cue says nothing, so it is not counted
        Turn("Jane Smith", "Thanks.", 10.0, 11.0, cue=3),
    ]


def test_unmerged_cues_each_keep_their_own_cue_index():
    turns = read_transcript(VTT, "vtt", "m.vtt", merge=False)
    assert [(t.speaker, t.cue) for t in turns] == [
        ("Jane Smith", 0),
        ("Jane Smith", 1),
        ("Tom", 2),
        ("Priya", 2),
        ("Jane Smith", 3),
    ]


def test_plain_text_labels_and_times():
    text = "[00:00:05] Jane: Hello all.\nWelcome.\nTom: Hi.\n"
    assert read_transcript(text, "txt", "n.txt") == [
        Turn("Jane", "Hello all. Welcome.", 5.0, None, offset=17),
        Turn("Tom", "Hi.", None, None, offset=42),
    ]


def test_every_unmerged_line_says_where_its_text_starts():
    text = "  Jane:   Hello all.\n\n  Welcome, Tom.\nTom: Hi.\n[00:01] Jane: Bye.\n"
    turns = read_transcript(text, "txt", "n.txt", merge=False)
    assert [(t.speaker, t.text, t.offset) for t in turns] == [
        ("Jane", "Hello all.", 10),
        ("Jane", "Welcome, Tom.", 24),
        ("Tom", "Hi.", 43),
        ("Jane", "Bye.", 61),
    ]
    assert all(text[t.offset :].startswith(t.text) for t in turns if t.offset is not None)


INTERVIEW = (
    "Recorded at the centre.\n"
    "Interviewer: Tell me about yourself.\n"
    "Rosa: I'm Rosa.\n"
    "I live here.\n"
    "\n"
    "Interviewer: And last one: what's the value?\n"
    "Rosa: Trust.\n"
)


def test_plain_text_paragraphs_or_lines_is_the_callers_choice():
    # "paragraphs" (evidence): labels on at least half the paragraphs make it labelled,
    # and every label names a speaker.
    by_paragraph = read_transcript(INTERVIEW, "txt", "i.txt")
    assert [t.speaker for t in by_paragraph] == ["", "Interviewer", "Rosa", "Interviewer", "Rosa"]
    # "lines" (stories): the same, because two names recur on enough lines.
    by_line = read_transcript(INTERVIEW, "txt", "i.txt", plain="lines", merge=False)
    assert [(t.speaker, t.offset) for t in by_line] == [
        ("", 0),
        ("Interviewer", 37),
        ("Rosa", 67),
        ("Rosa", 77),
        ("Interviewer", 104),
        ("Rosa", 142),
    ]
    notes = "Recorded at the centre.\nAnd last one: what's the value?\nTrust.\n\nThe end.\n"
    # One stray label: "paragraphs" reads it as labelled (1 label, 2 paragraphs) ...
    assert [t.speaker for t in read_transcript(notes, "txt", "n.txt")] == ["", "And last one"]
    # ... "lines" needs two names that recur, so every line is a turn with no speaker.
    assert read_transcript(notes, "txt", "n.txt", plain="lines") == [
        Turn("", "Recorded at the centre.", offset=0),
        Turn("", "And last one: what's the value?", offset=24),
        Turn("", "Trust.", offset=56),
        Turn("", "The end.", offset=64),
    ]


def test_notes_without_labels_are_read_by_paragraph_or_by_line():
    text = "One.\nTwo.\n\nThree.\n"
    assert read_transcript(text, "txt", "n.txt") == [
        Turn("", "One. Two.", offset=0),
        Turn("", "Three.", offset=11),
    ]
    assert [t.text for t in read_transcript(text, "txt", "n.txt", plain="lines")] == [
        "One.",
        "Two.",
        "Three.",
    ]


def test_problems_name_the_file_and_line():
    with pytest.raises(TranscriptError, match=r"^m\.vtt line 1: a WebVTT file must start"):
        read_transcript("00:00:01.000 --> 00:00:02.000\nHi\n", "vtt", "m.vtt")
    with pytest.raises(TranscriptError, match="n.txt has no text in it."):
        read_transcript(" \n", "txt", "n.txt")


def test_decoding_is_utf8_only_and_refuses_nul():
    assert decode_text("\ufeffa\r\nb\rc".encode(), "t.txt") == "a\nb\nc"
    with pytest.raises(TranscriptError, match="not UTF-8 text .*line 2"):
        decode_text(b"ok\ncaf\xe9\n", "t.txt")
    with pytest.raises(TranscriptError, match="NUL character on line 1"):
        decode_text(b"a\x00b", "t.txt")


def test_windows_1252_is_read_only_when_the_caller_asks():
    data = "Café 1–0\r\n".encode("cp1252")
    assert decode_text(data, "t.txt", windows_1252=True) == "Café 1–0\n"
    with pytest.raises(TranscriptError, match="not UTF-8 text"):
        decode_text(data, "t.txt")
    with pytest.raises(TranscriptError, match="not UTF-8 text"):
        decode_text(b"\x81\x8d", "t.txt", windows_1252=True)  # not Windows-1252 either
