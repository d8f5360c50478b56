from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from coproduce.projects.models import Project
from coproduce.rewards.models import ExpenseClaim, RewardChoice, RewardForm, RewardOffer
from coproduce.rewards.money import to_money

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECEIPT_TYPES = {
    "pdf": b"%PDF",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024


class MoneyField(forms.CharField):
    """Reads pounds as text straight into Decimal (never float)."""

    def __init__(self, *args: Any, minimum: str = "0", **kwargs: Any) -> None:
        self.minimum = Decimal(minimum)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = (super().to_python(value) or "").replace("£", "").replace(",", "").strip()
        if not text:
            return None
        if len(text) > 15:
            raise ValidationError("Enter an amount in pounds, like 15 or 7.50")
        try:
            amount = to_money(text)
        except ValueError as exc:
            raise ValidationError("Enter an amount in pounds, like 15 or 7.50") from exc
        if amount < self.minimum:
            raise ValidationError(f"Enter an amount of at least £{self.minimum:.2f}")
        if amount >= Decimal("100000000"):
            raise ValidationError("That amount is too large")
        return amount

    def prepare_value(self, value: Any) -> Any:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class PolicyForm(forms.Form):
    text = forms.CharField(label="The policy, in plain words", widget=forms.Textarea)
    effective_from = forms.DateField(label="Comes into effect on", widget=DATE)


class OfferForm(forms.ModelForm):
    rate = MoneyField(label="Rate in pounds", help_text="For example 15 or 12.50")

    class Meta:
        model = RewardOffer
        fields = [
            "activities",
            "rewards_sessions",
            "rewards_time_given",
            "rate_basis",
            "rate",
            "applies_from",
            "covers_travel",
            "covers_care",
            "covers_childcare",
            "covers_phone_data",
            "covers_meals",
            "expenses_notes",
        ]
        widgets = {
            "rate_basis": forms.RadioSelect,
            "applies_from": DATE,
            "activities": forms.Textarea(attrs={"rows": 3}),
            "expenses_notes": forms.Textarea(attrs={"rows": 3}),
        }


class ChoiceForm(forms.ModelForm):
    lower_cap = MoneyField(
        label="If you chose a lower amount: the most you want each time, in pounds", required=False
    )

    class Meta:
        model = RewardChoice
        fields = ["form", "voucher_kind", "charity_name", "lower_cap", "wants_benefit_info"]
        widgets = {"form": forms.RadioSelect}
        labels = {
            "voucher_kind": "If you chose a voucher: which shop or kind of voucher",
            "charity_name": "If you chose a donation: which charity",
        }

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radios without the blank "---------" a model field's choices would add.
        self.fields["form"].choices = list(RewardForm.choices)  # type: ignore[attr-defined]
        if staff:
            self.fields["advice_offered_on"] = forms.DateField(
                label="Date independent welfare-rights advice was offered",
                required=False,
                widget=DATE,
                initial=self.instance.advice_offered_on if self.instance.pk else None,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form = data.get("form")
        if form == RewardForm.VOUCHER and not data.get("voucher_kind"):
            self.add_error("voucher_kind", "Say which voucher you would like")
        if form == RewardForm.DONATION and not data.get("charity_name"):
            self.add_error("charity_name", "Say which charity you would like us to give to")
        if form == RewardForm.LOWER and data.get("lower_cap") is None:
            self.add_error("lower_cap", "Say the most you want each time")
        return data


class ExpenseForm(forms.ModelForm):
    amount = MoneyField(label="Amount in pounds", minimum="0.01")
    project = forms.ModelChoiceField(
        queryset=Project.objects.filter(reward_offer__isnull=False), label="Project"
    )
    receipt_file = forms.FileField(label="Receipt (PDF, JPG or PNG, up to 5 MB)", required=False)

    class Meta:
        model = ExpenseClaim
        fields = ["project", "kind", "incurred_on", "amount", "description", "paper_receipt_seen"]
        widgets = {"incurred_on": DATE}

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if person is not None:
            # A person claims only for projects they are in, and cannot tick "paper receipt
            # seen" for themselves: that is for staff who have seen it.
            self.fields["project"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
                reward_offer__isnull=False, members__person=person, members__left_on__isnull=True
            )
            del self.fields["paper_receipt_seen"]
            self.fields[
                "receipt_file"
            ].label = "Photo or scan of your receipt (PDF, JPG or PNG, up to 5 MB)"

    def clean_receipt_file(self) -> Any:
        upload = self.cleaned_data.get("receipt_file")
        if not upload:
            return None
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in RECEIPT_TYPES:
            raise ValidationError("The receipt must be a PDF, JPG or PNG file")
        if upload.size > RECEIPT_MAX_BYTES:
            raise ValidationError("The receipt must be smaller than 5 MB")
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(RECEIPT_TYPES[suffix]):
            raise ValidationError("The receipt file is not really a PDF, JPG or PNG")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("receipt_file")
            and not data.get("paper_receipt_seen")
            and not (self.errors.get("receipt_file"))
        ):
            self.add_error(
                "receipt_file",
                "Upload the receipt, or tick that you have seen a paper receipt"
                if "paper_receipt_seen" in self.fields
                else "Upload a photo or scan of your receipt",
            )
        return data


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Why are you correcting this?", max_length=300)
    new_amount = MoneyField(
        label="The right amount in pounds (leave empty to cancel the line)", required=False
    )
