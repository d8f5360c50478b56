"""`coproduce story split`: exit codes and the JSON contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coproduce.stories.split import cli_main

FIXTURES = Path(__file__).parent / "fixtures"


def test_it_prints_the_contract_json_for_plain_text(capsys):
    assert cli_main([str(FIXTURES / "plain_close_to_guide.txt")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"guide", "segments"}
    assert out["guide"] == "default"
    assert [s["question"] for s in out["segments"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    for segment in out["segments"]:
        assert set(segment) == {"question", "asked_at", "answer"}
        assert isinstance(segment["asked_at"], int)
        assert isinstance(segment["answer"], str) and segment["answer"]


def test_it_uses_cue_indexes_for_vtt_and_writes_out(tmp_path, capsys):
    out_file = tmp_path / "result.json"
    code = cli_main(
        [str(FIXTURES / "interview_speakers.vtt"), "--guide", "default", "--out", str(out_file)]
    )
    assert code == 0
    assert capsys.readouterr().out == ""
    data = json.loads(out_file.read_text())
    assert data["segments"][0] == {
        "question": 1,
        "asked_at": 0,
        "answer": "Hi, I'm Amira. I live in Westside and I'm a member of the customer promises "
        "group. I've been involved for about a year now.",
    }


def test_srt_works(tmp_path, capsys):
    assert cli_main([str(FIXTURES / "labelled.srt")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["asked_at"] for s in data["segments"]] == [0, 2, 4]


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("coproduce story split: error:")
    return err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert cli_main([str(tmp_path / "nope.txt")]) == 2
    _one_line_error(capsys)


def test_a_wrong_extension_exits_2(tmp_path, capsys):
    doc = tmp_path / "interview.docx"
    doc.write_text("hello")
    assert cli_main([str(doc)]) == 2
    _one_line_error(capsys)


def test_an_unknown_guide_exits_2(capsys):
    assert cli_main([str(FIXTURES / "labelled.txt"), "--guide", "nope"]) == 2
    assert "unknown guide" in _one_line_error(capsys)


def test_an_empty_transcript_exits_2(tmp_path, capsys):
    empty = tmp_path / "empty.vtt"
    empty.write_text("WEBVTT\n")
    assert cli_main([str(empty)]) == 2
    _one_line_error(capsys)


def test_binary_rubbish_exits_2(tmp_path, capsys):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x81\x8d\x8f\x90\x9d" * 10)
    code = cli_main([str(junk)])
    assert code in (0, 2)
    capsys.readouterr()


def test_bad_arguments_exit_2(capsys):
    try:
        cli_main([])
    except SystemExit as exc:
        assert exc.code == 2
    _one_line_error(capsys)


def test_out_into_a_missing_folder_exits_2(tmp_path, capsys):
    src = tmp_path / "t.txt"
    shutil.copy(FIXTURES / "labelled.txt", src)
    assert cli_main([str(src), "--out", str(tmp_path / "no" / "r.json")]) == 2
    _one_line_error(capsys)


def test_help_exits_0(capsys):
    try:
        cli_main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    assert "coproduce story split" in capsys.readouterr().out
