from __future__ import annotations

from typing import Any

from django import forms

from coproduce.core import uploads
from coproduce.tsm.models import TsmYear
from coproduce.tsm.selectors import spec_label
from coproduce.tsm.services import METHOD_FIELDS

AREA = {"rows": 3}


class YearCreateForm(forms.Form):
    label = forms.CharField(
        label="Reporting year", max_length=7, help_text="The two years it spans, like 2025/26."
    )


class YearForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = TsmYear
        fields = list(METHOD_FIELDS)
        labels = {
            "lcra_homes": "Low-cost rental homes (LCRA) at the year end",
            "lcho_homes": "Low-cost home ownership homes (LCHO) at the year end",
            "survey_timing": "When the survey was carried out",
            "collection_methods": "How answers were collected (post, phone, online, face to face)",
            "sample_method": "Who was asked: everyone (a census) or a sample, and how it was drawn",
            "contractor": "External contractor (leave empty if you ran it yourselves)",
            "contractor_role": "Who did what: the contractor's part and yours",
            "exclusions": "Tenants left out of the survey, how many and why",
            "incentives": "Incentives offered for taking part",
            "changes": "Changes of method from last year, and why",
            "weighting_note": "Weighting: the variables and why (the weights are shown too)",
            "other_notes": "Anything else tenants should know about the figures",
        }
        widgets = {
            name: forms.Textarea(attrs=AREA)
            for name in (
                "survey_timing",
                "collection_methods",
                "sample_method",
                "contractor_role",
                "exclusions",
                "incentives",
                "changes",
                "weighting_note",
                "other_notes",
            )
        }


def clean_table_file(upload: Any) -> Any:
    """Size, emptiness and the archive check, before any reading."""
    if upload.size == 0:
        raise forms.ValidationError("The file is empty.")
    if upload.size > uploads.max_upload_bytes():
        raise forms.ValidationError(uploads.too_large_message())
    name = (upload.name or "").rsplit("/", 1)[-1]
    if not name.lower().endswith((".csv", ".xlsx")):
        raise forms.ValidationError("Choose a .csv or .xlsx file.")
    if name.lower().endswith(".xlsx"):
        try:
            uploads.check_archive(upload.file, name=name)
        except uploads.ArchiveError as exc:
            if not exc.damaged:
                raise forms.ValidationError(f"Nothing was imported. {exc}") from None
        finally:
            upload.seek(0)
    return upload


class FileForm(forms.Form):
    file = forms.FileField(label="File (CSV or Excel)")

    def clean_file(self) -> Any:
        return clean_table_file(self.cleaned_data["file"])


def _field_name(code: str, part: int | None, which: str) -> str:
    return f"{code.lower()}_{part or 0}_{which}"


class FiguresForm(forms.Form):
    """A numerator and a denominator for every management measure (and every part)."""

    def __init__(self, *args: Any, specs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        for spec in self.specs:
            label = f"{spec_label(spec)}: {spec.name}"
            for which, words in (("numerator", spec.numerator), ("denominator", spec.denominator)):
                self.fields[_field_name(spec.code, spec.part, which)] = forms.DecimalField(
                    label=f"{label}: {words}",
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (
                spec,
                self[_field_name(spec.code, spec.part, "numerator")],
                self[_field_name(spec.code, spec.part, "denominator")],
            )
            for spec in self.specs
        ]

    def figures(self) -> dict[tuple[str, int | None], tuple[Any, Any]]:
        data = self.cleaned_data
        return {
            (spec.code, spec.part): (
                data.get(_field_name(spec.code, spec.part, "numerator")),
                data.get(_field_name(spec.code, spec.part, "denominator")),
            )
            for spec in self.specs
        }


def figures_initial(lines: Any) -> dict[str, Any]:
    initial = {}
    for line in lines:
        initial[_field_name(line.spec.code, line.spec.part, "numerator")] = line.numerator
        initial[_field_name(line.spec.code, line.spec.part, "denominator")] = line.denominator
    return initial
