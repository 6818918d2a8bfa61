# The blind index is a hash: it is only ever looked up whole (=, IN), never by prefix, so the
# pattern-ops index PostgreSQL gets for a unique text column serves nothing and costs every
# imported row. SQLite has no such index.

from django.db import migrations

LIKE_INDEX = "students_studentperson_id_index_1526692a_like"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{LIKE_INDEX}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{LIKE_INDEX}" '
            "ON students_studentperson (id_index varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0005_nearby_admission_migrant"),
    ]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
