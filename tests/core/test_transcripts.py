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
"""


def test_cues_by_one_speaker_merge_and_keep_their_first_start_and_last_end():
    assert read_transcript(VTT, "vtt", "m.vtt") == [
        Turn("Jane Smith", "Welcome. Let's start.", 1.0, 7.0),
        Turn("Tom", "Repairs & damp.", 7.0, 9.0),
        Turn("Priya", "And the lifts.", 7.0, 9.0),
    ]


def test_plain_text_labels_and_times():
    text = "[00:00:05] Jane: Hello all.\nWelcome.\nTom: Hi.\n"
    assert read_transcript(text, "txt", "n.txt") == [
        Turn("Jane", "Hello all. Welcome.", 5.0, None),
        Turn("Tom", "Hi.", None, None),
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
