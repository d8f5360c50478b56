"""The register of data-protection requests (subject access, erasure, restriction).

UK GDPR Art. 12(3): a request is answered "without undue delay and in any event within one
month of receipt"; the ICO reads that as one calendar month (to the same date the next month,
or the last day of that month when there is no such date), extendable by two further months
for complex requests.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models

from coproduce.people.models import Person


def one_calendar_month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class RequestKind(models.TextChoices):
    ACCESS = "access", "Copy of their data (subject access)"
    ERASURE = "erasure", "Erase their data"
    RESTRICTION = "restriction", "Restrict use of their data"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DataRequest(models.Model):
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="data_requests")
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    received_on = models.DateField()
    due_on = models.DateField(db_index=True)
    # Set when the deadline is extended (up to two further months for complex requests).
    extended_reason = models.TextField(blank=True)
    # True when the person asked from "About me" rather than through the data-protection lead.
    asked_by_person = models.BooleanField(default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was done, in plain words (e.g. what was erased and what is kept by law).
    outcome = models.TextField(blank=True)
    export_file = models.FileField(upload_to="privacy/exports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # One open request of each kind per person: a second, at the same moment, is refused.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(status="open"),
                name="privacy_one_open_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for person {self.person_id}"
