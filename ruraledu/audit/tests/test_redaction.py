"""Redaction: a row's personal payload can be erased through one path only, the chain still
verifies, and any other change to a row (or an erasure outside that path) is still found."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ruraledu.audit import chain, guards
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.redaction import audit_redact, events_of
from ruraledu.audit.services import audit_record
from ruraledu.audit.tests.raw import raw_audit_text
from ruraledu.orgunits.models import Department

TABLE = guards.TABLE
NAME = "赵小红"


def _as_attacker(sql: str, params=()) -> None:
    """Change the table the way someone with database access would: guards off, raw SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")
        else:
            guards.uninstall(connection)
            cursor.execute(sql, params)
            guards.install(connection)


def _check(**options) -> str:
    out = StringIO()
    call_command("integrity_check", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def trail(district_admin):
    """Four rows: two about a department holding a child's name, one about another, one more."""
    first = Department.objects.create(code="d1", name="部门一")
    other = Department.objects.create(code="d2", name="部门二")
    audit_record(
        actor=district_admin,
        instance=first,
        action=AuditAction.CREATE,
        after={"contact": NAME},
        summary=f"联系人 {NAME}",
        address="10.0.0.1",
    )
    audit_record(
        actor=district_admin,
        instance=first,
        action=AuditAction.UPDATE,
        before={"note": ""},
        after={"note": f"{NAME}的母亲同意"},
    )
    audit_record(actor=district_admin, instance=other, action=AuditAction.UPDATE, after={"n": 1})
    audit_record(actor=None, instance=other, action=AuditAction.UPDATE, after={"n": 2})
    return first, other, list(AuditEvent.objects.order_by("pk"))


def _redact(first):
    with transaction.atomic():
        return audit_redact(
            events=events_of({Department: [first.pk]}),
            actor=None,
            instance=first,
            reason="retention",
            summary="保存期满，清除个人信息",
        )


def test_redaction_erases_the_payload_and_the_chain_still_verifies(trail):
    # given
    first, _, rows = trail
    assert NAME in raw_audit_text()
    # when
    redaction = _redact(first)
    # then: no trace of the name in the raw table, and the chain holds
    assert NAME not in raw_audit_text()
    assert redaction.action == AuditAction.REDACT
    assert redaction.actor_name == "系统"
    assert redaction.after == {
        "rows": [[rows[0].pk, rows[1].pk]],
        "count": 2,
        "reason": "retention",
    }
    erased = AuditEvent.objects.get(pk=rows[0].pk)
    assert (erased.object_repr, erased.summary, erased.before, erased.after) == (
        chain.REDACTED,
        chain.REDACTED,
        {},
        {},
    )
    assert erased.is_redacted
    # what never changes stayed
    kept = ("at", "actor_id", "actor_name", "address", "action", "object_id", "row_hash")
    assert [getattr(erased, f) for f in kept] == [getattr(rows[0], f) for f in kept]
    assert not AuditEvent.objects.get(pk=rows[2].pk).is_redacted
    assert "共 5 条记录" in _check()
    assert "其中 2 条的个人信息已按保存期限清除" in _check()
    # a second redaction finds nothing left to erase
    assert _redact(first) is None


def test_an_earlier_anchor_still_holds_after_redaction(trail):
    first, _, rows = trail
    anchor = rows[-1].row_hash
    _redact(first)
    assert "核验无误" in _check(anchor=anchor)


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        # the marker itself, written by a plain UPDATE
        (
            f"UPDATE {TABLE} SET object_repr = %s, summary = %s, payload_salt = '' WHERE id = %s",
            [chain.REDACTED, chain.REDACTED],
        ),
        (f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["改过"]),
        (f"DELETE FROM {TABLE} WHERE id = %s", []),
    ],
)
def test_a_plain_update_or_delete_is_refused(trail, sql, params):
    _, _, rows = trail
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*params, rows[0].pk])
    assert AuditEvent.objects.get(pk=rows[0].pk).summary == f"联系人 {NAME}"


def _erase_sql(extra: str = "") -> str:
    empty = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    return (
        f"UPDATE {TABLE} SET object_repr = %s, summary = %s, "
        f'"before" = {empty}, "after" = {empty}, payload_salt = \'\'{extra} WHERE id = %s'
    )


@pytest.mark.parametrize(
    ("extra", "params"),
    [
        (", actor_name = %s", ["别人"]),  # a kept column changed with the erasure
        (", row_hash = %s", ["0" * 64]),
        (", at = at", []),  # the same value: allowed (nothing changed)
    ],
)
def test_the_permitted_path_changes_the_payload_only(trail, extra, params):
    _, _, rows = trail
    sql = _erase_sql(extra)
    values = [chain.REDACTED, chain.REDACTED, *params, rows[0].pk]
    if params:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), guards.redaction_permitted(connection):
                connection.cursor().execute(sql, values)
        assert not AuditEvent.objects.get(pk=rows[0].pk).is_redacted
    else:
        with transaction.atomic(), guards.redaction_permitted(connection):
            connection.cursor().execute(sql, values)
        assert AuditEvent.objects.get(pk=rows[0].pk).is_redacted


def test_the_permitted_path_writes_the_marker_and_nothing_else(trail):
    _, _, rows = trail
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), guards.redaction_permitted(connection):
            connection.cursor().execute(_erase_sql(), ["另一段文字", chain.REDACTED, rows[0].pk])
    assert AuditEvent.objects.get(pk=rows[0].pk).object_repr == "部门一"


