from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from coproduce.accounts.roles import INVOLVEMENT_TEAM
from coproduce.meetings.models import (
    Meeting,
    RecordedVia,
    Room,
    Rsvp,
    SessionChannel,
    SupportRole,
    Venue,
)
from coproduce.projects.models import Project

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picked in UK time (Europe/London); Django makes it timezone-aware."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
        kwargs.setdefault("error_messages", {"invalid": "Enter a real date and time."})
        super().__init__(**kwargs)


class MeetingForm(forms.ModelForm):
    starts_at = LocalDateTimeField(
        label="Starts", help_text="UK time. For example 14/01/2027 18:30"
    )
    ends_at = LocalDateTimeField(label="Ends", help_text="UK time, on the same or a later day.")
    joining_link = forms.URLField(
        label="Joining link",
        required=False,
        assume_scheme="https",
        help_text="Needed for online and hybrid sessions.",
    )
    reminder_at = LocalDateTimeField(
        label="Send reminders at",
        required=False,
        help_text="Optional. UK time. Goes to everyone invited who has not said no, by email, "
        "text, letter or a phone call, whichever each person chose.",
    )

    class Meta:
        model = Meeting
        fields = [
            "project",
            "title",
            "channel",
            "starts_at",
            "ends_at",
            "capacity",
            "joining_link",
            "phone_details",
            "location_notes",
            "agenda",
            "materials",
            "reminder_at",
            "status",
        ]
        labels = {
            "title": "Session name",
            "channel": "How people take part",
            "capacity": "Most people who can take part",
            "joining_link": "Joining link",
            "status": "Status",
        }
        help_texts = {
            "capacity": "Leave empty if there is no limit.",
            "joining_link": "Needed for online and hybrid sessions.",
            "phone_details": "Needed for phone sessions: the number and any code.",
            "materials": "Printed in large type for people taking part offline.",
        }
        widgets = {
            "channel": forms.RadioSelect,
            "status": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "materials": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.order_by("title")  # type: ignore[attr-defined]
        self.fields["project"].empty_label = "Choose a project"  # type: ignore[attr-defined]
        self.fields["channel"].choices = SessionChannel.choices  # type: ignore[attr-defined]
        if self.instance.pk is None:
            del self.fields["status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        reminder = data.get("reminder_at")
        if reminder and starts and reminder >= starts:
            self.add_error("reminder_at", "Reminders must go before the session starts.")
        channel = data.get("channel")
        if channel in (SessionChannel.ONLINE, SessionChannel.HYBRID) and not data.get(
            "joining_link"
        ):
            self.add_error(
                "joining_link", "Enter the joining link for an online or hybrid session."
            )
        if channel == SessionChannel.PHONE and not data.get("phone_details"):
            self.add_error(
                "phone_details", "Enter the phone number and any code people need to join."
            )
        return data

    def _post_clean(self) -> None:
        # The service validates the model (inside its transaction); skip the early check
        # so errors are not shown twice.
        pass


class MeetingFilterForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.order_by("title"), required=False, empty_label="All projects"
    )
    channel = forms.ChoiceField(
        label="How people take part",
        choices=[("", "Any way"), *SessionChannel.choices],
        required=False,
    )
    when = forms.ChoiceField(
        label="When",
        choices=[("upcoming", "Coming up"), ("past", "Past"), ("all", "All")],
        required=False,
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label="Find people by name or reference",
        required=False,
        max_length=100,
        help_text="For example Smith, or Jo Smith, or a housing reference.",
    )


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(
        label="Reply",
        choices=[(Rsvp.YES, "Coming"), (Rsvp.MAYBE, "Maybe"), (Rsvp.NO, "Not coming")],
    )


class RsvpOnBehalfForm(RsvpForm):
    via = forms.ChoiceField(
        label="How did they tell you?",
        choices=[c for c in RecordedVia.choices if c[0] != RecordedVia.WEB],
    )


class RoomBookingForm(forms.Form):
    room = forms.ModelChoiceField(
        label="Room",
        queryset=Room.objects.select_related("venue").order_by("venue__name", "name"),
        empty_label="Choose a room",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"{r.venue.name}: {r.name} ({r.capacity} people, £{r.cost_per_hour}/hour)"
        )


class StaffAssignForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member of staff",
        queryset=get_user_model()
        .objects.filter(role__in=list(INVOLVEMENT_TEAM), is_active=True)
        .order_by("full_name"),
        empty_label="Choose a person",
    )
    role = forms.ChoiceField(label="Role at this session", choices=SupportRole.choices)


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "postcode",
            "step_free",
            "hearing_loop",
            "accessible_toilets",
            "parking",
            "public_transport",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "cost_per_hour"]
        labels = {"name": "Room name", "capacity": "Most people it holds"}
        help_texts = {"cost_per_hour": "In pounds, for example 25.00. Enter 0 if it is free."}

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.venue = venue


class RegisterRowForm(forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    took_part = forms.BooleanField(label="Took part", required=False)
    took_part_via = forms.ChoiceField(label="How they took part", choices=SessionChannel.choices)
    minutes = forms.IntegerField(
        label="Minutes given", min_value=1, max_value=24 * 60, required=False
    )
    recorded_via = forms.ChoiceField(
        label="How we know",
        choices=[c for c in RecordedVia.choices if c[0] not in (RecordedVia.WEB, RecordedVia.TEXT)],
    )


RegisterFormSet = forms.formset_factory(RegisterRowForm, extra=0)


class TimeGivenForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.order_by("title"), empty_label="Choose a project"
    )
    on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    minutes = forms.IntegerField(label="Time given (minutes)", min_value=1, max_value=24 * 60)
    what = forms.CharField(
        label="What they did",
        max_length=300,
        help_text="For example: read the draft promises and sent comments.",
    )
