from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from coproduce.core.models import AuditEntry


def audit_search(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.get("actor"):
        entries = entries.filter(actor_email__icontains=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action__icontains=filters["action"])
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz)
        entries = entries.filter(at__gte=start)
    if filters.get("date_to"):
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        entries = entries.filter(at__lt=end)
    return entries
