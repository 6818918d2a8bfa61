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
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce

from .scanning import Scans

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
    # the range of a value that comes in from outside (DHIS2 import): a rate in % is a part of
    # its whole, 0 to 100, unless it counts more than its denominator (a gross rate, 毛入园率);
    # a change against a base year may fall below 0
    can_exceed_100: bool = False
    can_be_negative: bool = False

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
        plain, campuses = ctx.scope_split(self.scope)
        parts = {name: ctx.measure(m) for name, m in self.measures().items()}
        # a campus takes part only through what is recorded at it
        kept = tuple(u for u in campuses if any(part.get(u) for part in parts.values()))
        units = [*plain, *kept]
        # one column per part, summed up the tree in place (no dict per unit: a third of
        # the indicators' own time at province scale)
        columns = {name: {u: part.get(u, 0) for u in units} for name, part in parts.items()}
        rolled = ctx.sum_up(units, list(columns.values()), key=(self.scope.key, kept))
        numerators, denominators = columns.get("numerator"), columns.get("denominator")
        present = ctx.present_in(self.requires)
        if present is not None:
            rolled = [unit for unit in rolled if unit in present]
        if numerators is None:
            numerators = dict.fromkeys(rolled, 0)
        if denominators is None or type(self).combine is not Indicator.combine:
            combine = self.combine
            if denominators is None:
                denominators = dict.fromkeys(rolled)
            return {
                u: (
                    combine(numerators[u], denominators[u]),
                    numerators[u],
                    denominators[u],
                    NO_DETAILS,
                )
                for u in rolled
            }
        # the ratio inline: a method call per value was a tenth of the indicators' time
        scale = self.scale
        return {
            u: (
                numerators[u] / denominators[u] * scale if denominators[u] else None,
                numerators[u],
                denominators[u],
                NO_DETAILS,
            )
            for u in rolled
        }


# the details of a value that has none, shared: never changed in place
NO_DETAILS: dict = {}

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
    grouped = records.values(source.unit).order_by().annotate(**aliases)
    at = [1 + list(aliases).index(alias) for alias in columns]  # (0 is the unit)
    rows = [
        [row[0], row[-1], *(float(row[i]) if row[i] else 0 for i in at)]
        for row in fetch_all(grouped.values_list(source.unit, *aliases))
    ]
    rows.sort(key=_unit_order)
    return rows


