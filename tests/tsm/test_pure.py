"""The calculation modules are pure Python: no Django, nothing of ours above core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import coproduce.tsm

PURE = ("survey", "calc", "management", "precision", "cli")


@pytest.mark.parametrize("name", PURE)
def test_the_calculation_modules_import_no_django(name: str) -> None:
    path = Path(coproduce.tsm.__file__).parent / f"{name}.py"
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert not {m for m in modules if m.split(".")[0] == "django"}
    ours = {m for m in modules if m.startswith("coproduce.")}
    assert ours <= {
        "coproduce.core",
        "coproduce.core.tabular",
        *(f"coproduce.tsm.{p}" for p in PURE),
    }
