from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from coproduce.accounts.roles import STAFF_ROLES
from coproduce.api.models import TokenKind
from coproduce.api.scopes import SCOPES
from coproduce.api.tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What uses it, so you know it again: for example, Housing system nightly sync.",
    )
    kind = forms.ChoiceField(
        label="Kind of token", choices=TokenKind.choices, initial=TokenKind.SERVICE
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=get_user_model().objects.none(),
        help_text=(
            "The member of staff who answers for it. The token stops working if their account "
            "is switched off."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Give only what the system needs.",
    )
    days = forms.IntegerField(
        label="Lasts for (days)",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        help_text=f"Between 1 and {MAX_DAYS} days. Make a new one before it runs out.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = (
            get_user_model()
            .objects.filter(is_active=True, role__in=[str(r) for r in STAFF_ROLES])
            .order_by("full_name", "email")
        )
        owner.label_from_instance = lambda obj: f"{obj.full_name or obj.email} ({obj.email})"  # type: ignore[method-assign]
