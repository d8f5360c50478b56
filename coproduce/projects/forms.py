from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from coproduce.accounts.roles import INVOLVEMENT_TEAM
from coproduce.projects.models import (
    Decision,
    MemberRole,
    Project,
    StaffRole,
    Stage,
    SupportRequest,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "purpose", "status", "started_on"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "started_on": DATE,
            "status": forms.RadioSelect,
        }


class SelfAssessmentForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "team_ladder",
            "team_ladder_reason",
            "scie_equality",
            "scie_diversity",
            "scie_accessibility",
            "scie_reciprocity",
            "scie_notes",
        ]
        labels = {
            "team_ladder": "Where does the team think this project is on the ladder?",
            "team_ladder_reason": "Why?",
            "scie_equality": "Equality: tenants and staff are equal partners",
            "scie_diversity": "Diversity: a wide range of people take part",
            "scie_accessibility": "Accessibility: everyone can take part in a way that suits them",
            "scie_reciprocity": "Reciprocity: people get something back for what they give",
            "scie_notes": "Notes on the four principles",
        }
        widgets = {
            "team_ladder": forms.RadioSelect,
            "scie_equality": forms.RadioSelect,
            "scie_diversity": forms.RadioSelect,
            "scie_accessibility": forms.RadioSelect,
            "scie_reciprocity": forms.RadioSelect,
            "team_ladder_reason": forms.Textarea(attrs={"rows": 3}),
            "scie_notes": forms.Textarea(attrs={"rows": 3}),
        }


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["kind", "name", "target_start", "target_end", "status", "notes"]
        labels = {"target_start": "Target start (can move)", "target_end": "Target end (can move)"}
        widgets = {
            "target_start": DATE,
            "target_end": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("target_start"), data.get("target_end")
        if start and end and end < start:
            self.add_error("target_end", "The target end must be on or after the target start.")
        return data


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "summary", "decided_by", "tenant_views", "feedback", "feedback_on"]
        labels = {"decided_by": "Who made the decision?"}
        widgets = {
            "decided_on": DATE,
            "feedback_on": DATE,
            "decided_by": forms.RadioSelect,
            "tenant_views": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }


class MemberAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        choices=MemberRole.choices, widget=forms.RadioSelect, initial=MemberRole.MEMBER
    )
    joined_on = forms.DateField(label="Joined on", widget=DATE)


class StaffAddForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Staff member")
    role = forms.ChoiceField(choices=StaffRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            .objects.filter(role__in=INVOLVEMENT_TEAM, is_active=True)
            .order_by("full_name")
        )


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["team", "what", "why", "when", "who_affected"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 3}),
            "who_affected": forms.Textarea(attrs={"rows": 2}),
        }


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label="What will you do?",
        widget=forms.RadioSelect,
        choices=[("accept", "Take it on"), ("decline", "Do not take it on")],
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.all(),
        required=False,
        label="Add it to a project",
        empty_label="Start a new project from this request",
    )
    note = forms.CharField(
        label="Note to the colleague", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
