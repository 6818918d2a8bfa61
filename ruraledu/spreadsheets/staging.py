"""The bulk reads and writes of roster imports, at each database's own speed.

On PostgreSQL, rows travel through COPY into a temporary staging table and are merged into the
real table from there (one INSERT … SELECT, one UPDATE … FROM), inside the import's transaction;
a look-up of many keys stages them the same way. A 100,000-row roster as multi-row INSERTs
spends most of its time in the driver splitting statements of 26,000 placeholders.

The importers decide what to write exactly as before (the same comparison with what is
stored, the same audit entries): only the way rows travel differs, so both databases store
the same rows and the same audit trail. Other databases (SQLite) keep `core.bulk`. The
staging table takes its column types from the real table, so a new model field needs
nothing here.
"""

from collections.abc import Iterable, Sequence
from itertools import count
from operator import add, itemgetter

from django.db import connection, transaction

from ruraledu.core import bulk
from ruraledu.indicators.changes import noted_write

_stage_numbers = count(1)


def copy_available() -> bool:
    """Whether this connection takes the COPY path (PostgreSQL, through psycopg 3)."""
    return connection.vendor == "postgresql"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, fields: Sequence[str]) -> list[str]:
    meta = model._meta
    return [meta.pk.column if f == "pk" else meta.get_field(f).column for f in fields]


def _stage(cursor, table: str, selected: str) -> str:
    """Create an empty temporary table shaped like `selected` (a select list over `table`),
    dropped at the latest when the transaction ends, and return its name."""
    name = f"import_stage_{next(_stage_numbers)}"
    cursor.execute(
        f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS "
        f"SELECT {selected} FROM {_quote(table)} WITH NO DATA"
    )
    return name


def _copy_in(cursor, stage: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (tuples in `columns` order) into the staging table; returns the count."""
    listed = ", ".join(map(_quote, columns))
    # the column types told once: psycopg then skips choosing a dumper for every value
    # (half its time per row)
    cursor.execute(f"SELECT {listed} FROM {stage} LIMIT 0")
    types = [column.type_code for column in cursor.description]
    written = 0
    # text, not binary: binary rows are a little faster but store 70,000 in a smallint as
    # 4,464 where the server refuses the text
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {stage} ({listed}) FROM STDIN") as copy,
    ):
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def insert_returning(
    model, fields: Sequence[str], rows: Iterable[Sequence], returning: Sequence[str]
) -> list[tuple]:
    """INSERT rows (tuples in `fields` order) and return the `returning` columns (the primary
    key or some of `fields`, as given) of each new row. New ids follow the order of `rows`."""
    if not copy_available():
        return bulk.insert_returning(model, fields, rows, returning)
    rows = list(map(tuple, rows))
    if not rows:
        return []
    meta = model._meta
    table, columns = meta.db_table, _columns(model, fields)
    # The new ids are drawn from the table's own sequence first: the rows then go by COPY
    # straight into the table (batched inserts), with no staging copy, no INSERT … SELECT
    # and no RETURNING to read back.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_quote(table), meta.pk.column])
        # the sequence named once, as a constant: looked up per row it costs more than the row
        sequence = cursor.fetchone()[0].replace("'", "''")
        cursor.execute(
            f"SELECT array_agg(nextval('{sequence}')) FROM generate_series(1, %s)", [len(rows)]
        )
        ids = sorted(cursor.fetchone()[0])  # one array: 100,000 rows cost more to read
        noted_write(table)  # this COPY passes no wrapper that would see it
        # (id,) + row, and the returned columns below, built at C speed: no Python step per row
        _copy_in(cursor, _quote(table), [meta.pk.column, *columns], map(add, zip(ids), rows))
    fields = list(fields)
    found = [ids if f == "pk" else list(map(itemgetter(fields.index(f)), rows)) for f in returning]
    return list(zip(*found, strict=True))


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT rows (tuples of database values in `fields` order) into the model's table, the
    primary key from the table's default; returns the count. On PostgreSQL the rows go by COPY
    straight into the table."""
    if not copy_available():
        return bulk.insert_rows(model, fields, rows)
    rows = list(rows)
    if not rows:
        return 0
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        noted_write(table)  # this COPY passes no wrapper that would see it
        return _copy_in(cursor, _quote(table), _columns(model, fields), rows)


def update_rows(model, fields: Sequence[str], rows: Iterable[Sequence], key: str = "pk") -> int:
    """UPDATE by `key` (default the primary key); each row is (value for each field…, key)."""
    if not copy_available():
        return bulk.update_rows(model, fields, rows, key)
    rows = list(rows)
    if not rows:
        return 0
    table, columns = model._meta.db_table, _columns(model, fields)
    (key_column,) = _columns(model, [key])
    listed = ", ".join(map(_quote, columns))
    assignments = ", ".join(f"{_quote(c)} = s.{_quote(c)}" for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        stage = _stage(cursor, table, f"{listed}, {_quote(key_column)} AS import_key")
        _copy_in(cursor, stage, [*columns, "import_key"], rows)
        cursor.execute(
            f"UPDATE {_quote(table)} AS t SET {assignments} FROM {stage} AS s "
            f"WHERE t.{_quote(key_column)} = s.import_key"
        )
        cursor.execute(f"DROP TABLE {stage}")
    return len(rows)


def select_in(
    model, fields: Sequence[str], key: str, values: Sequence, extra: str = "", params: Sequence = ()
):
    """Rows of `fields` where `key` is one of `values`, as raw DB values (see
    `core.bulk.select_in`; `extra` is more of the WHERE clause with its `params`).
    On PostgreSQL the rows are read before the first one is handed out."""
    if not copy_available():
        yield from bulk.select_in(model, fields, key, values, extra, params)
        return
    values = list(values)
    if not values:
        return
    table, columns = model._meta.db_table, ", ".join(map(_quote, _columns(model, fields)))
    (key_column,) = _columns(model, [key])
    # the keys go in by COPY too: as one array literal the planner misjudges them
    with transaction.atomic(), connection.cursor() as cursor:
        stage = _stage(cursor, table, f"{_quote(key_column)} AS import_key")
        _copy_in(cursor, stage, ["import_key"], ((value,) for value in values))
        cursor.execute(f"ANALYZE {stage}")
        cursor.execute(
            f"SELECT {columns} FROM {_quote(table)} "
            f"WHERE {_quote(key_column)} IN (SELECT import_key FROM {stage}) {extra}",
            list(params),
        )
        found = cursor.fetchall()
        cursor.execute(f"DROP TABLE {stage}")
    yield from found
