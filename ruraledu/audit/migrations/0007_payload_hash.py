"""The chain covers a salted hash of each row's payload instead of the payload itself, so the
payload can later be redacted (ruraledu/audit/chain.py, redaction.py). The rows already written
are checked under the first formula (a broken trail is not upgraded), keep that hash in
`legacy_hash` (earlier anchors stay valid) and are chained again under the new one. The guards
are lifted for the upgrade only and come back accepting the one permitted erasure."""

import secrets

from django.db import migrations, models

from ruraledu.audit import chain, guards

BATCH = 2000


def _lift(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {guards.TABLE} DISABLE TRIGGER audit_event_append_only")
    else:
        guards.uninstall(schema_editor.connection)


def _restore(schema_editor, *, redaction: bool):
    if schema_editor.connection.vendor == "postgresql":
        function = guards.PG_FUNCTION if redaction else guards.PG_FUNCTION_V1
        schema_editor.execute(function, params=None)
        schema_editor.execute(f"ALTER TABLE {guards.TABLE} ENABLE TRIGGER audit_event_append_only")
    else:
        guards.uninstall(schema_editor.connection)
        guards.install(schema_editor.connection, redaction=redaction)


def _batches(AuditEvent):
    last_pk = 0
    while rows := list(AuditEvent.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH]):
        yield rows
        last_pk = rows[-1].pk


def _write(connection, updates):
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {guards.TABLE} SET prev_hash = %s, row_hash = %s, payload_hash = %s, "
            "payload_salt = %s, legacy_hash = %s WHERE id = %s",
            updates,
        )


def upgrade(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    _lift(schema_editor)
    old, new, position = chain.GENESIS, chain.GENESIS, 0
    for rows in _batches(AuditEvent):
        updates = []
        for row in rows:
            position += 1
            if row.prev_hash != old or row.row_hash != chain.digest_v1(old, row):
                raise RuntimeError(
                    f"审计链在第 {position} 条记录（记录编号 {row.pk}）处不符，未升级："
                    "请先用 integrity_check 查明原因。"
                )
            old = row.legacy_hash = row.row_hash
            row.payload_salt = secrets.token_hex(16)
            row.payload_hash = chain.payload_digest(row)
            row.prev_hash = new
            row.row_hash = new = chain.digest(new, row)
            updates.append(
                (row.prev_hash, row.row_hash, row.payload_hash, row.payload_salt, old, row.pk)
            )
        _write(schema_editor.connection, updates)
    _restore(schema_editor, redaction=True)


def downgrade(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if AuditEvent.objects.filter(payload_salt="").exists():
        raise RuntimeError("审计记录中已有清除过内容的记录，无法退回不含内容哈希的格式。")
    _lift(schema_editor)
    previous = chain.GENESIS
    for rows in _batches(AuditEvent):
        updates = []
        for row in rows:
            row_hash = chain.digest_v1(previous, row)
            updates.append((previous, row_hash, "", "", "", row.pk))
            previous = row_hash
        _write(schema_editor.connection, updates)
    _restore(schema_editor, redaction=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_cspreport")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="payload_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="内容哈希"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_salt",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=32, verbose_name="内容盐值"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="legacy_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="升级前哈希"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("update", "修改"),
                    ("delete", "删除"),
                    ("transition", "状态变更"),
                    ("upload", "上传文件"),
                    ("import", "批量导入"),
                    ("unlock", "解除登录锁定"),
                    ("redact", "清除个人信息"),
                ],
                max_length=16,
                verbose_name="操作",
            ),
        ),
        migrations.RunPython(upgrade, downgrade, elidable=False),
    ]
