"""The fast form renderer draws widgets exactly as Django's own templates do."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from coproduce.core.form_renderer import FastWidgetRenderer

TRICKY = 'Tom & "Jerry" <b>\'s</b>'


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Your name", initial=TRICKY)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="p&ss")
    count = forms.IntegerField(min_value=0, max_value=10, initial=3)
    amount = forms.DecimalField(max_digits=5, decimal_places=2, initial="1.50")
    on = forms.DateField(initial=dt.date(2026, 12, 5), widget=forms.DateInput(attrs={"x": True}))
    at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "off": False}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="<hidden>")
    agree = forms.BooleanField(required=False, initial=True)
    disagree = forms.BooleanField(required=False, disabled=True)
    notes = forms.CharField(widget=forms.Textarea, initial="line one\n<line & two>")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    how = forms.ChoiceField(
        choices=[("", "Choose"), ("a&b", TRICKY), ("2", mark_safe("<i>safe</i>"))], initial="2"
    )
    grouped = forms.ChoiceField(
        choices=[("One", [("1", "Uno"), ("2", "Dos")]), ("3", "Tres"), ("Two", [("4", "<4>")])],
        initial="4",
    )
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", "Z")], initial=["x", "z"]
    )
    url = forms.URLField(required=False, assume_scheme="https")


@pytest.mark.parametrize("bound", ["unbound", "bound", "errors"])
def test_every_fast_widget_matches_djangos_templates(bound):
    data = {
        "name": "x\n<y>",
        "count": "eleven",
        "how": "a&b",
        "grouped": "1",
        "many": ["y"],
        "notes": "",
        "on": "not a date",
    }
    kwargs = {} if bound == "unbound" else {"data": data}

    def draw(renderer):
        form = Everything(renderer=renderer, **kwargs)
        if bound == "errors":
            form.is_valid()
        return {b.name: str(b) for b in form}

    fast, slow = draw(FastWidgetRenderer()), draw(DjangoTemplates())
    assert fast == slow
    assert "&lt;b&gt;" in fast["name"] or bound != "unbound"  # escaped, never raw


def test_the_fast_path_is_taken_and_other_templates_still_work(monkeypatch):
    calls = []
    renderer = FastWidgetRenderer()
    original = DjangoTemplates.render

    def counted(self, template_name, context, request=None):
        calls.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", counted)
    form = Everything(renderer=renderer)
    str(form["name"]), str(form["how"]), str(form["notes"])
    assert calls == []  # drawn in Python
    radios = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    html = radios.widget.render("r", "a", renderer=renderer)
    assert 'type="radio"' in html and "checked" in html
    assert calls == ["django/forms/widgets/radio.html"]  # not one of ours: the template draws it


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "coproduce.core.form_renderer.FastWidgetRenderer"
    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
