"""Copy cleaned form data onto a model instance, and say which fields it changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def apply_changes(obj: object, data: Mapping[str, Any]) -> list[str]:
    """Set every field in ``data`` on ``obj``; return the names whose value was different.

    The names serve ``save(update_fields=...)`` and the audit summary ("Changed a, b")."""
    changed = [name for name, value in data.items() if getattr(obj, name) != value]
    for name, value in data.items():
        setattr(obj, name, value)
    return changed
