"""The erasure test that matters: erase the demo's long-involved tenant, then look for them
in every text column of every table and in every uploaded file.

Nothing may be found outside what the law keeps, and what is kept shows only the pseudonym.
Dashboard totals, ledger totals and health-check figures do not change.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.test import TestCase

from coproduce.accounts.models import User
from coproduce.demo.build import demo_build
from coproduce.diversity.models import EqualityRecord
from coproduce.diversity.selectors import BY_KEY, dashboard
from coproduce.evaluation.models import Coding, EvidenceItem, Judgement
from coproduce.meetings.models import Attendance
from coproduce.people.models import Person
from coproduce.privacy.erasure import person_erase
from coproduce.privacy.links import person_links
from coproduce.rewards import services as rewards
from coproduce.rewards.models import Category, LedgerEntry, LineStatus, RewardLine

from .conftest import open_request

DOMAIN = "demo.coproduce.test"


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def _hits(value: str) -> list[tuple[str, str, int]]:
    """(model, field, pk) of every row holding `value` in any text column, in every table.

    The database finds candidates with icontains; a candidate counts only when the value is
    not part of a longer word or address ("tenant@x" inside "new.tenant@x" is someone else)."""
    whole = re.compile(rf"(?<![\w.+-]){re.escape(value)}(?!\w)", re.IGNORECASE)
    found = []
    for model in apps.get_models():
        for name in _text_fields(model):
            rows = model._default_manager.filter(**{f"{name}__icontains": value})
            found += [
                (model._meta.label_lower, name, pk)
                for pk, text in rows.values_list("pk", name)
                if whole.search(text if isinstance(text, str) else json.dumps(text))
            ]
    return found


def _file_hits(values: list[str]) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    found = []
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            data = path.read_bytes().lower()
            found += [f"{path}: {v}" for v in values if v.lower().encode() in data]
    return found


def _pay_everything_owed(person: Person) -> None:
    """Erasure waits until they are paid: finance approves and pays what is owed."""
    coordinator = User.objects.get(email=f"coordinator@{DOMAIN}")
    finance = User.objects.get(email=f"finance@{DOMAIN}")
    to_review = list(
        RewardLine.objects.filter(person=person, status=LineStatus.TO_REVIEW).values_list(
            "pk", flat=True
        )
    )
    rewards.lines_review(line_ids=to_review, actor=coordinator)
    for category in (Category.FEE, Category.EXPENSE):
        ids = list(
            RewardLine.objects.filter(
                person=person, category=category, status=LineStatus.REVIEWED
            ).values_list("pk", flat=True)
        )
        if ids:
            batch = rewards.batch_approve(
                line_ids=ids, category=category, approver=finance, confirm_warnings=True
            )
            rewards.batch_mark_paid(batch=batch, actor=finance)


def _figures() -> dict:
    board = dashboard(raw=True)
    return {
        "dashboard": (
            board.participants,
            board.population,
            [(t.key, t.population_total, t.participant_total) for t in board.tables],
        ),
        "attendances": Attendance.objects.count(),
        "ledger": LedgerEntry.objects.aggregate(total=Sum("amount"))["total"],
        "ledger_lines": LedgerEntry.objects.count(),
        "health_check": (
            EvidenceItem.objects.count(),
            Coding.objects.count(),
            Judgement.objects.count(),
        ),
    }


def test_erasing_the_demo_tenant_leaves_no_trace_outside_what_the_law_keeps(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(homes=300, seed=2026, stdout=io.StringIO())
    tenant = Person.objects.select_related("user").get(user__email=f"tenant@{DOMAIN}")
    assert tenant.attendances.count() >= 10, "the demo tenant should be long involved"
    name, email, phone, postcode = tenant.full_name, tenant.email, tenant.phone, tenant.postcode
    assert all([name, email, phone, postcode])
    assert _hits(name) and _hits(email), "the search must find them before the erasure"

    had_answers = set(BY_KEY) if EqualityRecord.objects.filter(person=tenant).exists() else set()
    _pay_everything_owed(tenant)
    before = _figures()
    assert before["ledger"] > Decimal("0")
    paid_to_them = LedgerEntry.objects.filter(person=tenant).count()
    assert paid_to_them

    dora = User.objects.get(email=f"data.protection@{DOMAIN}")
    request = open_request(tenant)
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_erase(request=request, actor=dora)

    # Nothing left anywhere: name, email, phone, in any text column of any table, or file.
    for value in (name, email, phone):
        assert _hits(value) == [], f"{value!r} is still held"
    assert _file_hits([name, email, phone]) == []
    # The postcode is shared by neighbours: no row that links to the tenant holds it.
    tenant.refresh_from_db()
    linked = []
    for link in person_links():
        target = tenant if link.target == "person" else tenant.user_id
        fields = _text_fields(link.model)
        if not fields:
            continue
        query = Q()
        for f in fields:
            query |= Q(**{f"{f}__icontains": postcode})
        rows = link.model._default_manager.filter(**{link.field: target}).filter(query)
        linked += [(link.label, pk) for pk in rows.values_list("pk", flat=True)]
    assert linked == []
    assert postcode.lower() not in tenant.postcode.lower() or tenant.postcode == ""

    # What the law keeps is still there, under the pseudonym only.
    assert tenant.full_name == tenant.pseudonym and tenant.pseudonym.startswith("Erased person")
    assert LedgerEntry.objects.filter(person=tenant).count() == paid_to_them
    assert str(LedgerEntry.objects.filter(person=tenant).first()).endswith(tenant.pseudonym)
    assert not User.objects.get(pk=tenant.user_id).is_active

    # Totals unchanged. The one exception the law makes: their equality answers are deleted,
    # so the tables built from equality answers count one known answer fewer.
    after = _figures()
    board_before, board_after = before.pop("dashboard"), after.pop("dashboard")
    assert after == before
    assert board_after[:2] == board_before[:2]  # people taking part, people we serve
    for (key, pop, part), (key_after, pop_after, part_after) in zip(
        board_before[2], board_after[2], strict=True
    ):
        assert key == key_after
        if BY_KEY[key].equality and key in had_answers:
            assert (pop_after, part_after) == (pop - 1, part - 1), key
        else:
            assert (pop_after, part_after) == (pop, part), key
