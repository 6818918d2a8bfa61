"""Database-level guards of the audit table, beyond the model's own refusals.

PostgreSQL: a row trigger refuses UPDATE and DELETE (migration 0002) and a statement trigger
refuses TRUNCATE (0003). SQLite: two triggers refuse UPDATE and DELETE (0003). Django rebuilds a
SQLite table for some schema changes, which drops its triggers: a migration that alters this
table on SQLite must call `install` again (a test checks the triggers are there).

One UPDATE passes (0007): erasing a row's payload to the redaction marker, every other column
unchanged, inside `redaction_permitted` (PostgreSQL: a transaction-local setting; SQLite: a
function of the application's own connections, so other clients cannot call it).
"""

from contextlib import contextmanager

from .chain import PAYLOAD_FIELDS, REDACT_ACTION, REDACTED

TABLE = "audit_auditevent"
PG_SETTING = "ruraledu.audit_redaction"
SQLITE_FUNCTION = "audit_redaction_permitted"
# every column redaction must leave as it was (a test checks the model has no other)
KEPT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "address",
    "action",
    "content_type_id",
    "object_id",
    "batch",
    "prev_hash",
    "row_hash",
    "payload_hash",
    "legacy_hash",
)
_PAYLOAD_ARRAY = "ARRAY[" + ", ".join(f"'{name}'" for name in PAYLOAD_FIELDS) + "]"

# 0002's function with the one exception: a permitted erasure of the payload
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_LEVEL = 'ROW' THEN
        IF current_setting('{PG_SETTING}', true) = 'on'
           AND OLD.payload_salt <> '' AND OLD.action <> '{REDACT_ACTION}'
           AND NEW.payload_salt = ''
           AND NEW.object_repr = '{REDACTED}' AND NEW.summary = '{REDACTED}'
           AND NEW."before" = '{{}}'::jsonb AND NEW."after" = '{{}}'::jsonb
           AND to_jsonb(NEW) - {_PAYLOAD_ARRAY} = to_jsonb(OLD) - {_PAYLOAD_ARRAY}
        THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = '{TABLE} is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$
"""
# 0002's function as it was (to undo 0007)
PG_FUNCTION_V1 = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{TABLE} is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$
"""

PG_TRUNCATE_TRIGGER = "audit_event_no_truncate"
PG_CREATE_TRUNCATE_TRIGGER = f"""
CREATE TRIGGER {PG_TRUNCATE_TRIGGER}
BEFORE TRUNCATE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"""

_SQLITE_KEPT = " AND ".join(f'NEW."{name}" IS OLD."{name}"' for name in KEPT_COLUMNS)
SQLITE_TRIGGERS = {
    "audit_event_no_update": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_update
BEFORE UPDATE ON {TABLE}
WHEN NOT (
    {SQLITE_FUNCTION}()
    AND OLD.payload_salt <> '' AND OLD.action <> '{REDACT_ACTION}'
    AND NEW.payload_salt = ''
    AND NEW.object_repr = '{REDACTED}' AND NEW.summary = '{REDACTED}'
    AND NEW."before" = '{{}}' AND NEW."after" = '{{}}'
    AND {_SQLITE_KEPT}
)
BEGIN
    SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE refused');
END
""",
    "audit_event_no_delete": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
BEFORE DELETE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, '{TABLE} is append-only: DELETE refused');
END
""",
}

# before 0007: no UPDATE at all
SQLITE_TRIGGERS_V1 = {
    f"audit_event_no_{op.lower()}": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_{op.lower()}
BEFORE {op} ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, '{TABLE} is append-only: {op} refused');
END
"""
    for op in ("UPDATE", "DELETE")
}


def install(connection, *, redaction: bool = True) -> None:
    """Create the guards this migration state adds (idempotent on SQLite). Migrations before
    0007 install SQLite's first update trigger (`redaction=False`: every UPDATE refused)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE_TRUNCATE_TRIGGER)
        elif connection.vendor == "sqlite":
            triggers = SQLITE_TRIGGERS if redaction else SQLITE_TRIGGERS_V1
            for sql in triggers.values():
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


@contextmanager
def redaction_permitted(connection):
    """Let this transaction's UPDATEs erase payloads (the triggers still check each one).
    Only redaction.py calls it."""
    if not connection.in_atomic_block:
        raise RuntimeError("redaction runs inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PG_SETTING])
        # no `finally`: after an error the transaction (or savepoint) is rolled back, and the
        # setting with it; a statement here would only hide the error
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [PG_SETTING])
    else:
        connection.audit_redaction = True
        try:
            yield
        finally:
            connection.audit_redaction = False


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """On each new SQLite connection of the application: the function the update trigger asks.
    A connection without it (another client) cannot update the table at all."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: int(getattr(connection, "audit_redaction", False))
    )
