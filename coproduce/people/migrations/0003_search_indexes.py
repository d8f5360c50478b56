"""Indexes for the people search on PostgreSQL: case-insensitive "starts with" on names and
exact matches on references and contact details, so a search stays fast at 250,000 people.
(SQLite deployments are small enough to scan.)"""

from django.db import migrations

INDEXES = {
    "people_person_upper_last_name": "UPPER(last_name) text_pattern_ops",
    "people_person_upper_first_name": "UPPER(first_name) text_pattern_ops",
    "people_person_upper_external_ref": "UPPER(external_ref)",
    "people_person_upper_email": "UPPER(email)",
    "people_person_upper_postcode": "UPPER(postcode)",
    "people_person_phone": "phone",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_person ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_updated_index")]

    operations = [migrations.RunPython(create, drop)]
