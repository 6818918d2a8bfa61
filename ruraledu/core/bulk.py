"""Bulk writes for imports and generators: one executemany per table instead of ORM objects.

Django's bulk_create spends ~20 µs per object building model instances; a 100,000-row roster
needs the plain DB-API path to stay in budget. Values must already be valid column values.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, fields: Sequence[str]) -> list[str]:
    meta = model._meta
    return [meta.pk.column if f == "pk" else meta.get_field(f).column for f in fields]


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], batch: int = 5000) -> int:
    """INSERT rows (tuples in `fields` order) into the model's table; returns the count."""
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(c) for c in _columns(model, fields))
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    count = 0
    chunk: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def update_rows(model, fields: Sequence[str], rows: Iterable[Sequence], key: str = "pk") -> int:
    """UPDATE by primary key; each row is (value for each field…, key value)."""
    table = _quote(model._meta.db_table)
    key_column = _quote(model._meta.pk.column if key == "pk" else model._meta.get_field(key).column)
    assignments = ", ".join(f"{_quote(c)} = %s" for c in _columns(model, fields))
    sql = f"UPDATE {table} SET {assignments} WHERE {key_column} = %s"
    rows = list(rows)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


def chunked(values: Sequence, size: int = 900):
    """SQLite limits bound parameters per statement; look-ups go in chunks."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def select_in(
    model, fields: Sequence[str], key: str, values: Sequence, extra: str = "", params: Sequence = ()
):
    """Rows of `fields` where `key` is one of `values`, in chunks, as raw DB values.

    Plain SQL because building a 900-item IN filter through the ORM costs milliseconds a
    query; callers normalise raw values (SQLite gives dates as text, booleans as 0/1).
    """
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(c) for c in _columns(model, fields))
    key_column = _quote(model._meta.get_field(key).column)
    with connection.cursor() as cursor:
        for chunk in chunked(list(values)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {key_column} IN ({marks}) {extra}",
                [*chunk, *params],
            )
            yield from cursor.fetchall()
