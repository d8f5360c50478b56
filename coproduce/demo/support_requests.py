"""Other teams asking the involvement team for help: a year of support requests, more each
quarter, the newest still waiting."""

from __future__ import annotations

import datetime as dt
import random

from coproduce.accounts.models import User
from coproduce.demo.riverside import at
from coproduce.projects.models import SupportRequest

TEAMS = [
    "Repairs",
    "Income",
    "Neighbourhoods",
    "Lettings",
    "Customer services",
    "Supported housing",
    "Asset management",
    "Complaints",
]
ASKS = [
    "A new letter for rent arrears",
    "The tenancy sustainment offer",
    "Our estate inspection checklist",
    "The complaints policy review",
    "Damp and mould communications",
    "Welcome pack for new tenants",
    "Sheltered scheme activities",
    "The anti-social behaviour leaflet",
]


def support_requests_add(colleague: User, rng: random.Random) -> int:
    made = 0
    month = dt.date(2025, 12, 1)
    for index in range(12):
        for _ in range(1 + index // 3):
            made += 1
            _request_add(colleague, month, waiting=index >= 10, rng=rng)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return made


def _request_add(colleague: User, month: dt.date, *, waiting: bool, rng: random.Random) -> None:
    created = at(month + dt.timedelta(days=rng.randint(0, 25)), 10)
    request = SupportRequest.objects.create(
        requested_by=colleague,
        team=rng.choice(TEAMS),
        what=rng.choice(ASKS),
        why="We want tenants to shape it, not just comment at the end.",
        when="Within three months",
        who_affected="Tenants who use this service",
        status="new" if waiting else rng.choice(["accepted", "declined"]),
        triage_note="" if waiting else "Discussed with the team.",
    )
    SupportRequest.objects.filter(pk=request.pk).update(created_at=created)
