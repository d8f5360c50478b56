"""Forms for the queue of texts that came in and wait for a person."""

from __future__ import annotations

from typing import Any

from django import forms


class TextAnswerForm(forms.Form):
    """Record a waiting text as the answer to one of the person's messages."""

    answer = forms.ChoiceField(
        label="What does the text answer?",
        help_text="The person's messages that take an answer, from the last 30 days.",
        error_messages={
            "required": "Choose the answer this text gives.",
            "invalid_choice": "Choose one of the answers in the list.",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [("", "Choose an answer"), *choices]  # type: ignore[attr-defined]

    def clean_answer(self) -> tuple[int, str]:
        message_id, _, code = self.cleaned_data["answer"].partition(":")
        return int(message_id), code


class TextDealtWithForm(forms.Form):
    """Mark a waiting text as dealt with some other way, with a note."""

    note = forms.CharField(
        label="What did you do?",
        help_text="For example: rang them back and they are coming.",
        max_length=250,
        error_messages={"required": "Say what you did about this text."},
    )
