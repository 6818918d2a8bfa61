"""Database-level guards of the audit table, beyond the model's own refusals.

PostgreSQL: a row trigger refuses UPDATE and DELETE (migration 0002) and a statement trigger
refuses TRUNCATE (0003). SQLite: two triggers refuse UPDATE and DELETE (0003). Django rebuilds a
SQLite table for some schema changes, which drops its triggers: a migration that alters this
table on SQLite must call `install` again (a test checks the triggers are there).
"""

from contextlib import contextmanager

TABLE = "audit_auditevent"

PG_TRUNCATE_TRIGGER = "audit_event_no_truncate"
PG_CREATE_TRUNCATE_TRIGGER = f"""
CREATE TRIGGER {PG_TRUNCATE_TRIGGER}
BEFORE TRUNCATE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"""

SQLITE_TRIGGERS = {
    f"audit_event_no_{op.lower()}": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_{op.lower()}
BEFORE {op} ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, '{TABLE} is append-only: {op} refused');
END
"""
    for op in ("UPDATE", "DELETE")
}


def install(connection) -> None:
    """Create the guards this migration state adds (idempotent on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE_TRUNCATE_TRIGGER)
        elif connection.vendor == "sqlite":
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE}")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


@contextmanager
def lifted(connection):
    """Let the test runner empty the audit table between transactional tests (the `flush`
    command, allowed only by the test settings); the guards are back afterwards."""
    if TABLE not in connection.introspection.table_names():
        yield
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRUNCATE_TRIGGER}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRUNCATE_TRIGGER}")
    else:
        uninstall(connection)
        try:
            yield
        finally:
            install(connection)
