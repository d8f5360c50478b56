"""Django's form renderer, with the plainest widgets written out in Python.

Each form widget is a small Django template, and a template render costs tens of microseconds
however little it does: the attendance register draws about fifty widgets (a `<select>` of six
options each row), so half its time went on widget templates (docs/benchmarks.md, issue #20).
For inputs, selects and text areas, this renderer builds exactly the HTML of Django's own
templates in Python; every other template goes through the templates as before (a project
that replaces one of these templates must take it out of ``FAST``).
tests/core/test_form_renderer.py checks the output is character for character Django's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {escape(name)}")
        else:
            out.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None  # a replaced option template: let the templates draw it
            # the option's template file ends with a line break, which the include keeps
            parts.append("\n  " + _option(option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


# Each of these templates is only `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = "checkbox color date datetime email hidden input number password search tel text time url"
FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in _INPUTS.split()},
    WIDGETS + "select.html": _select,
    WIDGETS + "textarea.html": _textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's default renderer, faster for the common widgets."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST.get(template_name)
        widget = context.get("widget")
        if fast is not None and isinstance(widget, Mapping):
            html = fast(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request)
