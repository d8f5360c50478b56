"""`submit`: validate, call the service, and show its refusal on the form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from coproduce.core.forms import submit


class NoteForm(forms.Form):
    text = forms.CharField(max_length=20)
    count = forms.IntegerField(required=False)


class Service:
    """Stands in for a service function: records each call, refuses when told to."""

    def __init__(self, refusal: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refusal = refusal

    def __call__(self, data: dict[str, Any]) -> None:
        self.calls.append(dict(data))
        if self.refusal is not None:
            raise self.refusal


def test_a_valid_form_calls_the_service_once_with_its_cleaned_data():
    service = Service()
    form = NoteForm({"text": " hello ", "count": "3"})
    assert submit(form, service) is True
    assert service.calls == [{"text": "hello", "count": 3}]
    assert form.errors == {}


def test_an_invalid_form_does_not_call_the_service():
    service = Service()
    form = NoteForm({"text": "", "count": "many"})
    assert submit(form, service, field="text") is False
    assert service.calls == []
    assert set(form.errors) == {"text", "count"}


def test_a_refusal_lands_on_the_field_named():
    form = NoteForm({"text": "hello"})
    assert submit(form, Service(ValidationError("Too late.")), field="text") is False
    assert form.errors == {"text": ["Too late."]}
    assert "text" not in form.cleaned_data


def test_without_a_field_a_refusal_lands_on_the_whole_form():
    form = NoteForm({"text": "hello"})
    assert submit(form, Service(ValidationError(["One.", "Two."]))) is False
    assert form.non_field_errors() == ["One.", "Two."]
    assert list(form.errors) == [NON_FIELD_ERRORS]


def test_a_message_dict_lands_on_the_fields_it_names_as_add_error_would_put_it():
    refusal = ValidationError({"count": ["Too many."], NON_FIELD_ERRORS: ["Closed."]})
    form = NoteForm({"text": "hello", "count": "9"})
    assert submit(form, Service(refusal)) is False
    twin = NoteForm({"text": "hello", "count": "9"})
    twin.is_valid()
    twin.add_error(None, refusal)
    assert form.errors == twin.errors == {"count": ["Too many."], NON_FIELD_ERRORS: ["Closed."]}


def test_a_message_for_a_field_the_form_lacks_lands_on_the_field_given_not_a_crash():
    refusal = ValidationError({"promise_set": ["Not open."], "text": ["Too long."]})
    form = NoteForm({"text": "hello"})
    with pytest.raises(ValueError):
        NoteForm({"text": "hello"}).add_error(None, refusal)  # what a bare add_error does
    assert submit(form, Service(refusal)) is False
    assert form.errors == {NON_FIELD_ERRORS: ["Not open."], "text": ["Too long."]}
    other = NoteForm({"text": "hello", "count": "1"})
    assert submit(other, Service(refusal), field="count") is False
    assert other.errors == {"count": ["Not open."], "text": ["Too long."]}


def test_anything_but_a_refusal_is_not_swallowed():
    form = NoteForm({"text": "hello"})
    with pytest.raises(PermissionError):
        submit(form, Service(PermissionError("no")))
