"""Recompute: every indicator for every org unit and year, stored only where it changed."""

import gc
import hashlib
import io
import json
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Min, TextField, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from ruraledu.core.bulk import insert_rows, update_rows
from ruraledu.core.kinds import yearly_kinds
from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import school_year_label

from .choices import ValueOrigin
from .engine import (
    NO_DETAILS,
    REGISTRY,
    Tree,
    YearContext,
    fetch_all,
    merge_rows,
    query_plan,
    scan_rows,
    source_plan,
)
from .models import ChangeMark, IndicatorValue, ScanCache
from .scanning import Scans, scan_settings

PLACES = 9  # values are rounded before storing so that summation order never shows


@dataclass
class RecomputeStats:
    years: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    # where the time went: "scans", "store", "evaluate", an indicator's code (its values())
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    def summary(self) -> str:
        """What the recompute did, in words, for its job and the command line."""
        years = "、".join(map(school_year_label, self.years))
        return (
            f"{years or '数据未变动，没有需要重新计算的学年'}：新增 {self.created}，更新 {self.updated}，"
            f"删除 {self.deleted}，未变 {self.unchanged}，用时 {self.seconds:.1f} 秒"
        )


@contextmanager
def without_gc():
    """A recompute makes millions of small objects and keeps most of them to its end: the
    cyclic collector's full passes over them took seconds and freed next to nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def years_with_data() -> list[int]:
    """The school years on file and the years holding records of a kind that marks its year."""
    years = set(SchoolYear.objects.values_list("year", flat=True))
    for kind in yearly_kinds():
        if kind.marks_year:
            years.update(_distinct_years(kind.model._default_manager.all()))
    return sorted(years)


def _distinct_years(records) -> set[int]:
    """The years of a large table, one index probe per year: a DISTINCT read the whole table
    (seconds for a province's enrolments, at every recompute)."""
    years: set[int] = set()
    year = records.aggregate(first=Min("year"))["first"]
    while year is not None:
        years.add(year)
        year = records.filter(year__gt=year).aggregate(first=Min("year"))["first"]
    return years


def compute_year(
    year: int,
    indicators,
    tree: Tree,
    *,
    scans: dict | None = None,
    reads: dict | None = None,
    timings: dict | None = None,
    keep: dict[str, set[int]] | None = None,
    side_by_side: bool = False,
) -> tuple[dict[tuple[str, int], tuple], YearContext]:
    """Every value of `indicators` in `year`. `scans`: cached scans to use (see YearContext);
    `reads`: filled with the tables read by each indicator computing its own values;
    `timings`: seconds added up per phase and per indicator; `keep`: code -> the only units
    whose values are wanted; `side_by_side`: scan on helper connections meanwhile (a
    recompute's, outside any transaction: see `scanning`)."""
    from .dependencies import ReadCapture, SharedCache, overrides_values

    timings = {} if timings is None else timings
    started = time.perf_counter()
    plan = source_plan(list(REGISTRY.values())) if scans is not None else None
    if plan is not None:  # cached scans hold every registered measure of their source
        wanted = source_plan(indicators).keys()
        plan = {k: v for k, v in plan.items() if k in wanted}
    ctx = YearContext(year, indicators, tree, plan=plan, scans=scans, side_by_side=side_by_side)
    _add(timings, "scans", started)
    capture = ReadCapture()
    ctx.cache = SharedCache(capture)
    rows = {}
    try:
        with connection.execute_wrapper(capture):
            # in their order (not as scans arrive): the reads an indicator is credited with
            # depend on who filled a shared cache first
            for indicator in indicators:
                own = overrides_values(indicator)
                if own:
                    capture.current = set()
                started = time.perf_counter()
                try:
                    values = indicator.values(ctx)
                finally:
                    if own and reads is not None:
                        reads.setdefault(indicator.code, set()).update(capture.current)
                    capture.current = None
                _add(timings, indicator.code, started)
                wanted = (keep or {}).get(indicator.code)
                items = values.items()
                if wanted is not None:
                    items = [(unit, parts) for unit, parts in items if unit in wanted]
                code = indicator.code
                # rounded inline (1.6 million values at province scale, three numbers each);
                # an integral float, as most counts are, is its own rounding
                rows.update(
                    {
                        (code, unit): (
                            v
                            if v is None or v.__class__ is float and v.is_integer()
                            else round(float(v), PLACES),
                            n
                            if n is None or n.__class__ is float and n.is_integer()
                            else round(float(n), PLACES),
                            d
                            if d is None or d.__class__ is float and d.is_integer()
                            else round(float(d), PLACES),
                            details or NO_DETAILS,
                        )
                        for unit, (v, n, d, details) in items
                    }
                )
        ctx.finish()
    finally:
        ctx.scans.close()
    if ctx.scans.waited:
        timings["scan wait"] = timings.get("scan wait", 0.0) + ctx.scans.waited
    return rows, ctx


def _add(timings: dict, key: str, started: float) -> None:
    timings[key] = timings.get(key, 0.0) + time.perf_counter() - started


def _store(
    year: int, rows: dict, codes: list[str], stats: RecomputeStats, units=None, stored=None
) -> set[str]:
    """Store `rows` of `codes` (only those of `units` when given), leaving values imported
    from another instance alone; returns the codes whose stored values changed. `stored`:
    what `_stored` returned for them, when read already (before this transaction: values
    imported meanwhile are looked up again here and left alone)."""
    if stored is None:
        existing, imported = _stored(year, codes, units)
    else:
        existing, imported = stored
        imported = imported | _imported(year, codes, units)
        if imported:  # rarely any: 1.6 million values at province scale
            existing = {key: value for key, value in existing.items() if key not in imported}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new, changed, touched, unchanged = [], [], set(), 0
    for key, values in rows.items():
        if imported and key in imported:
            continue
        kept = existing.get(key)  # one look-up: 1.6 million keys at province scale
        if kept is None:
            new.append(
                (
                    key[0],
                    key[1],
                    year,
                    *values[:3],
                    json.dumps(values[3], ensure_ascii=False),
                    now,
                    ValueOrigin.COMPUTED,
                )
            )
            touched.add(key[0])
        elif kept[1] != values:
            changed.append((*values[:3], json.dumps(values[3], ensure_ascii=False), now, kept[0]))
            touched.add(key[0])
        else:
            unchanged += 1
    stats.unchanged += unchanged
    stale = []
    if len(existing) > unchanged + len(changed):  # some stored value is no longer computed
        for key, (pk, _) in existing.items():
            if key not in rows:
                stale.append(pk)
                touched.add(key[0])
    stats.created += insert_rows(
        IndicatorValue,
        (
            "code",
            "unit",
            "year",
            "value",
            "numerator",
            "denominator",
            "details",
            "computed_at",
            "origin",
        ),
        new,
    )
    stats.updated += update_rows(
        IndicatorValue, ("value", "numerator", "denominator", "details", "computed_at"), changed
    )
    for start in range(0, len(stale), 900):
        stats.deleted += IndicatorValue.objects.filter(pk__in=stale[start : start + 900]).delete()[
            0
        ]
    return touched


def _imported(year: int, codes: list[str], units=None) -> set[tuple[str, int]]:
    """The keys of the values of `codes` in `year` imported from another instance."""
    found = IndicatorValue.objects.filter(year=year, code__in=codes, origin=ValueOrigin.IMPORTED)
    if units is not None:
        found = found.filter(unit__in=units)
    return set(found.values_list("code", "unit_id"))


def _stored(year: int, codes: list[str], units=None) -> tuple[dict, set]:
    """The stored values of `codes` in `year` (of `units` when given): (code, unit) -> (pk,
    (value, numerator, denominator, details)) of those computed, and the keys of those
    imported from another instance."""
    stored = IndicatorValue.objects.filter(year=year, code__in=codes)
    if units is not None:
        stored = stored.filter(unit__in=units)
    existing, imported, foreign = {}, set(), ValueOrigin.IMPORTED
    columns = stored.values_list(
        "pk",
        "code",
        "unit_id",
        "value",
        "numerator",
        "denominator",
        # as text, and none when empty (most are): decoding them all costs seconds
        NullIf(Cast("details", TextField()), Value("{}", output_field=TextField())),
        "origin",
    )
    for pk, code, unit, value, numerator, denominator, text, origin in fetch_all(columns):
        if origin == foreign:
            imported.add((code, unit))
        else:
            details = NO_DETAILS if text is None else json.loads(text)
            existing[(code, unit)] = (pk, (value, numerator, denominator, details))
    return existing, imported


def _save_scans(year: int, ctx: YearContext, keys) -> None:
    """Keep the scans (and unit queries) of `keys` for the next incremental recompute; those
    kept already as they are now are left as they are (at province scale, rewriting 20 MB of
    unchanged rows took longer than telling them unchanged)."""
    layouts = {k: _layout(k, measures) for k, (_, measures) in ctx.plan.items()}
    layouts.update({k: _query_layout() for k in ctx.queries})
    digests = {k: _scan_digest(layouts[k], ctx.rows[k]) for k in keys}
    kept = ScanCache.objects.filter(year=year, source__in=keys)
    same = {
        source
        for source, digest in kept.values_list("source", "digest")
        if digest == digests[source]
    }
    changed = [k for k in keys if k not in same]
    ScanCache.objects.filter(year=year, source__in=changed).delete()
    ScanCache.objects.bulk_create(
        ScanCache(source=k, year=year, layout=layouts[k], rows=ctx.rows[k], digest=digests[k])
        for k in changed
    )


def _scan_digest(layout: list[str], rows: list) -> str:
    # pickled, not JSON (a fifth of the time: 0.09 against 0.46 s at province scale); without
    # its memo, so that equal rows give equal bytes whoever made their objects
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump([layout, rows])
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


QUERY_LAYOUT = "query"  # a unit query's kept rows: [unit, value]


def _query_layout() -> list[str]:
    return [QUERY_LAYOUT, _code_mark()]


def _code_mark() -> str:
    """The last name of every layout: which definitions' code kept the rows."""
    return f"code {definitions_version()}"


def _layout(key: str, measures) -> list[str]:
    """Names of a source's measures, in scan column order: the indicator and part that
    declared each first, then the version of the definitions. A scan kept under another
    layout is not used."""
    names = {}
    for indicator in REGISTRY.values():
        for part, measure in indicator.measures().items():
            if measure.source.key == key:
                names.setdefault(id(measure), f"{indicator.code}.{part}")
    return [*(names.get(id(m), "?") for m in measures), _code_mark()]


@cache
def definitions_version() -> str:
    """A digest of the code that shapes kept scans and unit queries (the engine and the
    indicator definitions): after a deploy that changed a definition, rows kept by the old
    code are read anew instead of being patched."""
    from . import definitions, engine

    files = [Path(engine.__file__), *sorted(Path(definitions.__file__).parent.glob("*.py"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@without_gc()
def recompute(
    *, years: list[int] | None = None, codes: list[str] | None = None, progress=None
) -> RecomputeStats:
    """Compute and store; then evaluate every target. `progress(done, total)` is called per year.
    A recompute of every indicator consumes the recorded changes (see `changes.py`)."""
    from .dependencies import save_own_reads
    from .evaluation import evaluate_targets

    started = time.perf_counter()
    every = not codes
    seen = _last_mark() if every else None
    stats = RecomputeStats(years=years or years_with_data())
    indicators = [REGISTRY[c] for c in codes] if codes else list(REGISTRY.values())
    tree = Tree()
    found: dict[str, set[str]] = {}
    codes = [i.code for i in indicators]
    for done, year in enumerate(stats.years, start=1):
        # what is stored is read meanwhile, on a connection of its own where scans may be
        stored = Scans({"stored": partial(_stored, year, codes)}, side_by_side=True)
        try:
            rows, ctx = compute_year(
                year, indicators, tree, reads=found, timings=stats.timings, side_by_side=True
            )
            known = stored.finish()["stored"]
        finally:
            stored.close()
        started_store = time.perf_counter()
        with transaction.atomic():
            _store(year, rows, codes, stats, stored=known)
            if every:
                _save_scans(year, ctx, [*ctx.plan, *ctx.queries])
        _add(stats.timings, "store", started_store)
        if progress:
            progress(done, len(stats.years))
    save_own_reads(found)
    if every and (years is None or set(years) >= set(years_with_data())):
        ChangeMark.objects.filter(pk__lte=seen).delete()  # every change is in the values now
    started_evaluate = time.perf_counter()
    evaluate_targets()
    _add(stats.timings, "evaluate", started_evaluate)
    stats.seconds = time.perf_counter() - started
    return stats


def _last_mark() -> int:
    return ChangeMark.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@without_gc()
def recompute_changes(*, progress=None) -> RecomputeStats:
    """Recompute what the recorded changes touch (see `incremental.py`); a full recompute
    when the org tree changed. Target status is evaluated again only for indicators whose
    stored values changed."""
    from .dependencies import save_own_reads
    from .evaluation import evaluate_targets
    from .incremental import plan_changes

    started = time.perf_counter()
    seen = _last_mark()
    marks = list(
        ChangeMark.objects.filter(pk__lte=seen).values_list("table", "year", "unit_id").distinct()
    )
    if not marks:  # nothing written since the last recompute
        return RecomputeStats(seconds=time.perf_counter() - started)
    plan = plan_changes(marks, years_with_data())
    if plan.everything:
        return recompute(progress=progress)
    stats = RecomputeStats(years=sorted(plan.years))
    _add(stats.timings, "plan", started)
    tree = Tree() if plan.years else None
    found: dict[str, set[str]] = {}
    changed: set[str] = set()
    for done, (year, yp) in enumerate(sorted(plan.years.items()), start=1):
        codes = yp.full | yp.branch
        if not codes:
            continue
        indicators = [i for c, i in REGISTRY.items() if c in codes]
        started_patch = time.perf_counter()
        scans = _patched_scans(year, indicators, yp)
        _add(stats.timings, "patch scans", started_patch)
        branch = {a for u in yp.units for a in tree.chain(u)}
        rows, ctx = compute_year(
            year,
            indicators,
            tree,
            scans=scans,
            reads=found,
            timings=stats.timings,
            keep=dict.fromkeys(yp.branch, branch),
            side_by_side=True,
        )
        started_store = time.perf_counter()
        with transaction.atomic():
            if yp.full:
                changed |= _store(
                    year, {k: v for k, v in rows.items() if k[0] in yp.full}, sorted(yp.full), stats
                )
            if yp.branch:
                part = {k: v for k, v in rows.items() if k[0] in yp.branch}
                changed |= _store(year, part, sorted(yp.branch), stats, units=sorted(branch))
            every_key = [*ctx.plan, *ctx.queries]
            fresh = set(yp.rescan) | set(yp.patch) | (set(every_key) - set(scans))
            _save_scans(year, ctx, [k for k in every_key if k in fresh])
        _add(stats.timings, "store", started_store)
        if progress:
            progress(done, len(plan.years))
    save_own_reads(found)
    ChangeMark.objects.filter(pk__lte=seen).delete()
    if changed:
        started_evaluate = time.perf_counter()
        evaluate_targets(codes=changed)
        _add(stats.timings, "evaluate", started_evaluate)
    stats.seconds = time.perf_counter() - started
    return stats


def _patched_scans(year: int, indicators, yp) -> dict[str, list[list]]:
    """The kept scans these indicators read, with the changed units scanned again; a
    source to rescan in full, or kept under another layout, is left out (scanned anew)."""
    plan = source_plan(list(REGISTRY.values()))
    queries = query_plan(indicators)
    wanted = [*source_plan(indicators), *queries]
    kept = {
        source: (layout, rows)
        for source, layout, rows in ScanCache.objects.filter(
            year=year, source__in=[k for k in wanted if k not in yp.rescan]
        ).values_list("source", "layout", "rows")
    }
    scans = {}
    for key in wanted:
        layout = _query_layout() if key in queries else _layout(key, plan[key][1])
        if key not in kept or kept[key][0] != layout:
            continue
        rows = kept[key][1]
        if key in yp.patch:
            units = sorted(yp.patch[key])
            if key in queries:
                fresh = queries[key].rows(year, units)
            else:
                with scan_settings():
                    fresh = scan_rows(*plan[key], year, units)
            rows = merge_rows(rows, fresh, units)
        scans[key] = rows
    return scans
