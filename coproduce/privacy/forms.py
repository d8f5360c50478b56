from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from coproduce.privacy.models import RequestKind, RequestStatus
from coproduce.privacy.services import MAX_EXTENSION_MONTHS, NOTES_MAX, clean_notes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NotesField(forms.CharField):
    """Free text: line breaks allowed; NUL and other control characters and huge text refused."""

    def __init__(self, *, label_for_errors: str = "Notes", **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("required", False)
        # No max_length here: the service's limit gives the clearer message.
        kwargs.setdefault("strip", True)
        self.label_for_errors = label_for_errors
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        # Before Django's own checks, so a NUL byte gets our plainer message.
        return clean_notes(super().to_python(value) or "", label=self.label_for_errors)


class OneLineField(forms.CharField):
    """A single line: line breaks, NUL and other control characters are refused."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValidationError("Type it on one line, without line breaks or special keys.")
        return value


class PersonFindForm(forms.Form):
    q = OneLineField(
        label="Housing reference, name or email",
        max_length=200,
        help_text="For example T-10023, or Jane Smith.",
    )


class OpenRequestForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="What are they asking for?", choices=RequestKind.choices, widget=forms.RadioSelect
    )
    received_on = forms.DateField(
        label="Date we received it",
        widget=DATE,
        help_text="The one-month deadline runs from this date.",
    )
    notes = NotesField(
        label="Notes (optional)",
        help_text=f"How they asked, and anything to check. At most {NOTES_MAX:,} characters.",
    )


class CloseRequestForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it end?",
        choices=[(s.value, s.label) for s in RequestStatus if s != RequestStatus.OPEN],
        widget=forms.RadioSelect,
    )
    note = NotesField(
        label="What was done, or why",
        label_for_errors="The note",
        required=True,
        help_text="For example: copy sent by email on 3 May. Do not write their details here.",
    )


class ExtendRequestForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Extend by",
        coerce=int,
        choices=[
            (n, f"{n} more month{'s' if n > 1 else ''}") for n in range(1, MAX_EXTENSION_MONTHS + 1)
        ],
        widget=forms.RadioSelect,
        help_text="Only for complex or many requests. Tell the person why within the first month.",
    )
    reason = NotesField(
        label="Why it needs more time", label_for_errors="The reason", required=True
    )


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(RequestKind.ACCESS.value, "access"), (RequestKind.ERASURE.value, "erasure")]
    )
