"""`flush` empties every table, the audit trail included: refused unless the settings allow it
(only the test settings do, for the test runner's cleanup between transactional tests)."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from ruraledu.audit import guards


class Command(flush.Command):
    def handle(self, **options):
        if not getattr(settings, "AUDIT_TRAIL_FLUSHABLE", False):
            raise CommandError(
                "审计记录只能追加：本环境不允许用 flush 清空数据库（会删除审计记录）。"
            )
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with guards.lifted(connection):
            return super().handle(**options)
