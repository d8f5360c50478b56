"""Render Django form fields as GOV.UK Frontend components (labels, hints, errors)."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _errors(bound: forms.BoundField) -> SafeString:
    if not bound.errors:
        return mark_safe("")  # noqa: S308
    return format_html(
        '<p id="{}-error" class="govuk-error-message">{}</p>',
        bound.auto_id,
        format_html_join(
            mark_safe("<br>"),  # noqa: S308
            '<span class="govuk-visually-hidden">Error:</span> {}',
            ((e,) for e in bound.errors),
        ),
    )


def _hint(bound: forms.BoundField) -> SafeString:
    if not bound.help_text:
        return mark_safe("")  # noqa: S308
    return format_html(
        '<div id="{}-hint" class="govuk-hint">{}</div>', bound.auto_id, bound.help_text
    )


def _describedby(bound: forms.BoundField) -> str:
    ids = []
    if bound.help_text:
        ids.append(f"{bound.auto_id}-hint")
    if bound.errors:
        ids.append(f"{bound.auto_id}-error")
    return " ".join(ids)


def _choice_items(bound: forms.BoundField, *, kind: str, multiple: bool) -> list[SafeString]:
    """One GOV.UK checkbox or radio item per choice, ticked where the value holds it."""
    input_type = "checkbox" if multiple else "radio"
    value = bound.value()
    chosen = {str(v) for v in (value or [])} if multiple else {str(value)}
    items = []
    for index, (code, label) in enumerate(getattr(bound.field, "choices", [])):
        item_id = f"{bound.auto_id}" if index == 0 else f"{bound.auto_id}-{index}"
        items.append(
            format_html(
                '<div class="govuk-{kind}__item"><input class="govuk-{kind}__input" id="{id}" '
                'name="{name}" type="{type}" value="{value}"{checked}>'
                '<label class="govuk-label govuk-{kind}__label" for="{id}">{label}</label>'
                "</div>",
                kind=kind,
                id=item_id,
                name=bound.html_name,
                type=input_type,
                value=code,
                checked=mark_safe(" checked") if str(code) in chosen else "",  # noqa: S308
                label=label,
            )
        )
    return items


def _choices_field(
    bound: forms.BoundField, *, group_class: str, described: str, label_size: str
) -> SafeString:
    """Checkboxes or radios in a fieldset, the field's label as its legend."""
    multiple = isinstance(bound.field.widget, forms.CheckboxSelectMultiple)
    kind = "checkboxes" if multiple else "radios"
    items = _choice_items(bound, kind=kind, multiple=multiple)
    return format_html(
        '<div class="{}"><fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--{}">{}</legend>{}{}'
        '<div class="govuk-{}{}" data-module="govuk-{}">{}</div></fieldset></div>',
        group_class,
        format_html(' aria-describedby="{}"', described) if described else "",
        label_size or "s",
        bound.label,
        _hint(bound),
        _errors(bound),
        kind,
        " govuk-checkboxes--small" if multiple and len(items) > 6 else "",
        kind,
        mark_safe("".join(items)),  # noqa: S308
    )


def _checkbox_field(
    bound: forms.BoundField, *, group_class: str, attrs: dict[str, str]
) -> SafeString:
    """A single checkbox (yes or no), its label beside it."""
    return format_html(
        '<div class="{}">{}{}<div class="govuk-checkboxes" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item">{}'
        '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>'
        "</div></div></div>",
        group_class,
        _hint(bound),
        _errors(bound),
        bound.as_widget(attrs={"class": "govuk-checkboxes__input", **attrs}),
        bound.auto_id,
        bound.label,
    )


def _input_class(widget: forms.Widget, has_errors: bool) -> str:
    """The GOV.UK class for a text area, select, file upload or (any other) input."""
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea" + (" govuk-textarea--error" if has_errors else "")
    if isinstance(widget, forms.Select):
        return "govuk-select" + (" govuk-select--error" if has_errors else "")
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "govuk-file-upload" + (" govuk-file-upload--error" if has_errors else "")
    css = "govuk-input" + (" govuk-input--error" if has_errors else "")
    if isinstance(widget, forms.DateInput | forms.NumberInput):
        css += " govuk-input--width-10"
    return css


@register.simple_tag
def govuk_field(bound: forms.BoundField, label_size: str = "") -> SafeString:
    widget = bound.field.widget
    group_class = "govuk-form-group" + (" govuk-form-group--error" if bound.errors else "")
    described = _describedby(bound)
    attrs: dict[str, str] = {}
    if described:
        attrs["aria-describedby"] = described
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return _choices_field(
            bound, group_class=group_class, described=described, label_size=label_size
        )
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox_field(bound, group_class=group_class, attrs=attrs)
    label_class = "govuk-label" + (f" govuk-label--{label_size}" if label_size else "")
    css = _input_class(widget, bool(bound.errors))
    return format_html(
        '<div class="{}"><label class="{}" for="{}">{}</label>{}{}{}</div>',
        group_class,
        label_class,
        bound.id_for_label,
        bound.label,
        _hint(bound),
        _errors(bound),
        bound.as_widget(attrs={"class": css, **attrs}),
    )


@register.simple_tag
def govuk_fields(form: forms.BaseForm) -> SafeString:
    return mark_safe("".join(govuk_field(bound) for bound in form.visible_fields()))  # noqa: S308
