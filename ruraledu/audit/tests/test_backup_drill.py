"""The backup and restore drill of the README (备份与恢复演练), performed on PostgreSQL:
pg_dump the database, pg_restore it into a new one, then the same row count and checksum in
every table, and `integrity_check` clean on the restored copy."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the drill uses pg_dump and pg_restore"
    ),
    pytest.mark.skipif(shutil.which("pg_restore") is None, reason="PostgreSQL client tools"),
]


def _dsn(name: str) -> str:
    db = connection.settings_dict
    user = f"{db['USER']}@" if db["USER"] else ""
    return f"postgresql://{user}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def _tables_fingerprint(dsn: str) -> dict[str, tuple[int, str]]:
    """Per table: rows and an order-free checksum of their text form."""
    found = {}
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY "  # noqa: S608
                f"md5(t::text))), '') FROM \"{table}\" t"
            )
            found[table] = cursor.fetchone()
    return found


def _run(*command: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed programs, our own arguments)
        command, capture_output=True, text=True, check=True, env=env
    )


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_new_database_with_the_same_data(
    district, school_a, district_admin, tmp_path: Path
):
    # given: official data and its audit trail, committed
    audit_record(
        actor=district_admin,
        instance=school_a.org_unit,
        action=AuditAction.UPDATE,
        before={"name": "旧名"},
        after={"name": school_a.org_unit.name},
        address="10.0.0.8",
    )
    audit_bulk(
        actor=district_admin,
        entries=[
            AuditEntry(model=type(district), object_id=i, action=AuditAction.CREATE, after={"i": i})
            for i in range(50)
        ],
        summary="导入",
    )
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "ruraledu.dump"
    # when: dump, create a new database, restore into it
    _run("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={_dsn(source)}")
    with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_dsn(restored)}", str(dump))
        # then: every table has the same rows
        before, after = _tables_fingerprint(_dsn(source)), _tables_fingerprint(_dsn(restored))
        assert after == before
        assert before["audit_auditevent"][0] == 51
        # and the audit chain of the copy is whole, its guards in place
        check = _run(
            sys.executable,
            "manage.py",
            "integrity_check",
            env={**os.environ, "DATABASE_URL": _dsn(restored)},
        )
        assert "共 51 条记录" in check.stdout
        with psycopg.connect(_dsn(restored)) as conn, pytest.raises(psycopg.Error):
            conn.execute("DELETE FROM audit_auditevent")
    finally:
        with psycopg.connect(_dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
