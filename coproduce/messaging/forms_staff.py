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


# Contact preferences (a person's own, or staff on their behalf) ------------------------------

CHOICE_NAMES = ("first", "second", "third", "fourth")
NO_MORE = [("", "No more")]


class PreferencesForm(forms.Form):
    """The ways a person wants to hear from us, in order; large print; a supporter in copy; and
    emails or texts turned back on after they were stopped."""

    first = forms.ChoiceField(
        label="First choice",
        choices=[("", "Choose a way"), *Channel.choices],
        error_messages={"required": "Choose at least one way for us to contact you."},
    )
    second = forms.ChoiceField(
        label="Second choice", choices=NO_MORE + Channel.choices, required=False
    )
    third = forms.ChoiceField(
        label="Third choice", choices=NO_MORE + Channel.choices, required=False
    )
    fourth = forms.ChoiceField(
        label="Fourth choice", choices=NO_MORE + Channel.choices, required=False
    )
    large_print = forms.BooleanField(label="Large print for letters", required=False)
    supporter_name = forms.CharField(
        label="Supporter's name",
        help_text="Someone who helps with your post, such as a family member or carer. "
        "They get a copy of every email.",
        max_length=100,
        required=False,
    )
    supporter_email = forms.EmailField(label="Supporter's email address", required=False)
    email_back_on = forms.BooleanField(label="Send emails again", required=False)
    text_back_on = forms.BooleanField(label="Send text messages again", required=False)

    def __init__(self, *args: Any, person: Any, preference: Any, own: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person, self.preference, self.own = person, preference, own
        if not (preference and (preference.email_opted_out_at or preference.email_bounced_at)):
            del self.fields["email_back_on"]
        elif preference.email_bounced_at:
            self.fields[
                "email_back_on"
            ].help_text = (
                "Emails stopped because the email address did not work. Check it is right first."
            )
        else:
            self.fields["email_back_on"].help_text = "Emails stopped after an unsubscribe."
        if not (preference and preference.text_opted_out_at):
            del self.fields["text_back_on"]
        else:
            self.fields["text_back_on"].help_text = "Text messages stopped after a reply of STOP."

    def _whose(self) -> str:
        return "you" if self.own else self.person.first_name or "this person"

    def _missing(self, channel: str) -> str:
        from coproduce.messaging import channels

        person, whose = self.person, self._whose()
        where = "Add it to your profile" if self.own else "Add it to their record"
        if channel == Channel.EMAIL and not person.email.strip():
            return f"We have no email address for {whose}. {where}, or choose another way."
        if channel == Channel.TEXT and not channels.mobile_number(person.phone):
            return f"We have no mobile number for {whose} to text. {where}, or choose another way."
        if channel == Channel.LETTER and not channels.postal_lines(person):
            return (
                f"We have no full postal address (with a postcode) for {whose}. "
                f"{where}, or choose another way."
            )
        if channel == Channel.PHONE and not channels.normalise_phone(person.phone):
            return f"We have no phone number for {whose}. {where}, or choose another way."
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[str] = []
        ended_at = ""
        for name in CHOICE_NAMES:
            if name not in data:
                continue  # already refused by the field
            value = data[name]
            if not value:
                ended_at = ended_at or name
                continue
            label = Channel(value).label.lower()
            if ended_at:
                self.add_error(
                    name,
                    f"You chose 'No more' for your {ended_at} choice. "
                    "Leave the later choices as 'No more' too.",
                )
            elif value in chosen:
                self.add_error(name, f"You chose {label} more than once. Choose each way once.")
            else:
                problem = self._missing(value)
                if problem:
                    self.add_error(name, problem)
                chosen.append(value)
        pref = self.preference
        if Channel.EMAIL in chosen and pref and (pref.email_opted_out_at or pref.email_bounced_at):
            if not data.get("email_back_on"):
                self.add_error("email_back_on", "To choose email, tick 'Send emails again'.")
        if Channel.TEXT in chosen and pref and pref.text_opted_out_at:
            if not data.get("text_back_on"):
                self.add_error(
                    "text_back_on", "To choose text message, tick 'Send text messages again'."
                )
        name, email = data.get("supporter_name", ""), data.get("supporter_email", "")
        if name and not email and "supporter_email" not in self.errors:
            self.add_error(
                "supporter_email", "Enter the supporter's email address, or remove their name."
            )
        if email and not name:
            self.add_error("supporter_name", "Enter the supporter's name.")
        data["channels"] = chosen
        return data
