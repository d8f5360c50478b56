"""Django's `flush`, able to empty the audit log on SQLite too.

Flushing empties every table: it is how the test database is reset between transactional tests.
PostgreSQL flushes with TRUNCATE, which the audit log's row trigger lets through; SQLite flushes
with DELETE, which its trigger refuses. So on SQLite the triggers are dropped for the flush and
put back straight after, in the same transaction as the flush where possible.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from coproduce.core import audit_guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            audit_guard.remove(connection)
            try:
                super().handle(**options)
            finally:
                audit_guard.install(connection)
