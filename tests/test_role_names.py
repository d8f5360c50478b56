"""No module compares role names: that is accounts/roles.py's job (docs/architecture.md).

A view that writes `if user.role == "board":` decides a permission where nobody looks for it;
it must ask a question in accounts/roles.py instead (`roles.can_see_stories(user)`).
This walks every module of coproduce/ with `ast` and every template, and fails naming each
comparison with a role name: a string equal to a role's value, `Role.X`, or a `.role` attribute
compared with a role set, in ==, !=, in, not in, or a `case` of a match statement.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import coproduce
from coproduce.accounts.roles import Role

ROOT = Path(coproduce.__file__).parent
ROLE_VALUES = frozenset(role.value for role in Role)
# Names roles.py gives to sets of roles: comparing a `.role` with one is a role comparison too.
ROLE_SETS = frozenset({"STAFF_ROLES", "TWO_STEP_ROLES", "INVOLVEMENT_TEAM"})
HOME = ROOT / "accounts" / "roles.py"
TEMPLATE_COMPARISON = re.compile(
    r"\brole\s*(==|!=|\bin\b|\bnot\s+in\b)"
    r"|(==|!=)\s*[\"'](" + "|".join(sorted(ROLE_VALUES)) + r")[\"']\s*[^%]*\brole\b"
)


def _is_role_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in ROLE_VALUES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role_name(element) for element in node.elts)
    if isinstance(node, ast.Attribute):
        base = node.value
        return (isinstance(base, ast.Name) and base.id == "Role") or (
            isinstance(base, ast.Attribute) and base.attr == "Role"
        )
    return False


def _is_role_set(node: ast.AST) -> bool:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    return name in ROLE_SETS


def _is_role_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def role_comparisons(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = any(_is_role_name(operand) for operand in operands)
            sets = any(_is_role_attribute(o) for o in operands) and any(
                _is_role_set(o) for o in operands
            )
            if names or sets:
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.match_case):
            for pattern in ast.walk(node.pattern):
                if isinstance(pattern, ast.MatchValue) and _is_role_name(pattern.value):
                    found.append(f"{filename}:{pattern.lineno}: case {ast.unparse(pattern.value)}")
    return found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if path == HOME or "migrations" in path.parts:
            continue
        yield relative, path


def test_no_module_compares_role_names():
    found = []
    for relative, path in _modules():
        found += role_comparisons(path.read_text(), f"coproduce/{relative}")
    assert not found, (
        "Role names compared outside coproduce/accounts/roles.py: ask a question there "
        "instead.\n" + "\n".join(found)
    )


def test_no_template_compares_role_names():
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for tag in re.findall(r"{%.*?%}", line):
                if TEMPLATE_COMPARISON.search(tag):
                    found.append(f"{path.relative_to(ROOT.parent)}:{number}: {tag}")
    assert not found, "Role names compared in templates:\n" + "\n".join(found)


def test_the_check_sees_each_kind_of_comparison():
    planted = """
if user.role == "board": pass
if "finance" != user.role: pass
if getattr(user, "role", "") in ("tenant", "colleague"): pass
if user.role is Role.SYSADMIN: pass
if self.role in STAFF_ROLES: pass
match user.role:
    case "coordinator": pass
"""
    assert len(role_comparisons(planted, "planted.py")) == 6
    innocent = """
if staff.role == StaffRole.FACILITATOR: pass
if decision.decided_by == DecidedBy.TOGETHER: pass
if roles.can_see_stories(user): pass
"""
    assert role_comparisons(innocent, "innocent.py") == []
