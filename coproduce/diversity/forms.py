from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from coproduce.diversity.categories import (
    ConditionImpact,
    Ethnicity,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)
from coproduce.diversity.models import EqualityRecord, PopulationCount, RecordedVia
from coproduce.diversity.selectors import BY_KEY, CHARACTERISTICS, OUTREACH_CHARACTERISTICS
from coproduce.people.models import Area, Availability, Channel, Tenure

if TYPE_CHECKING:
    from coproduce.projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _grouped_ethnicity() -> list[Any]:
    groups: dict[str, list[tuple[str, str]]] = {
        "White": [],
        "Mixed or Multiple ethnic groups": [],
        "Asian or Asian British": [],
        "Black, Black British, Caribbean or African": [],
        "Other ethnic group": [],
    }
    names = list(groups)
    prefixes = ["white", "mixed", "asian", "black", "other"]
    for code, label in Ethnicity.choices:
        if code == "prefer_not":
            continue
        groups[names[prefixes.index(code.split("_", 1)[0])]].append((code, label))
    return [("", "Choose one"), *groups.items(), ("prefer_not", "Prefer not to say")]


def _without_blank(choices: Any) -> list[tuple[Any, Any]]:
    """The (value, label) pairs of a model field's choices, less the blank "---------" one.

    ``Any``: django-stubs types the ``choices`` getter like its setter (callables, mappings and
    enum classes too), but the getter gives back the normalised pairs."""
    return [(value, label) for value, label in choices if value != ""]


class EqualityForm(forms.ModelForm):
    statistics = forms.BooleanField(
        required=False, label="Yes, use my answers for statistics (counted with everyone else)"
    )
    outreach = forms.BooleanField(
        required=False,
        label="Yes, use my answers to invite me when people like me are not being heard",
    )

    class Meta:
        model = EqualityRecord
        fields = [
            "ethnicity",
            "long_term_condition",
            "condition_impact",
            "sex",
            "gender_same_as_birth",
            "sexual_orientation",
            "religion",
            "first_language_english",
            "first_language",
        ]
        labels = {
            "ethnicity": "What is your ethnic group?",
            "sex": "What is your sex?",
            "sexual_orientation": "Which of these best describes your sexual orientation?",
            "religion": "What is your religion?",
        }
        widgets = {
            "long_term_condition": forms.RadioSelect(choices=YesNo.choices),
            "condition_impact": forms.RadioSelect(choices=ConditionImpact.choices),
            "sex": forms.RadioSelect(choices=Sex.choices),
            "gender_same_as_birth": forms.RadioSelect(choices=YesNo.choices),
            "sexual_orientation": forms.RadioSelect(choices=SexualOrientation.choices),
            "religion": forms.RadioSelect(choices=Religion.choices),
            "first_language_english": forms.RadioSelect(choices=YesNo.choices),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ethnicity = self.fields["ethnicity"]
        assert isinstance(ethnicity, forms.ChoiceField)
        ethnicity.choices = _grouped_ethnicity()
        for name in self.Meta.fields:
            field = self.fields[name]
            field.required = False
            if isinstance(field, forms.ChoiceField) and name != "ethnicity":
                field.choices = _without_blank(field.choices)
        self.fields["condition_impact"].help_text = "Only if you have a condition or illness."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("statistics") or data.get("outreach")):
            answered = any(data.get(name) for name in self.Meta.fields)
            if answered:
                raise forms.ValidationError(
                    "Tick at least one way we may use your answers, or leave the questions "
                    "blank. Without your consent we keep nothing."
                )
        return data


class StaffEqualityForm(EqualityForm):
    recorded_via = forms.ChoiceField(
        label="How are you recording these answers with the person?",
        choices=[
            c
            for c in RecordedVia.choices
            if c[0] in (RecordedVia.PHONE, RecordedVia.PAPER, RecordedVia.IN_PERSON)
        ],
        widget=forms.RadioSelect,
    )
    consent_read_out = forms.BooleanField(
        label="I read the consent wording to the person and they agreed to the purposes "
        "ticked above"
    )

    field_order = ["recorded_via"]


