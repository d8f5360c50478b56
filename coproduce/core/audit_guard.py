"""The audit log is append-only in the database itself, not only in Python.

Migration core.0004 installs these triggers: on PostgreSQL one trigger function and a
BEFORE UPDATE OR DELETE row trigger; on SQLite two BEFORE triggers that RAISE(ABORT). A raw SQL
UPDATE or DELETE of an audit row is then refused whatever code sends it.

What still empties the table, on purpose:
- PostgreSQL's TRUNCATE (row triggers do not fire): the test database's flush, and
  `pg_restore --clean`, which drops and re-creates the table, function and trigger from the dump.
- `flush` on SQLite, which empties tables with DELETE: core's own `flush` command lifts these
  triggers for that moment only (see core/management/commands/flush.py).
A SQLite restore swaps the whole file, triggers included.

Beware on SQLite: a later migration that alters AuditEntry in a way that makes Django rebuild the
table (copy, drop, rename) drops these triggers with the old table; re-install them in that
migration (tests/core/test_audit_append_only.py fails if they are missing).
"""

from __future__ import annotations

from typing import Any

MESSAGE = "The audit log is append-only: entries cannot be changed or deleted."

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER core_auditentry_append_only
        BEFORE UPDATE OR DELETE ON core_auditentry
        FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]
INSTALL = {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL}
REMOVE = {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE}


def install(connection: Any) -> None:
    _run(connection, INSTALL)


def remove(connection: Any) -> None:
    _run(connection, REMOVE)


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    # Another engine gets no trigger: the queryset still refuses update() and delete().
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)
