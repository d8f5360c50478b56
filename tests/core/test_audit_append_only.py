"""The audit log cannot be changed or emptied: not through Django, not with raw SQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from coproduce.accounts.models import User
from coproduce.core.audit import audit_record
from coproduce.core.models import AppendOnlyError, AuditEntry

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(db):
    return audit_record(action="test.action", summary="hello")


def _unchanged(entry):
    assert AuditEntry.objects.filter(pk=entry.pk).values_list("summary", flat=True).get() == "hello"


def test_queryset_update_is_refused(entry):
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry.objects.update(summary="changed")
    _unchanged(entry)


def test_queryset_delete_is_refused(entry):
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()
    _unchanged(entry)


def test_bulk_update_and_update_or_create_are_refused(entry):
    entry_copy = AuditEntry.objects.get(pk=entry.pk)
    entry_copy.summary = "changed"
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry.objects.bulk_update([entry_copy], ["summary"])
    with pytest.raises(AppendOnlyError, match="append-only"):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"summary": "changed"})
    _unchanged(entry)


@pytest.mark.parametrize(
    "sql",
    [f"UPDATE {TABLE} SET summary = 'changed'", f"DELETE FROM {TABLE}"],
    ids=["update", "delete"],
)
def test_raw_sql_is_refused_by_the_database(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    _unchanged(entry)


def test_a_login_that_acted_cannot_be_deleted(entry):
    user = User.objects.create_user("gone@example.org", "correct horse battery staple")
    audit_record(action="test.action", actor=user)
    with pytest.raises(ProtectedError):
        user.delete()
    assert AuditEntry.objects.filter(actor=user).exists()


def test_new_entries_are_still_written(entry):
    audit_record(action="test.second")
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_log_and_the_guard_comes_back():
    audit_record(action="test.action", summary="hello")
    call_command("flush", verbosity=0, interactive=False)
    assert not AuditEntry.objects.exists()
    entry = audit_record(action="test.action", summary="hello")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
    _unchanged(entry)
