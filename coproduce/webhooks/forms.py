from __future__ import annotations

from django import forms

from coproduce.webhooks.services import KINDS

# Every kind an endpoint can ask for; "ping" is sent only by the "Send test" button.
KIND_CHOICES = [(kind, f"{kind}: {words}") for kind, words in KINDS.items() if kind != "ping"]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        help_text="Where we send the events, starting https://. It must be on the internet, "
        "not an internal network.",
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=200,
        required=False,
        help_text="What receives them, so you know it again: for example, Housing system.",
    )
    kinds = forms.MultipleChoiceField(
        label="Events to send",
        choices=KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if any(ch in url for ch in "\r\n\t "):
            raise forms.ValidationError("The address must not contain spaces or line breaks.")
        return url

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"]
        if "\r" in description or "\n" in description:
            raise forms.ValidationError("The description must be one line.")
        return description


class EndpointEditForm(EndpointForm):
    is_active = forms.BooleanField(
        label="Send events to this address",
        required=False,
        help_text="Untick to stop sending for now. Nothing is sent while it is off.",
    )
