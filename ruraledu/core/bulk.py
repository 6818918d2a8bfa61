"""Bulk writes for imports and generators: plain SQL instead of ORM objects.

Django's bulk_create spends ~20 µs per object building model instances; a 100,000-row roster
needs the plain DB-API path to stay in budget. Values must already be valid column values.
Inserts put many rows in one statement: per-row statements cost twice as much on SQLite.
(Running them on a second thread gains nothing: binding the parameters needs the GIL, and
waiting for it cost more than the overlap saved, measured.)
"""

import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain, islice

from django.db import connection, transaction

POSTGRES_MAX_PARAMS = 65535  # the wire protocol's limit per statement
MAX_ROWS_PER_STATEMENT = 2000  # beyond this, a longer statement gains nothing


@contextmanager
def collector_paused() -> Iterator[None]:
    """Bulk work builds millions of objects, none of them cyclic, which sets off the cyclic
    garbage collector again and again over everything alive (a third of the parse time of
    a 100,000-row roster); pause it for the duration. Reference counting still frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, fields: Sequence[str]) -> list[str]:
    meta = model._meta
    return [meta.pk.column if f == "pk" else meta.get_field(f).column for f in fields]


def _execute(cursor, sql: str, params: list) -> None:
    """Run a statement with many placeholders. Django's SQLite cursor turns each %s into ?
    with a regex over the whole statement, which for a 30,000-placeholder insert costs
    more than the insert; there we hand the driver its own style directly."""
    if connection.vendor != "sqlite":
        cursor.execute(sql, params)
        return

    def direct(sql, params, many, context):
        sqlite3.Cursor.execute(cursor.cursor, sql.replace("%s", "?"), params)

    # the connection's execute wrappers still see the statement (change tracking)
    for wrapper in reversed(connection.execute_wrappers):
        direct = partial(wrapper, direct)
    with connection.wrap_database_errors:
        direct(sql, params, False, {"connection": connection, "cursor": cursor})


def max_params() -> int:
    """Bound parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return POSTGRES_MAX_PARAMS


def _insert_statements(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], suffix: str = ""
) -> Iterator[tuple[str, list]]:
    """(multi-row INSERT, its flattened parameters) for each batch of rows."""
    head = f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, min(MAX_ROWS_PER_STATEMENT, max_params() // len(columns)))
    full = head + ", ".join([one] * per) + suffix
    rows = iter(rows)
    while batch := list(islice(rows, per)):
        sql = full if len(batch) == per else head + ", ".join([one] * len(batch)) + suffix
        yield sql, list(chain.from_iterable(batch))


def insert_into(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT rows (tuples in `columns` order) into a table by its database names."""
    count = 0
    with connection.cursor() as cursor:
        for sql, params in _insert_statements(table, columns, rows):
            _execute(cursor, sql, params)
            count += len(params) // len(columns)
    return count


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT rows (tuples in `fields` order) into the model's table; returns the count."""
    return insert_into(model._meta.db_table, _columns(model, fields), rows)


def insert_returning(
    model, fields: Sequence[str], rows: Iterable[Sequence], returning: Sequence[str]
) -> list[tuple]:
    """INSERT rows and return the `returning` columns of each new row, in no set order."""
    table, columns = model._meta.db_table, _columns(model, fields)
    selected = ", ".join(_quote(c) for c in _columns(model, returning))
    if not connection.features.can_return_rows_from_bulk_insert:
        # Only SQLite before 3.35 lands here. Its writers take turns (the block holds the
        # write lock from BEGIN IMMEDIATE) and its ids only grow, so the new rows are the
        # ones past the largest id before the insert.
        pk = _quote(model._meta.pk.column)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({pk}) FROM {_quote(table)}")
            (last,) = cursor.fetchone()
            insert_into(table, columns, rows)
            cursor.execute(f"SELECT {selected} FROM {_quote(table)} WHERE {pk} > %s", [last or 0])
            return cursor.fetchall()
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for sql, params in _insert_statements(table, columns, rows, " RETURNING " + selected):
            _execute(cursor, sql, params)
            found.extend(cursor.fetchall())
    return found


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

    Plain SQL because building a large IN filter through the ORM costs milliseconds a
    query. Dates and booleans come back as Python values (Django registers converters on
    both databases); SQLite gives decimals as floats, so callers normalise those.
    """
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(c) for c in _columns(model, fields))
    key_column = _quote(model._meta.get_field(key).column)
    size = min(MAX_ROWS_PER_STATEMENT * 5, max_params() - len(params))
    with connection.cursor() as cursor:
        for chunk in chunked(list(values), size):
            marks = ", ".join(["%s"] * len(chunk))
            _execute(
                cursor,
                f"SELECT {columns} FROM {table} WHERE {key_column} IN ({marks}) {extra}",
                [*chunk, *params],
            )
            yield from cursor.fetchall()
