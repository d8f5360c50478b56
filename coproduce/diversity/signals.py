"""Any saved or deleted person, equality answer, consent, attendance or session queues a
background refresh of the dashboard's figures, and so does a committed people import (its bulk
writes send no `post_save`, so people sends `people_imported` instead)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _changed(sender: Any, **kwargs: Any) -> None:
    from coproduce.diversity.tasks import request_warm

    transaction.on_commit(request_warm)


def _imported(sender: Any, **kwargs: Any) -> None:
    from coproduce.diversity.tasks import request_warm

    request_warm()  # people sends this once the import has committed


def connect() -> None:
    from coproduce.diversity.models import EqualityConsent, EqualityRecord
    from coproduce.meetings.models import Attendance, Meeting
    from coproduce.people.models import Person
    from coproduce.people.signals import people_imported

    people_imported.connect(_imported, dispatch_uid="warm-people-imported")

    for model in (Person, EqualityRecord, EqualityConsent, Attendance, Meeting):
        post_save.connect(_changed, sender=model, dispatch_uid=f"warm-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"warm-del-{model.__name__}")
