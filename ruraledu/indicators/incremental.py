"""Recompute what changed: the indicators reading the changed tables, for the changed years,
their stored values compared and written only for the changed units and their ancestors.

From the ChangeMark rows (see changes.py), per school year:
- a source whose own table changed at known units is scanned again for those units only and
  its cached scan (ScanCache) patched; every indicator reading it is computed from the
  cached scans, and its values compared and stored only up the changed branches;
- a source reading a changed table otherwise (joined, in a condition), or whose changed
  records' units are unknown, is scanned again in full, and its indicators stored in full;
- unit queries (an indicator's own grouped query kept per unit) are patched and rescanned
  as sources are;
- an indicator with its own computation (`values()` overridden) is stored up the changed
  branches when it declares itself `local`, else in full; one whose own queries or scope
  read a changed table is computed and stored in full;
- a change to the org tree, or changes no recompute has seen yet, mean a full recompute.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .dependencies import ANY_TABLE, TREE_TABLES, is_local, reads
from .engine import REGISTRY, source_plan


@dataclass
class YearPlan:
    patch: dict[str, set[int]] = field(default_factory=dict)  # source -> units to scan again
    rescan: set[str] = field(default_factory=set)  # sources to scan again in full
    full: set[str] = field(default_factory=set)  # codes stored for every unit
    branch: set[str] = field(default_factory=set)  # codes stored up the changed branches
    units: set[int] = field(default_factory=set)  # the changed units (before their ancestors)


@dataclass
class Plan:
    everything: bool = False
    years: dict[int, YearPlan] = field(default_factory=dict)


def plan_changes(marks: list[tuple[str, int | None, int | None]], years: list[int]) -> Plan:
    """What to recompute for `marks` (table, year or None, unit or None) in `years`."""
    plan = Plan()
    if not marks or not years:
        return plan
    if any(table in TREE_TABLES for table, _, _ in marks):
        plan.everything = True
        return plan
    known = reads(years[-1])
    by_table: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    for table, year, unit in marks:
        by_table[table].append((year, unit))

    def at_or_after(year):
        return [y for y in years if year is None or y >= year]

    def year_plan(year) -> YearPlan:
        return plan.years.setdefault(year, YearPlan())

    # sources: patch the changed units of a direct table, rescan for anything else
    for key, source in known.sources.items():
        if source.direct and source.table in by_table:
            for year, unit in by_table[source.table]:
                for y in [year] if year is not None else years:
                    if y not in years:
                        continue
                    if unit is None:
                        year_plan(y).rescan.add(key)
                    else:
                        year_plan(y).patch.setdefault(key, set()).add(unit)
        for table in source.wide & by_table.keys():
            for year, _ in by_table[table]:
                for y in at_or_after(year):
                    year_plan(y).rescan.add(key)
    for yp in plan.years.values():
        for key in yp.rescan:
            yp.patch.pop(key, None)
        yp.units = set().union(*yp.patch.values()) if yp.patch else set()

    # indicators: through the sources they read, their scope and their own queries
    for code, indicator in REGISTRY.items():
        sources = [*source_plan([indicator]), *(q.key for q in indicator.queries)]
        own = known.own.get(code, frozenset())
        wide = known.scopes[code] | own
        if ANY_TABLE in own:
            wide = wide | by_table.keys()
        for table in wide & by_table.keys():
            for year, _ in by_table[table]:
                for y in at_or_after(year):
                    year_plan(y).full.add(code)
        for yp in plan.years.values():
            if code in yp.full:
                continue
            if any(key in yp.rescan for key in sources):
                yp.full.add(code)
            elif any(key in yp.patch for key in sources):
                (yp.branch if is_local(indicator) else yp.full).add(code)
    return plan
