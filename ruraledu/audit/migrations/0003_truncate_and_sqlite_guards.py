"""PostgreSQL also refuses TRUNCATE of the audit table (a statement trigger: the row trigger
of 0002 does not see it); SQLite gets triggers refusing UPDATE and DELETE."""

from django.db import migrations

from ruraledu.audit import guards


def create_guards(apps, schema_editor):
    guards.install(schema_editor.connection, redaction=False)


def drop_guards(apps, schema_editor):
    guards.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create_guards, drop_guards, elidable=False)]