def fetch_all(queryset) -> list[tuple]:
    """The rows of a values_list() queryset as the driver gives them: the big grouped reads
    skip Django's per-value converters and its fetches of 100 rows (a third of the Python
    time of a province's scans). Numbers come as int, float or Decimal."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a filter no record can pass (an empty IN list)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
    where records changed) in the column order of `plan`; sources not given are scanned.
    `side_by_side`: the scans run on helper connections (see `scanning`) while indicators
    whose scans are in are computed; `finish()` then waits for the rest."""

    def __init__(
        self,
        year: int,
        indicators: list[Indicator],
        tree: "Tree",
        *,
        plan: dict | None = None,
        scans: dict[str, list[list]] | None = None,
        side_by_side: bool = False,
    ):
        from .standards import reset_cache

        reset_cache()
        self.year = year
        self.tree = tree
        self._scopes: dict[str, frozenset[int]] = {}
        self._splits: dict[str, tuple[list[int], list[int]]] = {}
        self._climbs: dict = {}
        self._aggregates: dict[Measure, dict[int, float]] = {}
        self._present: dict[str, frozenset[int]] = {}
        self._present_in: dict[tuple[str, ...], frozenset[int] | None] = {}
        self._queried: dict[str, dict[int, object]] = {}
        self.cache: dict = {}  # for indicator families that share intermediate tables
        self.plan = plan if plan is not None else source_plan(indicators)
        self.queries = query_plan(indicators)
        if self.queries.keys() & self.plan.keys():
            raise ValueError("a unit query is named as a source")
        self.rows: dict[str, list[list]] = {}
        for key, rows in (scans or {}).items():
            self._take(key, rows)
        self.scans = Scans(self._missing(indicators), side_by_side=side_by_side)
        for key, rows in list(self.scans.results.items()):
            self._take(key, rows)

    def _missing(self, indicators: list[Indicator]) -> dict[str, Callable[[], list]]:
        """The scans and unit queries not given, in the order the indicators first read them:
        side by side, the indicators are computed in their order while the helpers scan."""
        year, jobs = self.year, {}
        for indicator in indicators:
            for key in [*source_plan([indicator]), *(q.key for q in indicator.queries)]:
                if key in jobs or key in self.rows:
                    continue
                if key in self.plan:
                    source, measures = self.plan[key]
                    jobs[key] = partial(scan_rows, source, measures, year)
                elif key in self.queries:
                    jobs[key] = partial(self.queries[key].rows, year)
        for key, (source, measures) in self.plan.items():  # a plan given wider than these
            if key not in jobs and key not in self.rows:
                jobs[key] = partial(scan_rows, source, measures, year)
        return jobs

    def _take(self, key: str, rows: list[list]) -> None:
        self.rows[key] = rows
        if key in self.plan:
            self._load(key, self.plan[key][1], rows)
        else:
            self._queried[key] = dict(rows)

    def _ensure(self, key: str) -> None:
        if key not in self.rows:
            self._take(key, self.scans.get(key))

    def finish(self) -> None:
        """Every scan in, and the helper connections closed."""
        for key, rows in self.scans.finish().items():
            if key not in self.rows:
                self._take(key, rows)

    def _load(self, key: str, measures: list[Measure], rows: list[list]) -> None:
        units, counts, *columns = zip(*rows, strict=True) if rows else [()] * (2 + len(measures))
        chain = self.tree.chain
        self._present[key] = frozenset(
            a for u, n in zip(units, counts, strict=True) if n for a in chain(u)
        )
        for measure, column in zip(measures, columns, strict=True):
            self._aggregates[measure] = {
                u: float(v) for u, v in zip(units, column, strict=True) if v
            }

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
        self._ensure(source.key)
        return self._present[source.key]

    def measure(self, measure: Measure) -> dict[int, float]:
        self._ensure(measure.source.key)
        return self._aggregates[measure]

    def query(self, query: UnitQuery) -> dict[int, object]:
        """Unit -> value of one of the indicators' unit queries."""
        self._ensure(query.key)
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

    def scope_split(self, scope: Scope) -> tuple[list[int], list[int]]:
        """`scope_units` as (the units that are not campuses, the campuses), in unit order."""
        if scope.key not in self._splits:
            kind = self.tree.kind
            units = sorted(self.scope_units(scope))
            self._splits[scope.key] = (
                [u for u in units if kind.get(u) != "campus"],
                [u for u in units if kind.get(u) == "campus"],
            )
        return self._splits[scope.key]

    def sum_up(self, units: list[int], columns: list[dict[int, float]], key=None) -> list[int]:
        """Add the values of `units` in `columns` (each holding all of them) into their
        ancestors, in place, level by level from the deepest, each unit's total into its
        parent once; returns `units` and their ancestors, in the order met. `key`: names
        this set of units, whose way up is then worked out once."""
        climb = self._climbs.get(key) if key is not None else None
        if climb is None:
            climb = self._climb(units)
            if key is not None:
                self._climbs[key] = climb
        met, above_only, steps = climb
        for column in columns:
            for unit in above_only:
                column[unit] = 0
            for unit, above in steps:
                column[above] += column[unit]
        return met

    def _climb(self, units: list[int]) -> tuple[list[int], list[int], list[tuple[int, int]]]:
        """`units` and their ancestors in the order met; the ancestors not in `units`; and
        (unit, parent) pairs in the order their totals are added, deepest first."""
        depth, parent = self.tree.depth, self.tree.parent
        levels: dict[int, list[int]] = defaultdict(list)
        for unit in units:
            levels[depth.get(unit, 0)].append(unit)
        met = dict.fromkeys(units)
        steps = []
        for level in range(max(levels, default=0), 0, -1):
            for unit in levels[level]:
                above = parent.get(unit)
                if above is None:
                    continue
                if above not in met:
                    met[above] = None
                    levels[level - 1].append(above)
                steps.append((unit, above))
        met = list(met)
        return met, met[len(units) :], steps

    def roll_up(self, base: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
        """Sum each unit's parts into itself and every ancestor: level by level from the
        deepest, each unit's total into its parent once (not each unit into every ancestor:
        at province scale the roll-ups were a third of the indicators' own time)."""
        rolled: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for unit, parts in base.items():
            rolled[unit] = defaultdict(float, parts)
        _, _, steps = self._climb(list(base))
        for unit, above in steps:
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
