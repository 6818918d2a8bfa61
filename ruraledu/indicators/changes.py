"""What registry data changed since the last recompute, recorded as ChangeMark rows.

Three ways in, all ending in `mark_changed`:
- a writer that knows what it wrote says so: `with changing(models, year=…, units=…)` around
  its writes (the roster import, the school-year roll-forward); its writes to those tables
  are then covered by that one precise mark;
- a single record saved through the ORM (registry edit forms, admin, API) is marked with its
  year and the org units it names, before and after the save (pre_save/post_save);
- every other INSERT, UPDATE, DELETE or COPY on a registry table, whatever wrote it (bulk
  helpers, raw SQL), is seen by a wrapper on every database connection and marks the whole
  table (every year, every unit): never precise, never missed.
Marks are rows written in the writer's own transaction, so a rolled-back write leaves none.
"""

import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, models

WRITE = re.compile(
    r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.IGNORECASE,
)
# apps whose tables hold no registry data an indicator reads (values, logs, accounts, jobs)
UNTRACKED_APPS = {
    "indicators",
    "audit",
    "accounts",
    "spreadsheets",
    "sessions",
    "admin",
    "auth",
    "contenttypes",
    "django_tasks_database",
    "reporting",
}
_MARKS = "indicators_changemark"

_state = threading.local()


def tracked_tables() -> frozenset[str]:
    if not hasattr(_state, "tracked"):
        _state.tracked = frozenset(
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label not in UNTRACKED_APPS and m.__module__.startswith("ruraledu.")
        )
    return _state.tracked


def _table(model_or_table) -> str:
    return model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table


def mark_changed(model_or_table, year: int | None, units: Iterable[int | None] | None) -> None:
    """Record that records of a table changed: in `year` (None: any year), at `units`
    (org unit ids, any org-unit column of the records; None: anywhere)."""
    table = _table(model_or_table)
    rows = [(table, year, None)] if units is None else [(table, year, u) for u in set(units) if u]
    if not rows or not _ready():
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO {_MARKS} ("table", year, unit_id, created_at) VALUES (%s, %s, %s, CURRENT_TIMESTAMP)',
            rows,
        )


def _ready() -> bool:
    """The marks table exists (not while the migrations that create it are still to run)."""
    if not getattr(connection, "_change_marks_ready", False):
        connection._change_marks_ready = _MARKS in connection.introspection.table_names()
    return connection._change_marks_ready


@contextmanager
def covering(*tables):
    """Writes to `tables` inside the block are accounted for by the writer's own marks
    (or change no indicator: new persons with no record yet at any school)."""
    names = {_table(t) for t in tables}
    covered = _covered()
    covered.update({name: covered.get(name, 0) + 1 for name in names})
    try:
        yield
    finally:
        for name in names:
            covered[name] -= 1
            if not covered[name]:
                del covered[name]


@contextmanager
def changing(*tables, year: int | None, units: Iterable[int] | None):
    """Writes to `tables` inside the block are the records of `year` at `units` (and only
    those): one mark per unit instead of the whole table."""
    with covering(*tables):
        yield
    units = None if units is None else set(units)
    for table in tables:
        mark_changed(table, year, units)


def units_written(model, columns, inserted, fields, changes) -> set[int] | None:
    """The org units named by rows written in bulk: `inserted` rows in `columns` order and
    `changes` (pk, values before, values after) in `fields` order. None when the model has
    no org-unit column (the whole table is then marked)."""
    unit_columns = {
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model and _is_unit(f.related_model)
    }
    if not unit_columns:
        return None
    at = [i for i, c in enumerate(columns) if c in unit_columns or f"{c}_id" in unit_columns]
    moved = [i for i, c in enumerate(fields) if c in unit_columns or f"{c}_id" in unit_columns]
    units = {row[i] for row in inserted for i in at}
    units.update(values[i] for _, *both in changes for values in both for i in moved)
    if (changes and not moved) or (inserted and not at):
        return None  # the records written do not name their unit here
    units.discard(None)
    return units


