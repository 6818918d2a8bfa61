"""The audit table as the database holds it, for tests that search it for personal text."""

import json

from django.db import connection


def _readable(value) -> str:
    """JSON as written, with escaped characters decoded (SQLite stores "\\u674e" for 李)."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def raw_audit_text() -> str:
    """Every value of every audit row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return " ".join(_readable(value) for row in cursor.fetchall() for value in row)
