"""`coproduce import-people`: the command-line contract (exit codes, output, no tracebacks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from coproduce.cli import main
from coproduce.people import importing
from coproduce.people.models import Person

COPRODUCE = str(Path(sys.executable).with_name("coproduce"))
GOOD = "external_ref,first_name,last_name,tenure\nA1,Ann,Lee,sheltered\nA2,Bo,Khan,\n"


def run(args, capsys):
    code = main(["import-people", *args])
    out, err = capsys.readouterr()
    return code, out, err


def counts(out: str) -> dict[str, int]:
    found = {}
    for line in out.splitlines():
        key, _, value = line.partition(": ")
        if key in ("created", "updated", "unchanged", "rejected"):
            found[key] = int(value)
    return found


def test_it_imports_and_prints_counts(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    code, out, err = run([str(path)], capsys)
    assert code == 0
    assert counts(out) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert "Traceback" not in err
    assert Person.objects.count() == 2


def test_reimporting_reports_everyone_unchanged(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    run([str(path)], capsys)
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert counts(out) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}


def test_an_update_is_counted(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    run([str(path)], capsys)
    path.write_text(GOOD.replace("Bo,Khan", "Bo,Kahn"))
    code, out, _ = run([str(path)], capsys)
    assert counts(out) == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert Person.objects.get(external_ref="A2").last_name == "Kahn"


def test_dry_run_reports_without_saving(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    code, out, _ = run([str(path), "--dry-run"], capsys)
    assert code == 0
    assert "Dry run: nothing was saved." in out
    assert counts(out)["created"] == 2
    assert Person.objects.count() == 0


def test_rejected_rows_exit_2_and_list_line_and_reason(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD + "A1,Again,,\nA4,Di,,council\n")
    code, out, err = run([str(path)], capsys)
    assert code == 2
    assert counts(out)["rejected"] == 2
    lines = err.strip().splitlines()
    assert lines[0] == "coproduce import-people: 2 rows rejected in people.csv; nothing was saved"
    assert lines[1] == "line 4: external_ref 'A1' is also on line 2"
    assert lines[2].startswith("line 5: tenure 'council' is not one of")
    assert Person.objects.count() == 0


def test_a_dry_run_with_rejected_rows_also_exits_2(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text("external_ref,first_name,date_of_birth\nB1,Al,2099-01-01\n")
    code, _, err = run([str(path), "--dry-run"], capsys)
    assert code == 2
    assert "line 2: date_of_birth '2099-01-01' is in the future" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("cols.csv", b"ref,first_name\nA,B\n", "missing required column external_ref"),
        ("fake.xlsx", b"not a spreadsheet", "fake.xlsx is not an Excel spreadsheet"),
        ("latin.csv", b"external_ref,first_name\nA1,J\xf6rg\n", "line 2: line 2 has characters"),
    ],
)
def test_bad_files_exit_2_with_one_line_and_change_nothing(
    db, tmp_path, capsys, name, content, message
):
    Person.objects.create(external_ref="KEEP", first_name="Kept")
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run([str(path)], capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert Person.objects.count() == 1


def test_xlsx_through_the_command(db, tmp_path, capsys):
    book = Workbook()
    book.active.append(["external_ref", "first_name", "availability"])
    book.active.append(["X1", "Ann", "Weekends;weekday_evening"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert counts(out)["created"] == 1
    assert Person.objects.get(external_ref="X1").availability == ["weekday_evening", "weekend"]


def test_template_output_imports_cleanly(db, tmp_path, capsys):
    code, out, _ = run(["--template"], capsys)
    assert code == 0
    assert out == importing.template_csv()
    header = out.splitlines()[0].split(",")
    assert header == list(importing.COLUMN_NAMES)
    path = tmp_path / "template.csv"
    path.write_text(out)
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert counts(out) == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}


def test_no_file_is_bad_input(db, capsys):
    code, _, err = run([], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_missing_file_is_bad_input(db, tmp_path, capsys):
    code, _, err = run([str(tmp_path / "nope.csv")], capsys)
    assert code == 2
    assert "cannot find the file" in err


# The real installed command in a child process. These cases never reach the database,
# which the child could not see (the test database lives in this process).


def child(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coproduce.settings"}
    return subprocess.run(
        [COPRODUCE, "import-people", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_the_installed_command_has_help():
    done = child("--help")
    assert done.returncode == 0
    assert "--dry-run" in done.stdout
    assert "--template" in done.stdout


def test_the_installed_command_prints_the_template():
    done = child("--template")
    assert done.returncode == 0
    assert done.stdout == importing.template_csv()


def test_the_installed_command_refuses_bad_input_in_one_line(tmp_path):
    path = tmp_path / "people.xls"
    path.write_text("x")
    for args in (["--nonsense"], [str(path)], ["--template", str(path)]):
        done = child(*args)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
