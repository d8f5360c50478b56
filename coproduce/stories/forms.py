from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from coproduce.projects.models import Decision, Project
from coproduce.stories.models import (
    ChangeKind,
    GuideQuestion,
    InterviewGuide,
    Opportunity,
    ShareConsent,
    Story,
    StoryConsent,
)
from coproduce.stories.split import FORMATS, TranscriptError, decode_transcript, detect_format

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class JournalEntryForm(forms.Form):
    happened_on = forms.DateField(label="When did it happen?", widget=DATE)
    what_happened = forms.CharField(
        label="What happened?", widget=forms.Textarea(attrs={"rows": 4})
    )
    how_it_felt = forms.CharField(
        label="How did it feel?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lightbulb = forms.CharField(
        label="Lightbulb moment (optional)",
        required=False,
        help_text="An idea or insight nobody would have had on their own.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    media_files = MultipleFileField(
        label="Photos, audio or video (optional)",
        required=False,
        help_text="JPG, PNG or WebP photos up to 10 MB; MP3, M4A, WAV or OGG audio up to 50 MB; "
        "MP4, WebM or MOV video up to 200 MB.",
    )
    file_description = forms.CharField(
        label="Describe the photos or recordings (optional)",
        required=False,
        max_length=300,
        help_text="For people who cannot see or hear them.",
    )
    consent = forms.ChoiceField(
        label="Who may see what you wrote?",
        choices=ShareConsent.choices,
        initial=ShareConsent.PROJECT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class StoryDetailsForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.order_by("title"))
    guide = forms.ModelChoiceField(
        label="Interview guide", queryset=InterviewGuide.objects.all(), empty_label=None
    )
    title = forms.CharField(max_length=200, help_text="For example “How we wrote the promises”.")
    storyteller_name = forms.CharField(label="Storyteller's name", max_length=200)
    storyteller_role = forms.CharField(label="Their role", max_length=200, required=False)
    recorded_on = forms.DateField(label="Date of the interview", widget=DATE)
    consent = forms.ChoiceField(
        label="What did the storyteller agree to?",
        choices=StoryConsent.choices,
        initial=StoryConsent.PRIVATE,
        widget=forms.RadioSelect,
    )
    public_name = forms.CharField(
        label="Name on the public page (optional)",
        max_length=200,
        required=False,
        help_text="Only if the story is public and they agreed to be named.",
    )
    transcript = forms.FileField(
        label="Transcript file (optional)",
        required=False,
        help_text="A .vtt or .srt caption file, or a .txt transcript with or without names. "
        "Leave empty to type the answers in.",
    )

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["recorded_on"].initial = timezone.localdate()
        guide = InterviewGuide.objects.filter(slug="default").first()
        if guide:
            self.fields["guide"].initial = guide.pk

    def clean_transcript(self) -> Any:
        upload = self.cleaned_data.get("transcript")
        if not upload:
            return None
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The transcript is too big (the limit is 5 MB).")
        try:
            text = decode_transcript(upload.read(), upload.name or "the transcript")
        except TranscriptError as exc:
            raise forms.ValidationError(str(exc)) from exc
        fmt = detect_format(upload.name or "", text)
        if fmt not in FORMATS:
            raise forms.ValidationError("Use a .txt, .vtt or .srt file.")
        if not text.strip():
            raise forms.ValidationError("The transcript is empty.")
        return (text, fmt)


class StoryEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    storyteller_name = forms.CharField(label="Storyteller's name", max_length=200)
    storyteller_role = forms.CharField(label="Their role", max_length=200, required=False)
    consent = forms.ChoiceField(
        label="What did the storyteller agree to?",
        choices=StoryConsent.choices,
        widget=forms.RadioSelect,
    )
    public_name = forms.CharField(
        label="Name on the public page (optional)", max_length=200, required=False
    )


def answer_fields(
    form: forms.Form, questions: list[GuideQuestion], story: Story | None = None
) -> None:
    """Add one answer box and one "agreed to share in public" box per guide question."""
    existing = {a.question_id: a for a in story.answers.all()} if story else {}
    for question in questions:
        answer = existing.get(question.pk)
        form.fields[f"answer_{question.number}"] = forms.CharField(
            label=f"{question.number}. {question.text}",
            required=False,
            initial=answer.text if answer else "",
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        form.fields[f"share_{question.number}"] = forms.BooleanField(
            label=f"They agreed to share answer {question.number} in public",
            required=False,
            initial=answer.shareable if answer else True,
        )


class SelfAssessmentForm(forms.Form):
    SCALE = [
        ("1", "1 – not at all"),
        ("2", "2"),
        ("3", "3 – somewhat"),
        ("4", "4"),
        ("5", "5 – very"),
    ]
    confidence = forms.TypedChoiceField(
        label="How confident do you feel speaking up?",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    skills = forms.TypedChoiceField(
        label="How much do you feel you have the skills to take part?",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    listened_to = forms.TypedChoiceField(
        label="How much do you feel listened to?",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    skills_gained = forms.CharField(
        label="Any skills you have gained (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opportunities = forms.MultipleChoiceField(
        label="Has taking part led to any of these? (optional)",
        choices=Opportunity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ImpactChangeForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.order_by("title"))
    kind = forms.ChoiceField(label="What changed?", choices=ChangeKind.choices)
    title = forms.CharField(label="The change, in a sentence", max_length=200)
    before = forms.CharField(
        label="How it was before (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    after = forms.CharField(label="How it is now", widget=forms.Textarea(attrs={"rows": 3}))
    voices = forms.CharField(
        label="You said: the voices behind it",
        help_text="What tenants said that led to the change.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    changed_on = forms.DateField(label="When it changed", widget=DATE)
    decisions = forms.ModelMultipleChoiceField(
        label="Decisions it came from (optional)",
        queryset=Decision.objects.select_related("project").order_by(
            "project__title", "decided_on"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stories = forms.ModelMultipleChoiceField(
        label="Stories that tell it (optional)",
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, stories: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stories is not None:
            self.fields["stories"].queryset = stories  # type: ignore[attr-defined]
        decision_field: Any = self.fields["decisions"]
        decision_field.label_from_instance = lambda d: f"{d.project}: {d.summary}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        project = data.get("project")
        if project and any(d.project_id != project.pk for d in data.get("decisions", [])):
            self.add_error("decisions", "Choose decisions from the same project.")
        return data
