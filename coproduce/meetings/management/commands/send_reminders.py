"""Send any session reminders that are due: a cron fallback for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.meetings.services import reminders_send_due


class Command(BaseCommand):
    help = "Send reminders for sessions whose reminder time has passed (each sent once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send_due()
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
