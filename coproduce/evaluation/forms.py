from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from coproduce.core import uploads
from coproduce.core.text import clean_query
from coproduce.evaluation.models import (
    RATINGS,
    Action,
    ActionStatus,
    EvidenceItem,
    EvidenceKind,
    HealthCheck,
    Recommendation,
    Scale,
    Stage,
    Theme,
)
from coproduce.people.models import Person
from coproduce.promises.models import Promise, PromiseSet, SetStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckForm(forms.Form):
    promise_set = forms.ModelChoiceField(
        queryset=PromiseSet.objects.none(), label="Which promises are checked?"
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Year it starts")
    title = forms.CharField(max_length=200, label="Name")
    scale = forms.ChoiceField(
        choices=Scale.choices,
        widget=forms.RadioSelect,
        label="How will evaluators rate each promise?",
        initial=Scale.RAG,
    )
    board_date = forms.DateField(required=False, widget=DATE, label="Board date (if known)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["promise_set"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PromiseSet.objects.filter(
            status__in=[SetStatus.ADOPTED, SetStatus.PUBLISHED]
        )


class PlanForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Where the check is")
    plan_people = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Who we want to talk to"
    )
    plan_data = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Which data we want"
    )
    starts_on = forms.DateField(required=False, widget=DATE, label="Start")
    ends_on = forms.DateField(required=False, widget=DATE, label="End")
    board_date = forms.DateField(required=False, widget=DATE, label="Board date")


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        widget=forms.RadioSelect,
        choices=[
            (EvidenceKind.INTERVIEW, "Interview notes"),
            (EvidenceKind.OBSERVATION, "Observation"),
            (EvidenceKind.OTHER, "Something else"),
        ],
        initial=EvidenceKind.INTERVIEW,
    )
    source = forms.CharField(
        max_length=300,
        label="Who or where it came from",
        help_text="For example: interview with the repairs manager.",
    )
    gathered_on = forms.DateField(widget=DATE, label="Date")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What you found",
        help_text="Names, phone numbers and email addresses are hidden automatically.",
    )