def test_a_redaction_row_is_never_redacted(trail):
    first, _, _ = trail
    redaction = _redact(first)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), guards.redaction_permitted(connection):
            connection.cursor().execute(
                _erase_sql(), [chain.REDACTED, chain.REDACTED, redaction.pk]
            )


def test_an_erasure_outside_the_path_is_found(trail):
    # given: the attacker writes the exact marker with the guards off, no redaction row
    _, other, rows = trail
    empty = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    _as_attacker(
        f"UPDATE {TABLE} SET object_repr = %s, summary = %s, "
        f'"before" = {empty}, "after" = {empty}, payload_salt = \'\' WHERE id = %s',
        [chain.REDACTED, chain.REDACTED, rows[2].pk],
    )
    # then
    with pytest.raises(CommandError) as error:
        _check()
    assert f"第 3 条记录处断开（记录编号 {rows[2].pk}" in str(error.value)
    assert "没有经清除程序登记" in str(error.value)


@pytest.mark.parametrize(
    ("sql", "params", "reason"),
    [
        # a redacted row's kept column
        (f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["别人"], "内容与其哈希不符"),
        # a redacted row's marker replaced by other text
        (f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["补写"], "已清除的内容被改动"),
    ],
)
def test_tampering_with_a_redacted_row_is_found(trail, sql, params, reason):
    first, _, rows = trail
    _redact(first)
    _as_attacker(sql, [*params, rows[0].pk])
    with pytest.raises(CommandError, match=reason):
        _check()


def test_a_redaction_row_listing_more_rows_is_found(trail):
    # given: the attacker widens a redaction to cover a row erased behind its back
    first, _, rows = trail
    redaction = _redact(first)
    _as_attacker(
        f"UPDATE {TABLE} SET after = %s WHERE id = %s"
        if connection.vendor == "sqlite"
        else f"UPDATE {TABLE} SET after = %s::jsonb WHERE id = %s",
        ['{"count": 3, "reason": "retention", "rows": [[1, 999999]]}', redaction.pk],
    )
    with pytest.raises(CommandError, match="内容与其哈希不符"):
        _check()


def test_the_sqlite_guard_names_every_column_redaction_keeps():
    columns = {f.column for f in AuditEvent._meta.concrete_fields}
    assert columns == set(guards.KEPT_COLUMNS) | set(chain.PAYLOAD_FIELDS)


def _as_before_0007(rows) -> list[str]:
    """Rewrite the rows as the first formula chained them (as after migration 0005)."""
    previous, hashes = chain.GENESIS, []
    for row in rows:
        row_hash = chain.digest_v1(previous, row)
        _as_attacker(
            f"UPDATE {TABLE} SET prev_hash = %s, row_hash = %s, payload_hash = '', "
            "payload_salt = '', legacy_hash = '' WHERE id = %s",
            [previous, row_hash, row.pk],
        )
        hashes.append(row_hash)
        previous = row_hash
    return hashes


def _upgrade() -> None:
    migration = importlib.import_module("ruraledu.audit.migrations.0007_payload_hash")
    # (a schema editor cannot open inside the test's transaction on SQLite: the two calls used)
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.upgrade(apps, editor)


def test_the_migration_upgrades_rows_written_under_the_first_formula(trail):
    # given rows as the first formula left them
    first, _, rows = trail
    old_hashes = _as_before_0007(rows)
    # when
    _upgrade()
    # then: each keeps its old hash, the chain verifies, an old anchor still holds
    upgraded = list(AuditEvent.objects.order_by("pk"))
    assert [row.legacy_hash for row in upgraded] == old_hashes
    assert all(row.payload_salt and row.payload_hash for row in upgraded)
    assert "共 4 条记录" in _check(anchor=old_hashes[1])
    # and those rows can be redacted like any other
    _redact(first)
    assert NAME not in raw_audit_text()
    assert "共 5 条记录" in _check(anchor=old_hashes[-1])
    # the guards are back
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET summary = 'x'")


def test_an_upgraded_row_altered_later_is_found_by_its_old_hash_too(trail):
    _, _, rows = trail
    _as_before_0007(rows)
    _upgrade()
    # the attacker changes the payload and recomputes the payload hash and the whole chain
    row = AuditEvent.objects.get(pk=rows[2].pk)
    row.after = {"n": 9}
    row.payload_hash = chain.payload_digest(row)
    _as_attacker(
        f"UPDATE {TABLE} SET after = %s, payload_hash = %s WHERE id = %s"
        if connection.vendor == "sqlite"
        else f"UPDATE {TABLE} SET after = %s::jsonb, payload_hash = %s WHERE id = %s",
        ['{"n": 9}', row.payload_hash, row.pk],
    )
    previous = AuditEvent.objects.get(pk=rows[1].pk).row_hash
    for later in AuditEvent.objects.filter(pk__gte=rows[2].pk).order_by("pk"):
        new_hash = chain.digest(previous, later)
        _as_attacker(
            f"UPDATE {TABLE} SET prev_hash = %s, row_hash = %s WHERE id = %s",
            [previous, new_hash, later.pk],
        )
        previous = new_hash
    with pytest.raises(CommandError, match="升级前的哈希不符"):
        _check()


def test_the_migration_refuses_a_broken_trail(trail):
    _, _, rows = trail
    _as_before_0007(rows)
    _as_attacker(f"UPDATE {TABLE} SET summary = '改过' WHERE id = %s", [rows[1].pk])
    with pytest.raises(RuntimeError, match="第 2 条记录"):
        _upgrade()