def _covered() -> dict[str, int]:
    if not hasattr(_state, "covered"):
        _state.covered = {}
    return _state.covered


def _single() -> dict[str, int]:
    """Statements already explained by the single save under way (pre_save → post_save)."""
    if not hasattr(_state, "single"):
        _state.single = {}
    return _state.single


def capture(execute, sql, params, many, context):
    """Connection wrapper: an unexplained write to a registry table marks the whole table."""
    result = execute(sql, params, many, context)
    if sql[:6].upper() not in ("SELECT", "SAVEPO", "RELEAS"):
        tracked = tracked_tables()
        for table in {t for t in WRITE.findall(sql) if t in tracked}:
            noted_write(table)
    return result


def noted_write(table: str) -> None:
    """A write to `table` the writer's marks may not cover: marks the whole table unless they
    do (the wrapper's rule, for writes that pass no wrapper, such as a psycopg COPY)."""
    if table not in tracked_tables() or table in _covered():
        return
    single = _single()
    if single.get(table):
        single[table] -= 1
        return
    mark_changed(table, None, None)


def install(connection, **kwargs) -> None:
    if capture not in connection.execute_wrappers:
        connection.execute_wrappers.append(capture)


# ---------------------------------------------------------------- single records


def _unit_fields(model) -> tuple[list[str], str | None] | None:
    """The org-unit columns and the year column of a model an indicator source reads."""
    from .engine import REGISTRY

    if not hasattr(_state, "unit_fields"):
        found: dict = {}
        for indicator in REGISTRY.values():
            sources = [m.source for m in indicator.measures().values()] + list(indicator.requires)
            sources += [q.source for q in indicator.queries]
            for source in sources:
                entry = found.setdefault(source.model, (set(), source.year))
                entry[0].update(
                    f.attname
                    for f in source.model._meta.concrete_fields
                    if f.is_relation and f.related_model and _is_unit(f.related_model)
                )
                if entry[1] != source.year:
                    found[source.model] = (entry[0], None)
        _state.unit_fields = {m: (sorted(u), y) for m, (u, y) in found.items()}
    return _state.unit_fields.get(model)


def _is_unit(model) -> bool:
    return model._meta.label in ("orgunits.OrgUnit", "orgunits.School")


def _where(values: dict, fields) -> tuple[int | None, list | None]:
    """(year, units) of a record's values; None where the record does not say."""
    columns, year_field = fields
    year = values.get(year_field) if year_field else None
    units = [v for c in columns if (v := values.get(c))]
    return year, units or None


def before_save(sender, instance, raw=False, **kwargs) -> None:
    fields = _unit_fields(sender)
    if fields is None or raw:
        return
    single = _single()
    table = sender._meta.db_table
    single[table] = 1  # the one INSERT or UPDATE of this save
    before = None
    if not instance._state.adding and instance.pk is not None:
        columns = [*fields[0], *([fields[1]] if fields[1] else [])]
        before = sender._default_manager.filter(pk=instance.pk).values(*columns).first()
    instance._indicator_before = before


def after_save(sender, instance, raw=False, **kwargs) -> None:
    fields = _unit_fields(sender)
    if fields is None or raw:
        return
    table = sender._meta.db_table
    _single().pop(table, None)
    values = {f: getattr(instance, f, None) for f in [*fields[0], fields[1]] if f}
    marks = [_where(values, fields)]
    before = getattr(instance, "_indicator_before", None)
    if before is not None:
        marks.append(_where(before, fields))
    for year, units in marks:
        mark_changed(table, year, units)


def connect() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(install, dispatch_uid="indicators_change_capture")
    models.signals.pre_save.connect(before_save, dispatch_uid="indicators_before_save")
    models.signals.post_save.connect(after_save, dispatch_uid="indicators_after_save")
