"""Which tables each source scan, scope and indicator reads, from the SQL Django writes.

A source's own table is *direct* when the scan groups it by one of its own org-unit columns,
filters it by its year column and reads it only once: a change to its records of a year at
some units then changes the scan's rows of those units only. Every other table a scan reads
(joined, or in an IN-set of a condition) is *wide*: a change may move any unit's row, in the
year of the change or any later year (an indicator of a year reads that year and earlier
ones, never later ones), so the source is scanned again in full.
"""

import re
import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from .engine import REGISTRY, Indicator, Source, UnitQuery, query_plan, source_plan

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# the org tree itself: a change moves units between branches and scopes, so everything
TREE_TABLES = frozenset({"orgunits_orgunit"})
ANY_TABLE = "*"  # an indicator with its own computation not yet seen reading anything

_cache = threading.local()


def tables_of(queryset) -> list[str]:
    """Every table the query reads, once per appearance (FROM, JOIN, subqueries)."""
    sql, _ = queryset.query.get_compiler(using=queryset.db).as_sql()
    return TABLE.findall(sql)


@dataclass(frozen=True)
class SourceReads:
    table: str  # the source's own table
    direct: bool
    wide: frozenset[str]  # every other table its scan reads


def _source_reads(source: Source, measures, year: int) -> SourceReads:
    """Each measure's query on its own (an empty IN-list makes a query compile to nothing);
    queries run while the conditions are built (a list read in Python) count too."""
    from django.core.exceptions import EmptyResultSet

    capture = ReadCapture()
    capture.current = set()
    table = source.model._meta.db_table
    found, most = set(), 0
    with connection.execute_wrapper(capture):
        records = source.records(year).values(source.unit).order_by()
        queries = [records] + [
            records.filter(m.condition(year)).annotate(v=m.aggregate(year)) for m in measures
        ]
        for queryset in queries:
            try:
                tables = tables_of(queryset)
            except EmptyResultSet:
                continue
            found.update(tables)
            most = max(most, tables.count(table))
    direct = bool(source.year) and "__" not in source.unit and most == 1
    wide = (found | capture.current) - ({table} if direct else set())
    return SourceReads(table, direct, frozenset(wide))


def _query_reads(query: UnitQuery, year: int) -> SourceReads:
    """A unit query's statements, run for no unit: its source's table is direct when each
    statement reads it once (the query's contract groups it by the source's unit column)."""
    from django.core.exceptions import EmptyResultSet

    capture = ReadCapture()
    capture.current = set()
    table = query.source.model._meta.db_table
    most = 0

    def count_reads(execute, sql, params, many, context):
        nonlocal most
        most = max(most, TABLE.findall(sql).count(table))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture), connection.execute_wrapper(count_reads):
        try:
            query.rows(year, units=[0])
        except EmptyResultSet:
            pass
    source = query.source
    direct = bool(source.year) and "__" not in source.unit and most == 1
    wide = capture.current - ({table} if direct else set())
    return SourceReads(table, direct, frozenset(wide))


def _scope_tables(scope, year: int) -> frozenset[str]:
    """Tables the scope's query reads; every registry table when it cannot be written out
    (an empty IN-list today), so that any change recomputes the indicator in full."""
    from django.core.exceptions import EmptyResultSet

    from ruraledu.orgunits.models import OrgUnit

    from .changes import tracked_tables

    try:
        return frozenset(tables_of(OrgUnit.objects.filter(Q(is_active=True) & scope.units(year))))
    except EmptyResultSet:
        return tracked_tables()


def overrides_values(indicator: Indicator) -> bool:
    return type(indicator).values is not Indicator.values


def is_local(indicator: Indicator) -> bool:
    """Its value at a unit depends only on records at that unit and below (see Indicator)."""
    return indicator.local or not overrides_values(indicator)


@dataclass
class Reads:
    # key -> what its scan reads (every registered source and unit query)
    sources: dict[str, SourceReads]
    scopes: dict[str, frozenset[str]]  # indicator code -> tables its scope reads
    own: dict[str, frozenset[str]]  # indicator code -> tables its own computation reads


def reads(year: int) -> Reads:
    """What every registered indicator reads (the tables do not depend on the year)."""
    key = (len(REGISTRY), connection.vendor)
    if getattr(_cache, "key", None) != key:
        plan = source_plan(list(REGISTRY.values()))
        sources = {k: _source_reads(s, m, year) for k, (s, m) in plan.items()}
        queries = query_plan(list(REGISTRY.values()))
        sources.update({k: _query_reads(q, year) for k, q in queries.items()})
        scopes = {i.code: _scope_tables(i.scope, year) for i in REGISTRY.values()}
        _cache.value, _cache.key = (sources, scopes), key
    sources, scopes = _cache.value
    return Reads(sources, scopes, own_reads())


def own_reads() -> dict[str, frozenset[str]]:
    """Tables read by each indicator with its own `values()` when last computed; an
    indicator never computed yet is taken to read every table."""
    from .models import IndicatorReads

    stored = dict(IndicatorReads.objects.values_list("code", "tables"))
    return {
        code: frozenset(stored.get(code, [ANY_TABLE]))
        for code, indicator in REGISTRY.items()
        if overrides_values(indicator)
    }


def save_own_reads(found: dict[str, set[str]]) -> None:
    from .models import IndicatorReads

    existing = dict(IndicatorReads.objects.values_list("code", "tables"))
    for code, tables in found.items():
        tables = sorted(tables)
        if existing.get(code) != tables:
            IndicatorReads.objects.update_or_create(code=code, defaults={"tables": tables})


class ReadCapture:
    """Connection wrapper noting the tables each query reads, for the indicator being
    computed; intermediate tables an indicator family shares through `ctx.cache` carry the
    tables read to build them to every indicator that uses them."""

    def __init__(self):
        self.current: set[str] | None = None

    def __call__(self, execute, sql, params, many, context):
        if self.current is not None:
            self.current.update(TABLE.findall(sql))
        return execute(sql, params, many, context)


class SharedCache(dict):
    """ctx.cache that remembers which tables went into each entry."""

    def __init__(self, capture: ReadCapture):
        super().__init__()
        self.capture = capture
        self.sources: dict = {}

    def __setitem__(self, key, value):
        if self.capture.current is not None:
            self.sources[key] = set(self.capture.current)
        super().__setitem__(key, value)

    def __getitem__(self, key):
        if self.capture.current is not None and key in self.sources:
            self.capture.current.update(self.sources[key])
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default
