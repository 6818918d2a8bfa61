"""Nobody empties the audit trail: not TRUNCATE on PostgreSQL, not `manage.py flush`; the test
runner's own cleanup between transactional tests still works."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.services import audit_record
from ruraledu.orgunits.models import Department

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE 只有 PostgreSQL 有"
)


@pytest.fixture
def event(department, district_admin):
    return audit_record(
        actor=district_admin,
        instance=department,
        action=AuditAction.CREATE,
        after={"name": department.name},
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)  # committed rows, as in real life
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditevent RESTART IDENTITY CASCADE",
        # emptying a table the trail refers to cascades to the trail: refused as well
        "TRUNCATE accounts_user CASCADE",
    ],
)
def test_postgresql_refuses_truncate(event, sql):
    # when
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    # then
    assert AuditEvent.objects.get() == event


def test_flush_is_refused_where_the_settings_do_not_allow_it(event, settings):
    # given settings as in production
    settings.AUDIT_TRAIL_FLUSHABLE = False
    # when / then
    with pytest.raises(CommandError, match="审计记录只能追加"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.get() == event


def test_flush_under_the_production_settings_is_refused(tmp_path):
    # given the production settings (and a database that must stay untouched)
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "s" * 40,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    # when
    run = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "flush", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert run.returncode == 1
    assert "审计记录只能追加" in run.stderr
    assert not database.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", [1, 2])
def test_transactional_tests_still_start_from_an_empty_trail(round_, department, district_admin):
    # the runner flushes between these two runs; each one finds only its own row
    audit_record(actor=district_admin, instance=department, action=AuditAction.CREATE)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_guards_are_back_after_a_flush():
    # given a flush as the runner does it
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    # the flush took the content types, but this process's cache of them stays (filled by
    # whichever earlier test on this worker audited a department): forget them, as
    # post_migrate does after a runner's flush
    ContentType.objects.clear_cache()
    department = Department.objects.create(code="d1", name="部门")
    event = audit_record(actor=None, instance=department, action=AuditAction.CREATE)
    # then SQL still cannot remove the row
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
