"""The audit trail becomes a hash chain (ruraledu/audit/chain.py): two columns, and the rows
already written are chained in id order. The append-only guards are lifted for the backfill
only; SQLite's are installed again (adding the columns rebuilt the table)."""

from django.db import migrations, models

from ruraledu.audit import chain, guards

BATCH = 2000


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    table = AuditEvent._meta.db_table
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_event_append_only")
    else:
        guards.uninstall(connection)
    previous, last_pk = chain.GENESIS, 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not rows:
            break
        updates = []
        for row in rows:
            row_hash = chain.digest_v1(previous, row)
            updates.append((previous, row_hash, row.pk))
            previous = row_hash
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET prev_hash = %s, row_hash = %s WHERE id = %s", updates
            )
        last_pk = rows[-1].pk
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_event_append_only")
    else:
        guards.install(connection, redaction=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_action_unlock")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="前一条哈希"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="本条哈希"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
