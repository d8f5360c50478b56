"""Forms for every app, and `submit`: the one way a view hands a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Who (email contains)", required=False, max_length=254)
    action = forms.CharField(label="Action", required=False, max_length=64)
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)


def show_refusal(form: forms.BaseForm, exc: ValidationError, *, field: str | None = None) -> None:
    """Show a service's refusal on the form it answered.

    A plain refusal goes on `field` (None: the form as a whole). A refusal naming fields (a
    message dict, as `full_clean()` raises) puts each message on the field it names when the form
    has that field, and the rest on `field`, so a model field the form does not show is never lost
    (and never a crash, as `form.add_error(None, exc)` would be).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else field, errors)


def submit(
    form: forms.BaseForm, call: Callable[[dict[str, Any]], object], *, field: str | None = None
) -> bool:
    """Validate the form, then call the service with its cleaned data; True when it went through.

    The service's refusal (a `ValidationError`) becomes the form's error on `field` (None: the
    whole form; see `show_refusal`) and `submit` answers False, so the view shows the form again.
    Anything the service needs besides the data (the actor, the request, a person worked out from
    the form) goes inside `call`, so its refusal lands on the form too.
    """
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        show_refusal(form, exc, field=field)
        return False
    return True
