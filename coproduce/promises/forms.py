from __future__ import annotations

from typing import Any

from django import forms

from coproduce.core.text import validate_single_line
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.promises.models import (
    BoardDecision,
    DecisionRule,
    ProposalKind,
    SetStatus,
    TenantResponse,
    Via,
    VoteChoice,
)

STAFF_VIA = [c for c in Via.choices if c[0] != Via.WEB]


class SetForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.order_by("title"),
        label="Project",
        empty_label="Choose a project",
        error_messages={"required": "Choose a project.", "invalid_choice": "Choose a project."},
    )
    title = forms.CharField(
        max_length=200, label="Name of the set", initial="Our customer promises"
    )
    decision_rule = forms.ChoiceField(
        choices=DecisionRule.choices,
        widget=forms.RadioSelect,
        label="How does the group decide on proposals?",
        initial=DecisionRule.MAJORITY,
    )


class OnBehalfMixin(forms.Form):
    """For staff recording what someone said by phone, on paper or at a session: given the
    group's members, the form asks on whose behalf and how they said it."""

    def __init__(self, *args: Any, members: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.add_on_behalf(members)

    def add_on_behalf(self, members: list[Person]) -> None:
        self.fields["person"] = forms.TypedChoiceField(
            label="On behalf of",
            coerce=int,
            choices=[("", "Choose a member of the group")] + [(p.pk, p.full_name) for p in members],
        )
        self.fields["via"] = forms.ChoiceField(
            label="How did they tell you?",
            choices=STAFF_VIA,
            widget=forms.RadioSelect,
            initial=Via.PHONE,
        )


class ProposalForm(OnBehalfMixin):
    kind = forms.ChoiceField(
        choices=ProposalKind.choices, widget=forms.RadioSelect, label="What would you like to do?"
    )
    promise = forms.TypedChoiceField(
        label="Which promise?", required=False, coerce=int, empty_value=None
    )
    other_promise = forms.TypedChoiceField(
        label="Merge with (for a merge)", required=False, coerce=int, empty_value=None
    )
    title = forms.CharField(label="Short title", max_length=120, required=False)
    wording = forms.CharField(
        label="The promise, in your words", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_practice = forms.CharField(
        label="What this means in practice (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    title_2 = forms.CharField(
        label="Second promise: short title (for a split)", max_length=120, required=False
    )
    wording_2 = forms.CharField(
        label="Second promise: wording (for a split)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Why? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, promises: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a promise")] + [(p.pk, p.title) for p in promises]
        for name in ("promise", "other_promise"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class VoteForm(OnBehalfMixin):
    choice = forms.ChoiceField(
        choices=VoteChoice.choices, widget=forms.RadioSelect, label="Your vote"
    )


class CommentForm(OnBehalfMixin):
    text = forms.CharField(label="Add to the discussion", widget=forms.Textarea(attrs={"rows": 3}))


class RankForm(OnBehalfMixin):
    """A place for each live promise (1 is the most important) and how many there should be."""

    count = forms.IntegerField(
        label="How many promises should there be?", min_value=1, max_value=30, required=False
    )

    def __init__(
        self, *args: Any, promises: list[Any], members: list[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        places = [(str(i), str(i)) for i in range(1, len(promises) + 1)]
        count = self.fields.pop("count")
        for p in promises:
            self.fields[f"place_{p.pk}"] = forms.ChoiceField(
                label=p.title, choices=[("", "Choose"), *places]
            )
        self.fields["count"] = count
        if members is not None:
            self.add_on_behalf(members)
        self.promises = promises

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(f"place_{p.pk}") for p in self.promises]
        if all(chosen) and len(set(chosen)) != len(chosen):
            raise forms.ValidationError(
                "Give each promise a different place: 1 for the most important."
            )
        return data

    def ranking(self) -> list[int]:
        """The promises' ids, most important first."""
        places = {p.pk: int(self.cleaned_data[f"place_{p.pk}"]) for p in self.promises}
        return sorted(places, key=places.__getitem__)


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=SetStatus.choices, widget=forms.HiddenInput)


class EditForm(forms.Form):
    title = forms.CharField(max_length=120, label="Short title")
    wording = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Wording")
    in_practice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What this means in practice",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CreditsForm(forms.Form):
    """For each member of the group: did they agree to be named, and the name to show."""

    def __init__(self, *args: Any, rows: list[tuple[Person, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for person, credit in rows:
            self.fields[f"consent_{person.pk}"] = forms.BooleanField(
                required=False,
                label=f"{person.full_name} agreed to be named",
                initial=bool(credit and credit.consent_to_be_named),
            )
            self.fields[f"name_{person.pk}"] = forms.CharField(
                max_length=100,
                required=False,
                # Added per form, so core.text.install() never sees it: say it here.
                validators=[validate_single_line],
                label=f"Name to show for {person.full_name}",
                initial=(credit.name_as if credit and credit.name_as else person.full_name),
            )

    def people(self) -> list[tuple[Person, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"consent_{p.pk}"], self[f"name_{p.pk}"]) for p, _ in self.rows]


class BoardMeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the board meeting",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    presenters = forms.TypedMultipleChoiceField(
        label="Who presented (tenants)",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Notes")

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["presenters"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.pk, p.full_name) for p in members]
        self.members = members

    def chosen_presenters(self) -> list[Person]:
        chosen = set(self.cleaned_data["presenters"])
        return [p for p in self.members if p.pk in chosen]


class BoardDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=BoardDecision.choices, widget=forms.RadioSelect, label="The board's decision"
    )
    requested_change = forms.CharField(
        required=False,
        label="The change the board asked for",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        required=False, label="The board's reason", widget=forms.Textarea(attrs={"rows": 2})
    )
    tenant_response = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        label="The tenants' response",
        choices=[("", "Not needed (accepted as written)"), *TenantResponse.choices],
    )
    tenant_reason = forms.CharField(
        required=False, label="The tenants' reason", widget=forms.Textarea(attrs={"rows": 2})
    )
    final = forms.CharField(
        required=False, label="What was finally agreed", widget=forms.Textarea(attrs={"rows": 2})
    )
