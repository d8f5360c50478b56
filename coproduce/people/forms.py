from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing

from coproduce.people.models import (
    Area,
    Availability,
    Channel,
    Involvement,
    Person,
    RewardPreference,
    Tenure,
)

GET_INVOLVED_SALT = "coproduce.get-involved"


class _ChoicesMixin(forms.Form):
    preferred_channels = forms.MultipleChoiceField(
        label="How would you like to take part?",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that suit you.",
    )
    availability = forms.MultipleChoiceField(
        label="When are you usually free?",
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PersonForm(forms.ModelForm):
    """Staff create and edit people. `version` guards against two people editing at once."""

    preferred_channels = _ChoicesMixin.base_fields["preferred_channels"]
    availability = _ChoicesMixin.base_fields["availability"]
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postcode",
            "area",
            "scheme",
            "tenure",
            "date_of_birth",
            "external_ref",
            "preferred_channels",
            "availability",
            "accessibility_needs",
            "language_needs",
            "caring_responsibilities",
            "digital_access",
            "reward_preference",
            "contact_consent",
            "involvement",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "caring_responsibilities": forms.RadioSelect,
            "digital_access": forms.RadioSelect,
            "reward_preference": forms.RadioSelect,
            "involvement": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "external_ref": "The reference from the housing management system, if they have one.",
            "accessibility_needs": "For example large print, a hearing loop, step-free access.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.order_by("name")
        self.fields["external_ref"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.updated_at.isoformat()

    def clean_external_ref(self) -> str | None:
        return (self.cleaned_data.get("external_ref") or "").strip() or None


class ProfileForm(forms.ModelForm):
    """What a tenant may change about themselves."""

    preferred_channels = _ChoicesMixin.base_fields["preferred_channels"]
    availability = _ChoicesMixin.base_fields["availability"]

    class Meta:
        model = Person
        fields = [
            "email",
            "phone",
            "preferred_channels",
            "availability",
            "accessibility_needs",
            "language_needs",
            "caring_responsibilities",
            "digital_access",
            "reward_preference",
            "contact_consent",
        ]
        labels = {
            "caring_responsibilities": "Do you look after someone (are you a carer)?",
            "digital_access": "How do you get online?",
            "reward_preference": "If we thank you for your time, what would you like?",
            "contact_consent": "I am happy for the team to contact me about taking part",
            "language_needs": "Would you like things in another language?",
            "accessibility_needs": "Is there anything that would make taking part easier?",
        }
        widgets = {
            "caring_responsibilities": forms.RadioSelect,
            "digital_access": forms.RadioSelect,
            "reward_preference": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }


class GetInvolvedForm(_ChoicesMixin):
    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Email address (optional)", required=False)
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    reward_preference = forms.ChoiceField(
        label="If we thank you for your time, what would you like?",
        required=False,
        choices=[c for c in RewardPreference.choices if c[0]] + [("", "Not sure yet")],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label="Anything else you would like us to know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_consent = forms.BooleanField(
        label="I am happy for the team to contact me about getting involved",
        error_messages={"required": "Tick the box so we can get in touch with you."},
    )
    # Spam defences: a field people never see and a signed start time.
    website = forms.CharField(required=False, label="Leave this empty")
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = [
        "name",
        "email",
        "phone",
        "postcode",
        "preferred_channels",
        "availability",
        "reward_preference",
        "message",
        "contact_consent",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            self.add_error("email", "Give us an email address or a phone number so we can reply.")
        return data

    @staticmethod
    def new_start_token() -> str:
        return signing.TimestampSigner(salt=GET_INVOLVED_SALT).sign("start")

    def seconds_taken(self) -> float | None:
        """How long the person took to fill the form, or None if the token is missing or forged."""
        token = self.data.get("started", "")
        try:
            signer = signing.TimestampSigner(salt=GET_INVOLVED_SALT)
            signer.unsign(token, max_age=24 * 3600)
            _, stamp = token.rsplit(":", 1)[0].rsplit(":", 1)
            started = signing.b62_decode(stamp)
        except (signing.BadSignature, ValueError):
            return None
        import time

        return time.time() - started


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name, email, phone or reference", required=False, max_length=100)
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), required=False, empty_label="All areas"
    )
    tenure = forms.ChoiceField(
        choices=[("", "All")] + list(Tenure.choices), required=False, label="Tenure or service"
    )
    involvement = forms.ChoiceField(
        choices=[("", "Everyone")] + list(Involvement.choices), required=False
    )


class LoginCreateForm(forms.Form):
    email = forms.EmailField(label="Email address for their login")
