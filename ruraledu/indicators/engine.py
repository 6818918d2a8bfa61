"""The indicator engine.

An indicator combines *measures*. A measure is an aggregate over one source table (facility
records, posts, enrolments …) grouped by org unit. For a year, the engine runs ONE grouped query
per source holding every measure of every indicator that reads it (shared scans), keeps units in
the indicator's scope, rolls the parts up the org tree by summing, and combines them into values.
Indicators that do not roll up by summing override `values()`; what they need beyond sums
they read through *unit queries* (their own grouped query, kept and patched per unit like a
scan), so that `values()` itself is Python over what the context holds.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce

QFactory = Callable[[int], Q]


def _as_factory(condition: Q | QFactory | None) -> QFactory:
    if condition is None:
        return lambda year: Q()
    if isinstance(condition, Q):
        return lambda year: condition
    return condition


@dataclass(frozen=True)
class Source:
    """A table the engine scans: `unit` is the attname holding the org unit id of a record."""

    key: str
    model: type
    unit: str
    year: str | None = "year"
    label: str = ""  # Chinese name of a record, e.g. "学生"
    base: QFactory | None = None  # records that exist in a year, for sources without a year field

    @classmethod
    def of_kind(cls, key: str, kind, *, unit: str = "school_id", **options) -> "Source":
        """The source reading a declared yearly kind (`core.kinds`), named by its label."""
        options.setdefault("label", kind.name)
        return cls(key, kind.model, unit, **options)

    def records(self, year: int):
        queryset = self.model._default_manager.all()
        if self.year:
            queryset = queryset.filter(**{self.year: year})
        if self.base:
            queryset = queryset.filter(self.base(year))
        return queryset


@dataclass(frozen=True)
class Measure:
    """count of records meeting `condition`, or the sum of `field` over them."""

    source: Source
    condition: QFactory = field(default_factory=lambda: lambda year: Q())
    field: object = None  # a field name or an expression to sum

    def aggregate(self, year: int):
        # FILTER (WHERE …) where the database has it (Django writes CASE WHEN elsewhere):
        # a row outside the condition is skipped, not summed as a zero
        condition = self.condition(year) or None
        if self.field:
            # sums of areas and money keep their fractions: float, never integer
            field = F(self.field) if isinstance(self.field, str) else self.field
            return Coalesce(
                Sum(field, filter=condition, output_field=FloatField()),
                Value(0.0),
                output_field=FloatField(),
            )
        return Count("pk", filter=condition)

    def records(self, year: int):
        return self.source.records(year).filter(self.condition(year))


def count(source: Source, condition: Q | QFactory | None = None) -> Measure:
    return Measure(source, _as_factory(condition))


def total(source: Source, field_name: str, condition: Q | QFactory | None = None) -> Measure:
    return Measure(source, _as_factory(condition), field_name)


@dataclass(frozen=True)
class UnitQuery:
    """An indicator's own grouped query over a source: `run(records)` returns (unit, value)
    pairs, one per unit of `source.unit`, each value (JSON: numbers, lists) read from the
    records at that unit alone. Kept like a scan; after a change only the changed units'
    records are queried again. An indicator lists it in `queries` and reads `ctx.query(q)`."""

    key: str
    source: Source
    run: Callable

    def rows(self, year: int, units=None) -> list[list]:
        """[unit, value] per unit, sorted by unit; `units`: only the records of these units."""
        records = self.source.records(year)
        if units is not None:
            records = records.filter(**{f"{self.source.unit}__in": list(units)})
        # as the cache keeps them (tuples become lists), so fresh and kept rows compare equal
        rows = json.loads(json.dumps([[unit, value] for unit, value in self.run(records)]))
        rows.sort(key=_unit_order)
        return rows


@dataclass(frozen=True)
class Scope:
    """Which org units an indicator is computed for, as a filter on OrgUnit."""

    key: str
    label: str
    units: QFactory


class Indicator:
    code: str = ""
    name: str = ""
    definition: str = ""  # 口径, as a person reads it
    unit: str = "%"
    higher_is_better: bool = True
    scope: Scope
    scale: float = 100.0
    numerator: Measure | None = None
    denominator: Measure | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    rolls_up_by_sum: bool = True
    requires: tuple = ()  # sources that must hold records for a unit, else the value is missing
    queries: tuple = ()  # its own unit queries (UnitQuery), read in values() by ctx.query
    # an indicator with its own values() whose value at a unit depends only on what its
    # measures and queries hold at that unit and below (and on tables it reads whole): after
    # records of some units changed, only those units' ancestors need storing again
    local: bool = False

    def missing_data(self) -> str:
        labels = "、".join(source.label for source in self.requires)
        return f"缺少{labels}数据" if labels else "缺少数据"

    def measures(self) -> dict[str, Measure]:
        parts = {"numerator": self.numerator}
        if self.denominator is not None:
            parts["denominator"] = self.denominator
        return {k: m for k, m in parts.items() if m is not None}

    def combine(self, numerator: float, denominator: float | None) -> float | None:
        if self.denominator is None:
            return numerator
        if not denominator:
            return None
        return numerator / denominator * self.scale

    def values(
        self, ctx: "YearContext"
    ) -> dict[int, tuple[float | None, float | None, float | None, dict]]:
        """unit id -> (value, numerator, denominator, details) for every unit that has one."""
        in_scope = ctx.scope_units(self.scope)
        parts = {name: ctx.measure(m) for name, m in self.measures().items()}
        base = {}
        for u in in_scope:
            values = {name: parts[name].get(u, 0) for name in parts}
            # a campus takes part only through what is recorded at it
            if any(values.values()) or ctx.tree.kind.get(u) != "campus":
                base[u] = values
        rolled = ctx.roll_up(base)
        present = ctx.present_in(self.requires)
        result = {}
        for unit, sums in rolled.items():
            if present is not None and unit not in present:
                continue
            numerator = sums.get("numerator", 0)
            denominator = sums.get("denominator")
            result[unit] = (self.combine(numerator, denominator), numerator, denominator, {})
        return result


REGISTRY: dict[str, Indicator] = {}

# Indicators the plan names whose records the platform does not hold yet: code -> what is
# missing, shown as the target's 缺少数据 note. A code moves to REGISTRY once it is computed.
PENDING: dict[str, str] = {}


def register(cls):
    add(cls())
    return cls


def source_plan(indicators: list[Indicator]) -> dict[str, tuple[Source, list[Measure]]]:
    """Source key -> (source, the distinct measures these indicators read from it), in the
    order the indicators declare them: a scan's columns follow this order."""
    by_source: dict[str, tuple[Source, list[Measure]]] = {}
    for indicator in indicators:
        for source in indicator.requires:  # scanned for presence even without measures
            by_source.setdefault(source.key, (source, []))
        for measure in indicator.measures().values():
            entry = by_source.setdefault(measure.source.key, (measure.source, []))
            if measure not in entry[1]:
                entry[1].append(measure)
    return by_source


