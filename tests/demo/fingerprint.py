"""A fingerprint of the demo's tables that does not depend on the database.

Every model of our apps (`coproduce.*`, with the many-to-many tables Django makes for them) is
read in full. Each row becomes a tuple of its column values with:

- the primary key, every foreign key, the audit log's `object_id` (read through its
  `object_type`) and the pks listed in a ballot's `ranking`, replaced by the row's rank in its
  table ordered by pk, so database sequences (which differ between SQLite and PostgreSQL and
  between tests) do not matter;
- `auto_now` / `auto_now_add` timestamps dropped: they come from the clock;
- the columns in NOT_REPEATABLE reduced to whether they are filled in: salted password hashes,
  random voucher codes and quick-question tokens, story ids and journal file names, and the
  times the services the demo calls take from the clock (when a theme run finished and how long
  it took, when a batch was approved and paid, when a re-map was asked for);
- the rows of the tables in WRITTEN_BY_TRIGGERS kept without their own pk: database triggers
  write them in an order that differs between SQLite and PostgreSQL, and no table points to
  them.

Some text columns carry pks (audit summaries "person #5", a promise version's "Proposal #1",
a reward line's "attendance:731"), so the test resets the database sequences before it builds.

Left out: Django's own tables and those of the libraries we use (`auth` permissions and groups,
`contenttypes`, `sessions`, `django_otp` devices, `django_tasks_db` task results). They hold
nothing the demo decides: permissions and content types follow the installed apps, and the
task results carry random ids and enqueue times.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any

from django.apps import apps
from django.db import models

# model label -> columns that differ between two builds for a reason the demo does not control
NOT_REPEATABLE: dict[str, set[str]] = {
    "accounts.user": {"password"},
    "diversity.quickquestionrecipient": {"token"},
    "evaluation.healthcheck": {"remap_requested_at"},
    "evaluation.themerun": {"finished_at", "seconds"},
    "rewards.paymentbatch": {"approved_at", "paid_at"},
    "rewards.voucher": {"code"},
    "stories.journalfile": {"file"},
    "stories.story": {"public_id"},
}

WRITTEN_BY_TRIGGERS = {"diversity.projectparticipation"}

# model label -> {JSON column: label of the model whose pks it lists}
PK_LISTS: dict[str, dict[str, str]] = {"promises.ballot": {"ranking": "promises.promise"}}


def our_models() -> list[type[models.Model]]:
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config is not None
        and model._meta.app_config.name.startswith("coproduce.")
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def _ranks(model: type[models.Model]) -> dict[Any, int]:
    pks = model._default_manager.order_by("pk").values_list("pk", flat=True)
    return {pk: rank for rank, pk in enumerate(pks, start=1)}


def _plain(value: Any) -> Any:
    """One spelling for a value, whichever database it came from."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def table_rows(model: type[models.Model], ranks: dict[str, dict[Any, int]]) -> list[tuple]:
    label = model._meta.label_lower
    hidden = NOT_REPEATABLE.get(label, set())
    pk_lists = PK_LISTS.get(label, {})
    columns = [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and not (field.primary_key and label in WRITTEN_BY_TRIGGERS)
    ]
    rows = []
    for values in model._default_manager.values_list(*(field.attname for field in columns)):
        row = []
        for field, value in zip(columns, values, strict=True):
            if field.name in hidden:
                value = value not in (None, "")
            elif field.primary_key:
                value = ranks[label][value]
            elif field.is_relation and value is not None:
                value = ranks[field.related_model._meta.label_lower][value]
            elif field.name in pk_lists:
                value = [ranks[pk_lists[field.name]][pk] for pk in value]
            row.append(_plain(value))
        if label == "core.auditentry":
            row = _audit_object_as_rank(row, columns, ranks)
        rows.append(tuple(row))
    return sorted(rows, key=repr)


def _audit_object_as_rank(row: list, columns: list, ranks: dict[str, dict[Any, int]]) -> list:
    names = [field.name for field in columns]
    object_type, object_id = row[names.index("object_type")], row[names.index("object_id")]
    table = ranks.get(object_type)
    if table is not None and object_id:
        key = next((pk for pk in table if str(pk) == object_id), None)
        row[names.index("object_id")] = f"rank {table[key]}" if key is not None else "gone"
    return row


def demo_tables() -> dict[str, list[tuple]]:
    models_ = our_models()
    ranks = {model._meta.label_lower: _ranks(model) for model in models_}
    return {model._meta.label_lower: table_rows(model, ranks) for model in models_}


def demo_fingerprint() -> str:
    tables = demo_tables()
    return hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()
