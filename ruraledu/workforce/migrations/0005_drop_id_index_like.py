# The blind index is a hash, only ever looked up whole (=, IN), never by prefix: the
# pattern-ops index PostgreSQL gets for a unique text column serves nothing and costs every
# imported row (as students 0006). SQLite has no such index.

from django.db import migrations

TABLE, COLUMN = "workforce_staffperson", "id_index"


def _name(schema_editor) -> str:
    # the name Django gave it, so that a later change of the field finds it gone
    return schema_editor._create_index_name(TABLE, [COLUMN], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(schema_editor)}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_name(schema_editor)}" '
            f"ON {TABLE} ({COLUMN} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0004_certificate_training_rotation"),
    ]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
