import subprocess
import sys

from coproduce.cli import main


def test_help_lists_the_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "import-people", "theme"):
        assert command in out


def test_an_unknown_command_exits_2_with_one_line(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown command" in err


def test_python_dash_m_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "coproduce", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "import-people" in result.stdout
