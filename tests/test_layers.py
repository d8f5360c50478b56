"""The import layers of docs/architecture.md, checked over the source with ``ast``.

A module may import only packages on a lower layer (or its own package). Imports under
``if TYPE_CHECKING:`` are allowed: they are annotations, not dependencies at run time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "coproduce"

# Top to bottom; one line per layer, mirrored in docs/architecture.md ("Layers"). Packages on the
# same line are independent and may not import each other. "project" is coproduce's own modules
# (urls, settings, cli, __main__, wsgi, __init__).
LAYERS: list[set[str]] = [
    {"project"},
    {"demo"},
    {"home", "privacy", "tia", "api"},
    {"stories", "evaluation"},
    {"tsm"},
    {"rewards", "diversity", "promises"},
    {"meetings"},
    {"projects"},
    {"messaging"},
    {"people"},
    {"webhooks"},
    {"accounts"},
    {"core", "insight"},
]
LAYER = {package: depth for depth, line in enumerate(LAYERS) for package in line}


def _package(dotted: str) -> str | None:
    """Our top-level package for a dotted module name, "project", or None if not ours."""
    parts = dotted.split(".")
    if parts[0] != "coproduce":
        return None
    if len(parts) == 1 or parts[1] not in LAYER:
        return "project"
    return parts[1]


def _modules() -> Iterator[tuple[Path, str]]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent)
        if "migrations" in relative.parts:
            continue
        dotted = ".".join(relative.with_suffix("").parts)
        yield path, dotted.removesuffix(".__init__")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, including inside functions, but not the body of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _nodes(other)
            continue
        yield child
        yield from _nodes(child)


def imports(path: Path, dotted: str) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in the file, relative ones made absolute."""
    is_package = path.name == "__init__.py"
    for node in _nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = dotted.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([base] if base else []))
            if base == "coproduce":  # from coproduce import people
                for alias in node.names:
                    yield node.lineno, f"coproduce.{alias.name}"
            else:
                yield node.lineno, base


def test_no_module_imports_its_own_layer_or_above() -> None:
    problems = []
    for path, dotted in _modules():
        relative = str(path.relative_to(ROOT.parent))
        own = _package(dotted)
        if own is None:
            continue
        for line, name in imports(path, dotted):
            other = _package(name)
            if other is None or other == own or LAYER[other] > LAYER[own]:
                continue
            where = "the same layer as" if LAYER[other] == LAYER[own] else "a layer above"
            problems.append(
                f"{relative}:{line}: {own} (layer {LAYER[own]}) imports {name}, "
                f"{where} it ({other}, layer {LAYER[other]})"
            )
    assert not problems, "Imports against the layers:\n" + "\n".join(problems)


def test_every_package_of_ours_has_a_layer() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages <= set(LAYER), f"No layer for {sorted(packages - set(LAYER))}"


def test_insight_never_imports_django() -> None:
    problems = []
    for path, dotted in _modules():
        if _package(dotted) != "insight":
            continue
        for line, name in imports(path, dotted):
            top = name.split(".")[0]
            if top == "django" or _package(name) not in (None, "insight"):
                relative = path.relative_to(ROOT.parent)
                problems.append(f"{relative}:{line}: insight imports {name}")
    assert not problems, "insight must stay free of Django:\n" + "\n".join(problems)


def reaches(path: Path, dotted: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each import of another package's private name or of its tasks module."""
    own = _package(dotted)
    for node in _nodes(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        other = _package(node.module)
        if other is None or other == own:
            continue
        if node.module.split(".")[-1] == "tasks" or any(
            alias.name == "tasks" for alias in node.names
        ):
            yield node.lineno, f"{node.module} (another app's tasks: call its services instead)"
        for alias in node.names:
            if alias.name.startswith("_"):
                yield node.lineno, f"{node.module}.{alias.name} (a private name)"


def test_no_app_reaches_into_another_apps_private_names_or_tasks() -> None:
    problems = [
        f"{path.relative_to(ROOT.parent)}:{line}: imports {what}"
        for path, dotted in _modules()
        for line, what in reaches(path, dotted)
    ]
    assert not problems, "Reaches into another app:\n" + "\n".join(problems)


def test_the_reach_check_sees_a_private_name_and_a_tasks_module(tmp_path: Path) -> None:
    planted = tmp_path / "views.py"
    planted.write_text(
        "from coproduce.diversity.selectors import _ethnic_group\n"
        "from coproduce.diversity.tasks import request_warm\n"
        "from coproduce.evaluation.selectors import trend\n"
    )
    found = [line for line, _ in reaches(planted, "coproduce.evaluation.views")]
    assert found == [1, 2]