def query_plan(indicators: list[Indicator]) -> dict[str, UnitQuery]:
    """Key -> the unit queries these indicators read."""
    return {q.key: q for indicator in indicators for q in indicator.queries}


def scan_rows(source: Source, measures: list[Measure], year: int, units=None) -> list[list]:
    """One grouped query: [unit, records, measure 0, measure 1 …] per unit, sorted by unit
    (so that sums over units add up in the same order however the rows were obtained).
    `units`: only the records of these units."""
    aliases: dict[str, object] = {}
    columns = []
    for measure in measures:
        # measures declared apart may be the same aggregate: each is computed once
        expression = measure.aggregate(year)
        alias = next((a for a, e in aliases.items() if e == expression), None)
        if alias is None:
            alias = f"m{len(aliases)}"
            aliases[alias] = expression
        columns.append(alias)
    # every scan also counts its records per unit: that is the unit's data presence
    aliases["present"] = Count("pk")
    records = source.records(year)
    if units is not None:
        records = records.filter(**{f"{source.unit}__in": list(units)})
    rows = [
        [
            row[source.unit],
            row["present"],
            *(float(row[alias]) if row[alias] else 0 for alias in columns),
        ]
        for row in records.values(source.unit).order_by().annotate(**aliases)
    ]
    rows.sort(key=_unit_order)
    return rows


