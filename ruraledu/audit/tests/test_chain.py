import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ruraledu.audit import chain, guards
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record, audit_summary

TABLE = "audit_auditevent"


def _as_attacker(sql: str, params=()) -> None:
    """Change the table the way someone with database access would: guards off, raw SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the test's own inserts leave deferred key checks that ALTER TABLE refuses to skip
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")
        else:
            guards.uninstall(connection)
            cursor.execute(sql, params)
            guards.install(connection)


@pytest.fixture
def trail(district, district_admin):
    """Rows from each way of writing: one record, a bulk import, a summary."""
    audit_record(
        actor=district_admin,
        instance=district,
        action=AuditAction.UPDATE,
        before={"name": "旧区"},
        after={"name": "示例区"},
        address="2001:0db8::0001",
    )
    audit_bulk(
        actor=None,
        entries=[
            AuditEntry(model=type(district), object_id=i, action=AuditAction.CREATE, after={"n": i})
            for i in range(5)
        ],
        summary="导入",
        batch_size=2,
    )
    audit_summary(actor=district_admin, action=AuditAction.IMPORT, summary="导入 5 条")
    return list(AuditEvent.objects.order_by("pk"))


def _check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("integrity_check", stdout=out)
    return out.getvalue()


def test_every_way_of_writing_extends_one_chain(trail):
    # then
    assert len(trail) == 7
    assert trail[0].prev_hash == chain.GENESIS
    for previous, row in zip(trail, trail[1:], strict=False):
        assert row.prev_hash == previous.row_hash
    assert "共 7 条记录" in _check()
    assert trail[-1].row_hash in _check()


def test_it_names_the_first_row_altered_in_the_database(trail):
    # given: the third row's summary is rewritten behind the application's back
    target = trail[2]
    _as_attacker(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["改过", target.pk])
    # when
    with pytest.raises(CommandError) as error:
        _check()
    # then
    message = str(error.value)
    assert f"第 3 条记录处断开（记录编号 {target.pk}" in message
    assert "内容与其哈希不符" in message
    assert "此前 2 条记录核验无误" in message


def test_a_row_rehashed_by_the_attacker_breaks_the_next_link(trail):
    # given: the attacker changes a row and recomputes its own hash
    target = AuditEvent.objects.get(pk=trail[1].pk)
    target.summary = "改过"
    target.payload_hash = chain.payload_digest(target)
    new_hash = chain.digest(target.prev_hash, target)
    _as_attacker(
        f"UPDATE {TABLE} SET summary = %s, payload_hash = %s, row_hash = %s WHERE id = %s",
        ["改过", target.payload_hash, new_hash, target.pk],
    )
    # then: the next row no longer follows
    with pytest.raises(CommandError, match=f"第 3 条记录处断开（记录编号 {trail[2].pk}"):
        _check()


def test_a_deleted_row_is_found(trail):
    _as_attacker(f"DELETE FROM {TABLE} WHERE id = %s", [trail[4].pk])
    with pytest.raises(CommandError, match="被删除、插入或改动"):
        _check()


def test_a_deleted_tail_is_found_with_the_anchor(trail):
    anchor = trail[-1].row_hash
    _as_attacker(f"DELETE FROM {TABLE} WHERE id = %s", [trail[-1].pk])
    assert "共 6 条记录" in _check()
    with pytest.raises(CommandError, match="锚点哈希"):
        call_command("integrity_check", anchor=anchor)


def test_the_migration_chains_rows_written_before_it(trail):
    # given: rows without hashes, as before migration 0005
    _as_attacker(f"UPDATE {TABLE} SET prev_hash = '', row_hash = ''")
    with pytest.raises(CommandError, match="没有哈希"):
        _check()
    # when
    migration = importlib.import_module("ruraledu.audit.migrations.0005_hash_chain")
    # (a schema editor cannot open inside the test's transaction on SQLite: the two calls used)
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.backfill(apps, editor)
    # then: the hashes of the first formula, which 0007 upgrades; and the guards are back
    previous, expected = chain.GENESIS, []
    for row in trail:
        previous = chain.digest_v1(previous, row)
        expected.append(previous)
    assert list(AuditEvent.objects.order_by("pk").values_list("row_hash", flat=True)) == expected
    with pytest.raises(Exception):  # noqa: B017, PT011 (the database's own error)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET summary = 'x'")