class EvidenceFilterForm(forms.Form):
    """The search over a check's evidence (a GET form: an unknown source shows every source)."""

    q = forms.CharField(label="Words in the text", required=False)
    kind = forms.ChoiceField(
        label="Source", required=False, choices=[("", "All"), *EvidenceKind.choices]
    )

    def clean_q(self) -> str:
        return clean_query(self.cleaned_data.get("q"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file?",
        widget=forms.RadioSelect,
        choices=[
            (EvidenceKind.SURVEY, "Survey comments (CSV or Excel), such as the TSM survey"),
            (EvidenceKind.TRANSCRIPT, "Meeting transcript (.vtt, .srt or .txt)"),
            (EvidenceKind.DOCUMENT, "Document (PDF, Word or text)"),
        ],
    )
    title = forms.CharField(max_length=200, label="Name for this evidence")
    gathered_on = forms.DateField(widget=DATE, label="Date")
    file = forms.FileField(label="File")

    def clean_file(self) -> Any:
        return clean_evidence_file(self.cleaned_data["file"])


class TsmForm(forms.Form):
    file = forms.FileField(label="TSM management figures (CSV or Excel with code and value)")

    def clean_file(self) -> Any:
        return clean_evidence_file(self.cleaned_data["file"])


def clean_evidence_file(upload: Any) -> Any:
    """Size, emptiness and (for .xlsx and .docx) the archive check: cheap, before any parsing.

    Reading the file happens later, in a background job (evaluation.tasks).
    """
    if upload.size == 0:
        raise forms.ValidationError("The file is empty.")
    if upload.size > uploads.max_upload_bytes():
        raise forms.ValidationError(uploads.too_large_message())
    name = (upload.name or "").rsplit("/", 1)[-1]
    if name.lower().endswith((".xlsx", ".docx")):
        try:
            uploads.check_archive(upload.file, name=name)
        except uploads.ArchiveError as exc:
            if not exc.damaged:  # a damaged file gets the reader's own message later
                raise forms.ValidationError(f"Nothing was imported. {exc}") from None
        finally:
            upload.seek(0)
    return upload


class CodingForm(forms.Form):
    passage = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="The passage (copy the words from the text above)",
        help_text="Leave empty to code the whole item.",
    )
    theme = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Theme")
    new_theme = forms.CharField(required=False, max_length=200, label="Or a new theme")
    promise = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Promise")

    def __init__(self, *args: Any, themes: list[Any], promises: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        promise = self.fields["promise"]
        assert isinstance(theme, forms.ChoiceField) and isinstance(promise, forms.ChoiceField)
        theme.choices = [("", "No theme")] + [(t.pk, t.label) for t in themes]
        promise.choices = [("", "No promise")] + [(p.pk, p.title) for p in promises]


class JudgementForm(forms.Form):
    rating = forms.ChoiceField(widget=forms.RadioSelect, label="Our rating")
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What we found, in our own words"
    )
    strengths = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What is working"
    )
    improve = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What must improve"
    )
    themes = forms.TypedMultipleChoiceField(
        required=False, coerce=int, widget=forms.CheckboxSelectMultiple, label="Themes behind this"
    )
    quotes = forms.TypedMultipleChoiceField(
        required=False, coerce=int, widget=forms.CheckboxSelectMultiple, label="Quotes to use"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, scale: str, themes: list[Any], quotes: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("rating", RATINGS[scale]),
            ("themes", [(t.pk, t.label) for t in themes]),
            ("quotes", [(q.pk, f"“{q.text[:140]}”") for q in quotes]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class SectionForm(forms.Form):
    title = forms.CharField(max_length=200, label="Heading")
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label="Text")
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvaluatorForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        empty_label=None,
        label="Add an evaluator from the project",
        error_messages={
            "required": "Choose a person.",
            "invalid_choice": "Choose a person from the project.",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class RenameThemeForm(forms.Form):
    label = forms.CharField(max_length=200, label="New name")

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"rename-{theme.pk}")
        kwargs.setdefault("initial", {"label": theme.label})
        super().__init__(*args, **kwargs)
        self.fields["label"].label = f"New name for “{theme.label}”"


class MergeThemeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        empty_label=None,
        label="Merge into",
        error_messages={"invalid_choice": "Choose another theme to merge into."},
    )

    def __init__(self, *args: Any, theme: Theme, targets: list[Theme], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"merge-{theme.pk}")
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Theme.objects.filter(pk__in=[t.pk for t in targets if t.pk != theme.pk])
        field.label = f"Merge “{theme.label}” into"


class _ItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        words = obj.text.split()
        return f"Move item {obj.pk}: “{' '.join(words[:20])}{'…' if len(words) > 20 else ''}”"


class _PromiseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class SplitThemeForm(forms.Form):
    items = _ItemsField(
        queryset=EvidenceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Items that belong in the new theme",
        error_messages={"required": "Choose the items that belong in the new theme."},
    )
    label = forms.CharField(max_length=200, label="Name of the new theme")

    def __init__(self, *args: Any, items: QuerySet[EvidenceItem], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "split")
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = items


class RecommendationForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Recommendation")
    promise = _PromiseField(
        queryset=Promise.objects.none(),
        required=False,
        empty_label="All of them",
        label="About which promise",
    )

    def __init__(self, *args: Any, check: HealthCheck, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "recommend")
        super().__init__(*args, **kwargs)
        field = self.fields["promise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = check.promise_set.promises.filter(dropped=False)


class BoardResponseForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="The board's response"
    )
    agreed = forms.ChoiceField(
        choices=cast(list[tuple[str, str]], Recommendation._meta.get_field("board_agreed").choices),
        label="Did the board agree?",
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"respond-{recommendation.pk}")
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    description = forms.CharField(max_length=1000, label="New action")
    owner = forms.CharField(max_length=200, label="Owner")
    due_on = forms.DateField(
        required=False,
        widget=DATE,
        label="Due",
        error_messages={"invalid": "Enter the due date as a date."},
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"action-{recommendation.pk}")
        super().__init__(*args, **kwargs)


class ProgressForm(forms.Form):
    text = forms.CharField(max_length=1000, label="Progress update")
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"progress-{action.pk}")
        kwargs.setdefault("initial", {"status": action.status})
        super().__init__(*args, **kwargs)
