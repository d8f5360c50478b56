"""The `coproduce theme` contract: exit 2 with one plain line on bad input."""

import json

import pytest

from coproduce.insight.cli import main

from .helpers import write_csv


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *words):
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for w in words:
        assert w.lower() in lines[0].lower()


def test_missing_file(tmp_path, capsys):
    code, _, err = run([str(tmp_path / "nope.csv"), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "not found")


def test_missing_column(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", ["id", "comment"], [("1", "hello")])
    code, _, err = run([str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "text")


def test_missing_custom_column(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", ["id", "text"], [("1", "hello")])
    code, _, err = run([str(p), "--text-column", "feedback", "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "feedback")


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "empty.csv"
    p.write_text("")
    code, _, err = run([str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "empty")


def test_header_only_file(tmp_path, capsys):
    p = tmp_path / "h.csv"
    p.write_text("id,text\n")
    code, _, err = run([str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "no rows")


def test_not_utf8(tmp_path, capsys):
    p = tmp_path / "latin.csv"
    p.write_bytes("id,text\n1,caf\xe9 was cold\n".encode("latin-1"))
    code, _, err = run([str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "utf-8")


def test_promises_without_title(items_csv, tmp_path, capsys):
    p = write_csv(tmp_path / "pr.csv", ["code", "name"], [("P1", "Repairs")])
    code, _, err = run([str(items_csv[0]), "--promises", str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "title")


def test_promises_without_code(items_csv, tmp_path, capsys):
    p = write_csv(tmp_path / "pr.csv", ["title"], [("Repairs",)])
    code, _, err = run([str(items_csv[0]), "--promises", str(p), "--engine", "tfidf"], capsys)
    assert_one_line_error(code, err, "code")


def test_labels_unknown_id(items_csv, promises_csv, tmp_path, capsys):
    lab = write_csv(tmp_path / "lab.csv", ["id", "code"], [("repairs-0", "P1"), ("zzz", "P1")])
    code, _, err = run(
        [
            str(items_csv[0]),
            "--promises",
            str(promises_csv),
            "--train",
            str(lab),
            "--engine",
            "tfidf",
        ],
        capsys,
    )
    assert_one_line_error(code, err, "zzz")


def test_labels_unknown_code(items_csv, promises_csv, tmp_path, capsys):
    lab = write_csv(tmp_path / "lab.csv", ["id", "code"], [("repairs-0", "P9")])
    code, _, err = run(
        [
            str(items_csv[0]),
            "--promises",
            str(promises_csv),
            "--train",
            str(lab),
            "--engine",
            "tfidf",
        ],
        capsys,
    )
    assert_one_line_error(code, err, "P9")


def test_bad_themes_value(items_csv, capsys):
    with pytest.raises(SystemExit) as e:
        main([str(items_csv[0]), "--themes", "lots"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) <= 3  # argparse usage + one reason


def test_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    assert "coproduce theme" in capsys.readouterr().out


def test_ok_writes_contract_json(items_csv, promises_csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    code, stdout, _ = run(
        [
            str(items_csv[0]),
            "--promises",
            str(promises_csv),
            "--engine",
            "tfidf",
            "--out",
            str(out),
            "--quiet",
        ],
        capsys,
    )
    assert code == 0
    assert stdout == ""
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["engine"] == "tfidf"
    assert isinstance(d["seconds"], float)
    for th in d["themes"]:
        assert set(th) >= {"id", "label", "keywords", "size", "quotes"}
    assert len(d["items"]) == 60
    for it in d["items"]:
        assert set(it) >= {"id", "theme", "scores", "assigned"}
        assert set(it["scores"]) == {"P1", "P2", "P3"}
        assert all(0.0 <= v <= 1.0 for v in it["scores"].values())


def test_ok_stdout_without_promises(items_csv, capsys):
    code, stdout, _ = run([str(items_csv[0]), "--engine", "tfidf", "--quiet"], capsys)
    assert code == 0
    d = json.loads(stdout)
    assert all(it["scores"] == {} and it["assigned"] == [] for it in d["items"])


def test_no_id_column_uses_row_numbers(tmp_path, capsys):
    p = write_csv(tmp_path / "a.csv", ["text"], [("one thing",), ("",), ("another thing",)])
    code, stdout, _ = run([str(p), "--engine", "tfidf", "--quiet"], capsys)
    assert code == 0
    d = json.loads(stdout)
    assert [it["id"] for it in d["items"]] == ["row-1", "row-3"]
    assert d["skipped_empty"] == 1
