"""Send any due data-request deadline reminders: a cron fallback for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.privacy.services import data_reminders_send_due


class Command(BaseCommand):
    help = "Email the data-protection leads about requests due within 7 days (each once)."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = data_reminders_send_due()
        self.stdout.write(f"Reminded about {reminded} request{'s' if reminded != 1 else ''}.")
