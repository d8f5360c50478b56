"""One rule for text typed, posted or imported into coproduce.

- A single-line field (a model ``CharField``, a form ``CharField`` that is not a text area)
  holds no line breaks and no control characters at all.
- A multi-line field (a model ``TextField``, a text area) may hold line breaks and tabs, but no
  other control characters: never NUL (PostgreSQL cannot store it) or the like.

``install()`` (called once from ``CoreConfig.ready``) adds the two validators to every
``CharField`` and ``TextField`` of our own models, so ``full_clean()`` and every ``ModelForm``
apply them, and to every ``CharField`` declared on our own form classes. Readers of imported
files use ``single_line_problem``/``multiline_problem`` to give a line-numbered reason.
Writers of other formats (calendars) use ``single_line``/``multiline`` to normalise text that is
already stored.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = "Use a single line: remove line breaks and control characters."
MULTILINE_MESSAGE = "Remove the hidden control characters (such as NUL) from this text."
NUL_MESSAGE = "Remove the NUL character (a hidden control character) from this text."

# C0 controls (including tab, line feed, carriage return), DEL, C1 controls (including NEL),
# and the Unicode line and paragraph separators.
_NOT_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# C0 controls except tab, line feed and carriage return.
_NOT_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RUNS_OF_SPACE = re.compile(" +")

OUR_PACKAGE = "coproduce."


def single_line_problem(value: str) -> bool:
    return bool(_NOT_SINGLE_LINE.search(value))


def multiline_problem(value: str) -> bool:
    return bool(_NOT_MULTILINE.search(value))


def validate_single_line(value: Any) -> None:
    if isinstance(value, str) and single_line_problem(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")


def validate_multiline(value: Any) -> None:
    if isinstance(value, str) and multiline_problem(value):
        raise ValidationError(MULTILINE_MESSAGE, code="control_characters")


def single_line(value: str | None) -> str:
    """The text on one line: each run of line breaks or control characters becomes a space."""
    if not value:
        return ""
    return _RUNS_OF_SPACE.sub(" ", _NOT_SINGLE_LINE.sub(" ", value)).strip()


def multiline(value: str | None) -> str:
    """Line breaks made "\\n", tabs kept, every other control character removed."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    return _NOT_MULTILINE.sub("", text)


def clean_query(value: str | None, max_length: int = 100) -> str:
    """A search box's text, safe to hand to the database: one line, no controls, not too long."""
    return single_line(value)[:max_length].strip()


# --------------------------------------------------------------------------- installing


def _add_model_validators() -> None:
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if not model.__module__.startswith(OUR_PACKAGE):
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.CharField):
                validator = validate_single_line
            elif isinstance(field, models.TextField):
                validator = validate_multiline
            else:
                continue
            current = field.validators
            if validator not in current:
                # Set on the instance, not in ``_validators``: the field's deconstruction (and so
                # its migrations) stays as it is.
                field.__dict__["validators"] = [*current, validator]


def _form_field_validator(field: Any) -> Any:
    from django import forms

    if not isinstance(field, forms.CharField):
        return None
    if isinstance(field, forms.JSONField | forms.UUIDField):
        return None
    if isinstance(field.widget, forms.PasswordInput):
        return None  # a password may be anything; it is never shown or stored as text
    if isinstance(field.widget, forms.Textarea):
        return validate_multiline
    return validate_single_line


def _our_form_classes() -> list[type]:
    from django import forms

    found: list[type] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        sub: type
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith(OUR_PACKAGE):
                found.append(sub)
    return found


def _import_form_modules() -> None:
    """Import every module that may declare a form, so its classes can be found."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith(OUR_PACKAGE):
            continue
        for module in pkgutil.iter_modules([config.path]):
            if module.name.startswith(("forms", "views")):
                importlib.import_module(f"{config.name}.{module.name}")


def add_form_validators(form_class: type) -> None:
    for field in getattr(form_class, "base_fields", {}).values():
        validator = _form_field_validator(field)
        if validator is not None and validator not in field.validators:
            field.validators.append(validator)


def install() -> None:
    _add_model_validators()
    _import_form_modules()
    for form_class in _our_form_classes():
        add_form_validators(form_class)
