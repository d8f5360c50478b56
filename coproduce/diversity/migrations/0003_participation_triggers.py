"""Database triggers that keep diversity_projectparticipation in step with attendances.

PostgreSQL uses a statement-level trigger for inserts (one aggregated upsert per COPY or
bulk insert) and row-level triggers for deletes and updates; SQLite uses row-level triggers.
"""

from django.db import migrations

T = "diversity_projectparticipation"
RECOMPUTE = f"""
    DELETE FROM {T} WHERE person_id = {{person}} AND project_id = {{project}};
    INSERT INTO {T} (person_id, project_id, attendances, first_at)
        SELECT a.person_id, m.project_id, COUNT(*), MIN(m.starts_at)
        FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
        WHERE a.person_id = {{person}} AND m.project_id = {{project}}
        GROUP BY a.person_id, m.project_id;
"""

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION coproduce_participation_recompute(p_person bigint,
                                                                p_project bigint)
    RETURNS void AS $$
    BEGIN
        {RECOMPUTE.format(person="p_person", project="p_project")}
    END $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE OR REPLACE FUNCTION coproduce_attendance_inserted() RETURNS trigger AS $$
    BEGIN
        INSERT INTO {T} (person_id, project_id, attendances, first_at)
            SELECT n.person_id, m.project_id, COUNT(*), MIN(m.starts_at)
            FROM new_rows n JOIN meetings_meeting m ON m.id = n.meeting_id
            GROUP BY n.person_id, m.project_id
        ON CONFLICT (person_id, project_id) DO UPDATE
            SET attendances = {T}.attendances + EXCLUDED.attendances,
                first_at = LEAST({T}.first_at, EXCLUDED.first_at);
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER coproduce_attendance_inserted AFTER INSERT ON meetings_attendance
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION coproduce_attendance_inserted();
    """,
    """
    CREATE OR REPLACE FUNCTION coproduce_attendance_changed() RETURNS trigger AS $$
    BEGIN
        PERFORM coproduce_participation_recompute(
            OLD.person_id, (SELECT project_id FROM meetings_meeting WHERE id = OLD.meeting_id));
        IF TG_OP = 'UPDATE' THEN
            PERFORM coproduce_participation_recompute(
                NEW.person_id, (SELECT project_id FROM meetings_meeting WHERE id = NEW.meeting_id));
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER coproduce_attendance_deleted AFTER DELETE ON meetings_attendance
        FOR EACH ROW EXECUTE FUNCTION coproduce_attendance_changed();
    """,
    """
    CREATE TRIGGER coproduce_attendance_updated AFTER UPDATE OF person_id, meeting_id
        ON meetings_attendance FOR EACH ROW EXECUTE FUNCTION coproduce_attendance_changed();
    """,
    """
    CREATE OR REPLACE FUNCTION coproduce_meeting_moved() RETURNS trigger AS $$
    DECLARE who bigint;
    BEGIN
        FOR who IN SELECT person_id FROM meetings_attendance WHERE meeting_id = NEW.id LOOP
            PERFORM coproduce_participation_recompute(who, OLD.project_id);
            IF NEW.project_id <> OLD.project_id THEN
                PERFORM coproduce_participation_recompute(who, NEW.project_id);
            END IF;
        END LOOP;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER coproduce_meeting_moved AFTER UPDATE OF starts_at, project_id
        ON meetings_meeting FOR EACH ROW
        WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at
              OR OLD.project_id IS DISTINCT FROM NEW.project_id)
        EXECUTE FUNCTION coproduce_meeting_moved();
    """,
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS coproduce_meeting_moved ON meetings_meeting",
    "DROP TRIGGER IF EXISTS coproduce_attendance_updated ON meetings_attendance",
    "DROP TRIGGER IF EXISTS coproduce_attendance_deleted ON meetings_attendance",
    "DROP TRIGGER IF EXISTS coproduce_attendance_inserted ON meetings_attendance",
    "DROP FUNCTION IF EXISTS coproduce_meeting_moved()",
    "DROP FUNCTION IF EXISTS coproduce_attendance_changed()",
    "DROP FUNCTION IF EXISTS coproduce_attendance_inserted()",
    "DROP FUNCTION IF EXISTS coproduce_participation_recompute(bigint, bigint)",
]


def _sqlite_recompute(person: str, meeting: str) -> str:
    project = f"(SELECT project_id FROM meetings_meeting WHERE id = {meeting})"
    return RECOMPUTE.format(person=person, project=project)


SQLITE = [
    f"""
    CREATE TRIGGER coproduce_attendance_inserted AFTER INSERT ON meetings_attendance
    BEGIN
        INSERT INTO {T} (person_id, project_id, attendances, first_at)
            SELECT NEW.person_id, m.project_id, 1, m.starts_at
            FROM meetings_meeting m WHERE m.id = NEW.meeting_id
        ON CONFLICT (person_id, project_id) DO UPDATE
            SET attendances = attendances + 1, first_at = MIN(first_at, excluded.first_at);
    END;
    """,
    f"""
    CREATE TRIGGER coproduce_attendance_deleted AFTER DELETE ON meetings_attendance
    BEGIN
        {_sqlite_recompute("OLD.person_id", "OLD.meeting_id")}
    END;
    """,
    f"""
    CREATE TRIGGER coproduce_attendance_updated AFTER UPDATE OF person_id, meeting_id
        ON meetings_attendance
    BEGIN
        {_sqlite_recompute("OLD.person_id", "OLD.meeting_id")}
        {_sqlite_recompute("NEW.person_id", "NEW.meeting_id")}
    END;
    """,
    f"""
    CREATE TRIGGER coproduce_meeting_moved AFTER UPDATE OF starts_at, project_id
        ON meetings_meeting
        WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.project_id IS NOT NEW.project_id
    BEGIN
        DELETE FROM {T} WHERE project_id IN (OLD.project_id, NEW.project_id)
            AND person_id IN (SELECT person_id FROM meetings_attendance
                              WHERE meeting_id = NEW.id);
        INSERT INTO {T} (person_id, project_id, attendances, first_at)
            SELECT a.person_id, m.project_id, COUNT(*), MIN(m.starts_at)
            FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
            WHERE m.project_id IN (OLD.project_id, NEW.project_id)
              AND a.person_id IN (SELECT person_id FROM meetings_attendance
                                  WHERE meeting_id = NEW.id)
            GROUP BY a.person_id, m.project_id;
    END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS coproduce_meeting_moved",
    "DROP TRIGGER IF EXISTS coproduce_attendance_updated",
    "DROP TRIGGER IF EXISTS coproduce_attendance_deleted",
    "DROP TRIGGER IF EXISTS coproduce_attendance_inserted",
]

BACKFILL = f"""
    INSERT INTO {T} (person_id, project_id, attendances, first_at)
        SELECT a.person_id, m.project_id, COUNT(*), MIN(m.starts_at)
        FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
        GROUP BY a.person_id, m.project_id
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"coproduce supports PostgreSQL and SQLite, not {vendor}")
    for sql in statements:
        schema_editor.execute(sql)
    schema_editor.execute(f"DELETE FROM {T}")
    schema_editor.execute(BACKFILL)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("diversity", "0002_participation"),
        ("meetings", "0002_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
