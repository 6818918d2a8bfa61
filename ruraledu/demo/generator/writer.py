"""Bulk writes for the generator: rows go straight to the tables, bypassing model save().

SQLite: multi-row INSERTs (`core.bulk.insert_into`), inside the caller's transaction.
PostgreSQL: `COPY … FROM STDIN` through psycopg 3, in chunks, so a province never sits in
memory. Primary keys are handed out here (one past the table's largest id), so rows can
reference each other before they are written; foreign keys are checked at commit (Django
creates them deferrable). Columns the generator does not fill get the model field's default,
so a field another app adds with a default does not break the generator.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models

from ruraledu.core.bulk import insert_into


class GeneratorError(Exception):
    """A refusal or failure the command reports to the user as it is (Chinese text)."""


class Table:
    """Rows of one model, in the order of `fields` (model field names), buffered."""

    def __init__(self, writer: "BulkWriter", model: type[models.Model], fields: Sequence[str]):
        self.writer = writer
        self.model = model
        self.label = model._meta.label
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        self.extra_values: tuple = ()
        extra = []
        for field in meta.local_concrete_fields:
            if field in given or field.primary_key:
                continue
            if field.has_default() or field.null:
                value = field.get_default() if field.has_default() else None
                extra.append((field, field.get_db_prep_save(value, connection)))
            else:
                raise GeneratorError(f"示例数据生成器没有为 {self.label}.{field.name} 提供取值。")
        self.extra_values = tuple(value for _, value in extra)
        self.columns = [f.column for f in given] + [f.column for f, _ in extra]
        self.table = meta.db_table
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.extra_values if self.extra_values else row)
        if len(self.rows) >= self.writer.chunk_rows:
            self.flush()

    def extend(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        self.writer.write(self)
        stats = self.writer.stats[self.label]
        stats[0] += len(self.rows)
        stats[1] += time.perf_counter() - started
        self.rows = []


class BulkWriter:
    """Hands out primary keys and writes buffered rows with the fastest path of the database."""

    def __init__(self, chunk_rows: int = 20_000):
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise GeneratorError(
                f"示例数据生成器只支持 SQLite 与 PostgreSQL（当前为 {self.vendor}）。"
            )
        self.chunk_rows = chunk_rows
        self.tables: dict[tuple[type[models.Model], tuple[str, ...]], Table] = {}
        self.stats: dict[str, list] = defaultdict(lambda: [0, 0.0])
        self._next_pk: dict[type[models.Model], int] = {}

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        key = (model, tuple(fields))
        if key not in self.tables:
            self.tables[key] = Table(self, model, fields)
        return self.tables[key]

    def next_pk(self, model: type[models.Model]) -> int:
        value = self._next_pk.get(model)
        if value is None:
            value = (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self._next_pk[model] = value + 1
        return value

    def write(self, table: Table) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                quote = connection.ops.quote_name
                columns = ", ".join(map(quote, table.columns))
                sql = f"COPY {quote(table.table)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in table.rows:
                        copy.write_row(row)
            else:
                insert_into(table.table, table.columns, table.rows)

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def close(self) -> None:
        """Write what is left and move PostgreSQL's id sequences past the ids used here."""
        self.flush()
        if self.vendor == "postgresql" and self._next_pk:
            statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_pk))
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def rows_written(self) -> int:
        return sum(rows for rows, _ in self.stats.values())