@contextmanager
def scan_memory():
    """The IN-sets of a scan (who travelled, who was trained …) must fit in memory to be
    hashed once; with PostgreSQL's default 4 MB it rescans them for every row."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")


def _unit_order(row):
    return (row[0] is not None, row[0] or 0)


def merge_rows(rows: list[list], fresh: list[list], units) -> list[list]:
    """`rows` with the rows of `units` replaced by `fresh` (the units' rows scanned again)."""
    units = set(units)
    kept = [row for row in rows if row[0] not in units]
    return sorted(kept + fresh, key=_unit_order)


class YearContext:
    """Everything computed once per year and shared by all indicators.

    `scans`: source key -> rows of `scan_rows` already read (by an earlier recompute, patched
    where records changed) in the column order of `plan`; sources not given are scanned."""

    def __init__(
        self,
        year: int,
        indicators: list[Indicator],
        tree: "Tree",
        *,
        plan: dict | None = None,
        scans: dict[str, list[list]] | None = None,
    ):
        from .standards import reset_cache

        reset_cache()
        self.year = year
        self.tree = tree
        self._scopes: dict[str, frozenset[int]] = {}
        self._aggregates: dict[Measure, dict[int, float]] = {}
        self._present: dict[str, frozenset[int]] = {}
        self._present_in: dict[tuple[str, ...], frozenset[int] | None] = {}
        self.cache: dict = {}  # for indicator families that share intermediate tables
        self.plan = plan if plan is not None else source_plan(indicators)
        self.queries = query_plan(indicators)
        if self.queries.keys() & self.plan.keys():
            raise ValueError("a unit query is named as a source")
        self.rows: dict[str, list[list]] = dict(scans or {})
        missing = {k: v for k, v in self.plan.items() if k not in self.rows}
        if missing:
            self._run_scans(missing)
        for key, (_, measures) in self.plan.items():
            self._load(key, measures, self.rows[key])
        self._queried: dict[str, dict[int, object]] = {}
        for key, query in self.queries.items():
            if key not in self.rows:
                self.rows[key] = query.rows(year)
            self._queried[key] = dict(self.rows[key])

    def _run_scans(self, plan: dict) -> None:
        with scan_memory():
            for key, (source, measures) in plan.items():
                self.rows[key] = scan_rows(source, measures, self.year)

    def _load(self, key: str, measures: list[Measure], rows: list[list]) -> None:
        columns = [{} for _ in measures]
        present = set()
        chain = self.tree.chain
        for unit, records, *values in rows:
            if records:
                present.update(chain(unit))
            for column, value in zip(columns, values, strict=True):
                if value:
                    column[unit] = float(value)
        for measure, column in zip(measures, columns, strict=True):
            self._aggregates[measure] = column
        self._present[key] = frozenset(present)

    def has_data(self, unit: int, sources: tuple) -> bool:
        return all(unit in self._presence(source) for source in sources)

    def present_in(self, sources: tuple) -> frozenset[int] | None:
        """The units with data of every one of `sources` (None: no source required), worked
        out once per set of sources: `has_data` for many units at once."""
        key = tuple(source.key for source in sources)
        if key not in self._present_in:
            sets = [self._presence(source) for source in sources]
            self._present_in[key] = frozenset.intersection(*sets) if sets else None
        return self._present_in[key]

    def _presence(self, source: Source) -> frozenset[int]:
        """Units holding at least one record of `source` in the year, themselves or below;
        counted by the scan, which covers every source an indicator requires."""
        return self._present[source.key]

    def measure(self, measure: Measure) -> dict[int, float]:
        return self._aggregates[measure]

    def query(self, query: UnitQuery) -> dict[int, object]:
        """Unit -> value of one of the indicators' unit queries."""
        return self._queried[query.key]

    def scope_units(self, scope: Scope) -> frozenset[int]:
        """Units in the scope, plus the campuses of schools in it: what is recorded at a
        campus (its staff, its rooms) belongs to its school."""
        if scope.key not in self._scopes:
            from ruraledu.orgunits.models import OrgUnit

            units = set(
                OrgUnit.objects.filter(is_active=True)
                .filter(scope.units(self.year))
                .values_list("pk", flat=True)
            )
            units.update(pk for pk in self.tree.campuses if self.tree.parent[pk] in units)
            self._scopes[scope.key] = frozenset(units)
        return self._scopes[scope.key]

    def roll_up(self, base: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
        """Sum each unit's parts into itself and every ancestor: level by level from the
        deepest, each unit's total into its parent once (not each unit into every ancestor:
        at province scale the roll-ups were a third of the indicators' own time)."""
        rolled: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        depth, parent = self.tree.depth, self.tree.parent
        levels: dict[int, list[int]] = defaultdict(list)
        for unit, parts in base.items():
            rolled[unit] = defaultdict(float, parts)
            levels[depth.get(unit, 0)].append(unit)
        for level in range(max(levels, default=0), 0, -1):
            for unit in levels[level]:
                above = parent.get(unit)
                if above is None:
                    continue
                if above not in rolled:
                    levels[level - 1].append(above)
                bucket = rolled[above]
                for name, value in rolled[unit].items():
                    bucket[name] += value
        return rolled


class Tree:
    """Ancestor chains of every org unit, loaded once."""

    def __init__(self):
        from ruraledu.orgunits.models import OrgUnit

        rows = list(OrgUnit.objects.values_list("pk", "code", "path", "kind", "parent_id"))
        by_code = {code: pk for pk, code, _, _, _ in rows}
        self.kind = {pk: kind for pk, _, _, kind, _ in rows}
        self.campuses = [pk for pk, _, _, kind, _ in rows if kind == "campus"]
        self.parent = {pk: parent for pk, _, _, _, parent in rows}
        self._chains = {
            pk: tuple(by_code[c] for c in path.rstrip("/").split("/") if c in by_code)
            for pk, _, path, _, _ in rows
        }
        self.depth = {pk: len(chain) - 1 for pk, chain in self._chains.items()}

    def chain(self, unit: int) -> tuple[int, ...]:
        return self._chains.get(unit, (unit,))


def define(
    code: str,
    name: str,
    definition: str,
    scope: Scope,
    numerator: Measure,
    denominator: Measure | None = None,
    *,
    unit: str = "%",
    scale: float = 100.0,
    requires: tuple = (),
    higher_is_better: bool = True,
    numerator_label: str = "",
    denominator_label: str = "",
) -> Indicator:
    """Declare and register a summable indicator (a ratio, or a count when no denominator)."""
    indicator = Indicator()
    indicator.code, indicator.name, indicator.definition = code, name, definition
    indicator.scope, indicator.numerator, indicator.denominator = scope, numerator, denominator
    indicator.unit = unit if denominator is not None or unit != "%" else ""
    indicator.scale = scale
    indicator.requires = requires
    indicator.higher_is_better = higher_is_better
    indicator.numerator_label, indicator.denominator_label = numerator_label, denominator_label
    return add(indicator)


def add(indicator: Indicator) -> Indicator:
    if indicator.code in REGISTRY:
        raise ValueError(f"duplicate indicator code {indicator.code}")
    REGISTRY[indicator.code] = indicator
    return indicator
