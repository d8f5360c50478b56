"""Forms for the messages pages: the fast reply-slip screen."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from coproduce.messaging import kinds, references, services
from coproduce.messaging.models import Message

_SEPARATORS = re.compile(r"(?:\s*(?:,|;|&|\+|/|\band\b)\s*)|\s+", re.IGNORECASE)


def read_boxes(typed: str) -> list[int]:
    """Box numbers as typed: "2", "1, 3", "1 3", "1 and 3". ValueError with a plain message."""
    parts = [part for part in _SEPARATORS.split(typed.strip()) if part]
    if not parts:
        raise ValueError("Type the number of the box that is ticked, like 2.")
    if not all(part.isdigit() and len(part) <= 3 for part in parts):
        raise ValueError("Type box numbers only, like 2, or 1, 3 when several boxes are ticked.")
    return list(dict.fromkeys(int(part) for part in parts))


class ReplySlipForm(forms.Form):
    """One reply slip: the reference printed on it and the numbers of the boxes ticked.

    Whether several boxes may be ticked is the letter's own business (its kind's `Reply`): an
    invitation takes one answer; a quick question takes one unless it was asked as "choose every
    answer that applies". Several numbers on a slip that takes one are refused, so staff ring the
    person rather than guess.
    """

    reference = forms.CharField(
        label="Reference on the slip",
        help_text="7 letters and numbers, like ABC-DEFG. Capitals and the dash do not matter.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )
    ticked = forms.CharField(
        label="Numbers of the boxes ticked",
        help_text="Like 2. When more than one box may be ticked and is: 1, 3.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    change = forms.BooleanField(
        label="Change the answer already recorded to this one", required=False
    )

    message: Message
    codes: list[str]
    answer: str

    def clean_reference(self) -> str:
        try:
            stored = references.read(self.cleaned_data["reference"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        message = Message.objects.select_related("person").filter(reference=stored).first()
        if message is None:
            raise forms.ValidationError(
                f"No letter has the reference {references.shown(stored)}. Check each character "
                "on the slip."
            )
        self.message = message
        return stored

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reference" not in data or "ticked" not in data:
            return data
        try:
            boxes = read_boxes(data["ticked"])
        except ValueError as exc:
            self.add_error("ticked", str(exc))
            return data
        reply = kinds.get(self.message.kind).reply
        if reply is None:
            self.add_error("reference", "This letter does not take replies.")
            return data
        options = services.reply_codes(self.message)
        if not options:
            self.add_error(
                "ticked",
                "This slip has lines to write on, not boxes to tick: record the written answer "
                "where the question is kept (for a quick question, on its page).",
            )
            return data
        wrong = [n for n in boxes if not 1 <= n <= len(options)]
        if wrong:
            self.add_error(
                "ticked",
                f"This slip has boxes 1 to {len(options)}: there is no box {wrong[0]}.",
            )
            return data
        if len(boxes) > 1 and not reply.allows_several(self.message):
            self.add_error(
                "ticked",
                "Only one box may be ticked on this slip. When someone ticks more than one, "
                "ring them to ask which they meant.",
            )
            return data
        self.codes = [options[n - 1][0] for n in boxes]
        self.answer = "; ".join(options[n - 1][1] for n in boxes)
        return data
