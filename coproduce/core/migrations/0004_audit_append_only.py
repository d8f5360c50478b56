"""The audit log refuses UPDATE and DELETE in the database (see coproduce/core/audit_guard.py).

An entry's actor is PROTECTed: a login that acted is never deleted (people are erased by
renaming their login, see coproduce/privacy/erasure.py), and SET_NULL would be an UPDATE of the
log that the trigger refuses anyway.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from coproduce.core import audit_guard


def install(apps, schema_editor):
    audit_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_upload_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RunPython(install, remove),
    ]