class DashboardFilterForm(forms.Form):
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All projects"
    )
    start = forms.DateField(label="From", required=False, widget=DATE)
    end = forms.DateField(label="To", required=False, widget=DATE)
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), required=False, empty_label="All areas"
    )
    tenure = forms.ChoiceField(
        choices=[("", "All")] + list(Tenure.choices), required=False, label="Tenure or service"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from coproduce.projects.models import Project

        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = Project.objects.order_by("title")


def _outreach_group_choices() -> list[tuple[str, str]]:
    choices = [("", "Anyone")]
    for key in OUTREACH_CHARACTERISTICS:
        char = BY_KEY[key]
        for code, label in char.categories():
            choices.append((f"{key}:{code}", f"{char.name}: {label}"))
    return choices


class OutreachForm(forms.Form):
    group = forms.ChoiceField(label="Whose voice is missing?", required=False, choices=[])
    involvement = forms.ChoiceField(
        label="Involvement",
        widget=forms.RadioSelect,
        initial="never",
        choices=[
            ("never", "Never involved"),
            ("not_for_a_year", "Not involved in the last year"),
            ("any", "Anyone"),
        ],
    )
    channel = forms.ChoiceField(
        label="Who would like to take part",
        required=False,
        choices=[("", "Any way")] + list(Channel.choices),
    )
    availability = forms.ChoiceField(
        label="Free", required=False, choices=[("", "Any time")] + list(Availability.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = _outreach_group_choices()


class PopulationCountForm(forms.ModelForm):
    characteristic = forms.ChoiceField(choices=[(c.key, c.name) for c in CHARACTERISTICS])

    class Meta:
        model = PopulationCount
        fields = ["characteristic", "category", "area", "tenure", "count", "as_of", "source"]
        widgets = {"as_of": DATE}
        help_texts = {
            "category": "The category code as used on the dashboard, e.g. 18-34, "
            "white_british, asian, yes.",
            "area": "Leave empty for the whole organisation.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, category = data.get("characteristic"), data.get("category")
        if key and category:
            valid = {code for code, _ in BY_KEY[key].categories()}
            if category not in valid:
                self.add_error("category", f"Use one of: {', '.join(sorted(valid))}.")
        return data


MAX_CHOICES = 6


class QuickQuestionForm(forms.Form):
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(queryset=None)
    title = forms.CharField(label="What is it about?", max_length=200)
    question_1 = forms.CharField(label="Question 1", max_length=200)
    question_2 = forms.CharField(label="Question 2 (optional)", max_length=200, required=False)
    question_3 = forms.CharField(label="Question 3 (optional)", max_length=200, required=False)
    choices = forms.CharField(
        label="Answers to choose from (optional)",
        help_text="One answer on each line, 2 to 6 of them, for a single question. People "
        "then tick a box on a paper reply slip, text back a number, or choose online. Leave it "
        "empty for answers in people's own words.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=600,
    )
    several = forms.BooleanField(label="People may choose more than one answer", required=False)
    sample_size = forms.IntegerField(
        label="How many people to ask", min_value=1, max_value=2000, initial=30
    )
    strata = forms.MultipleChoiceField(
        label="Make the sample diverse by",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=["age", "ethnicity", "carer"],
        choices=[
            (k, BY_KEY[k].name)
            for k in ("age", "ethnicity", "disability", "carer", "digital", "area")
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from coproduce.projects.models import Project

        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = Project.objects.order_by("title")

    def clean_choices(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["choices"].splitlines()]
        choices = [line for line in lines if line]
        if not choices:
            return []
        if not 2 <= len(choices) <= MAX_CHOICES:
            raise forms.ValidationError(f"Give between 2 and {MAX_CHOICES} answers, one a line.")
        if any(";" in choice for choice in choices):
            raise forms.ValidationError("Leave semicolons out of the answers.")
        if any(len(choice) > 80 for choice in choices):
            raise forms.ValidationError("Keep each answer under 80 characters.")
        if len({c.lower() for c in choices}) < len(choices):
            raise forms.ValidationError("Each answer must be different.")
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("choices") and (data.get("question_2") or data.get("question_3")):
            self.add_error(
                "choices",
                "A question with answers to choose from is asked on its own: leave questions 2 "
                "and 3 empty, or ask them another time.",
            )
        if data.get("several") and not data.get("choices"):
            self.add_error("several", "Give the answers to choose from first.")
        return data


class AnswerForm(forms.Form):
    answer_1 = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    answer_2 = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    answer_3 = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self,
        *args: Any,
        questions: list[str],
        choices: list[str] | None = None,
        several: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.chooses = bool(choices)
        if choices:
            # One question with answers to choose from: buttons, the same as the boxes on paper.
            options = [(label, label) for label in choices]
            self.fields["answer_1"] = (
                forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, required=False
                )
                if several
                else forms.ChoiceField(choices=options, widget=forms.RadioSelect, required=False)
            )
        for index in (1, 2, 3):
            name = f"answer_{index}"
            if index <= len(questions):
                self.fields[name].label = questions[index - 1]
            else:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if isinstance(data.get("answer_1"), list):
            data["answer_1"] = "; ".join(data["answer_1"])
        answers = [name for name in self.fields if name.startswith("answer_")]
        if not any((data.get(name) or "").strip() for name in answers):
            raise forms.ValidationError(
                "Choose an answer." if self.chooses else "Write an answer to at least one question."
            )
        return data


class AnswerOnBehalfForm(AnswerForm):
    """Staff writing down what someone said, and how they said it."""

    recorded_via = forms.ChoiceField(
        label="How did they answer?",
        choices=[
            (RecordedVia.PHONE, "By phone"),
            (RecordedVia.PAPER, "On paper"),
            (RecordedVia.IN_PERSON, "In person"),
        ],
        initial=RecordedVia.PHONE,
        widget=forms.RadioSelect,
    )
    field_order = ["recorded_via", "answer_1", "answer_2", "answer_3"]
