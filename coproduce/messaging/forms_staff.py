"""Forms for the staff pages on messages: the outbox filters and the phone list's outcome."""

from __future__ import annotations

from typing import Any

from django import forms

from coproduce.messaging import kinds
from coproduce.messaging.models import Channel, Message, Status
from coproduce.messaging.services import PhoneOutcome


class OutboxFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label="Channel", choices=[("", "Any channel"), *Channel.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Status.choices], required=False
    )
    kind = forms.ChoiceField(label="Kind", choices=[], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", "Any kind"),
            *[(k.name, k.label) for k in kinds.all_kinds()],
        ]


class PhoneOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=PhoneOutcome.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened when you phoned."},
    )
    answer = forms.ChoiceField(
        label="Their answer (if they gave one)",
        choices=[],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, message: Message, **kwargs: Any) -> None:
        kwargs["prefix"] = f"m{message.pk}"
        super().__init__(*args, **kwargs)
        spec = kinds.get(message.kind)
        options = spec.reply.options(message) if spec.reply else []
        if options:
            self.fields["answer"].choices = [("", "No answer given"), *options]  # type: ignore[attr-defined]
        else:
            del self.fields["answer"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") and data.get("outcome") != PhoneOutcome.TOLD:
            self.add_error("answer", "Record an answer only when you spoke to them.")
        return data
