"""Recompute: every indicator for every org unit and year, stored only where it changed."""

import json
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ruraledu.core.bulk import insert_rows, update_rows
from ruraledu.core.kinds import yearly_kinds
from ruraledu.core.models import SchoolYear

from .choices import ValueOrigin
from .engine import (
    REGISTRY,
    Tree,
    YearContext,
    merge_rows,
    scan_memory,
    scan_rows,
    source_plan,
)
from .models import ChangeMark, IndicatorValue, ScanCache

PLACES = 9  # values are rounded before storing so that summation order never shows


@dataclass
class RecomputeStats:
    years: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def years_with_data() -> list[int]:
    """The school years on file and the years holding records of a kind that marks its year."""
    years = set(SchoolYear.objects.values_list("year", flat=True))
    for kind in yearly_kinds():
        if kind.marks_year:
            manager = kind.model._default_manager
            years.update(manager.order_by().values_list("year", flat=True).distinct())
    return sorted(years)


def _round(value):
    return None if value is None else round(float(value), PLACES)


def compute_year(
    year: int, indicators, tree: Tree, *, scans: dict | None = None, reads: dict | None = None
) -> tuple[dict[tuple[str, int], tuple], YearContext]:
    """Every value of `indicators` in `year`. `scans`: cached scans to use (see YearContext);
    `reads`: filled with the tables read by each indicator computing its own values."""
    from .dependencies import ReadCapture, SharedCache, overrides_values

    plan = source_plan(list(REGISTRY.values())) if scans is not None else None
    if plan is not None:  # cached scans hold every registered measure of their source
        wanted = source_plan(indicators).keys()
        plan = {k: v for k, v in plan.items() if k in wanted}
    ctx = YearContext(year, indicators, tree, plan=plan, scans=scans)
    capture = ReadCapture()
    ctx.cache = SharedCache(capture)
    rows = {}
    with connection.execute_wrapper(capture):
        for indicator in indicators:
            own = overrides_values(indicator)
            if own:
                capture.current = set()
            try:
                values = indicator.values(ctx)
            finally:
                if own and reads is not None:
                    reads.setdefault(indicator.code, set()).update(capture.current)
                capture.current = None
            for unit, (value, numerator, denominator, details) in values.items():
                rows[(indicator.code, unit)] = (
                    _round(value),
                    _round(numerator),
                    _round(denominator),
                    details or {},
                )
    return rows, ctx


def _store(year: int, rows: dict, codes: list[str], stats: RecomputeStats, units=None) -> set[str]:
    """Store `rows` of `codes` (only those of `units` when given), leaving values imported
    from another instance alone; returns the codes whose stored values changed."""
    stored = IndicatorValue.objects.filter(year=year, code__in=codes)
    if units is not None:
        stored = stored.filter(unit__in=units)
    existing, imported = {}, set()
    # details as text: most are empty, and decoding hundreds of thousands costs seconds
    for pk, code, unit, value, numerator, denominator, text, origin in stored.values_list(
        "pk",
        "code",
        "unit_id",
        "value",
        "numerator",
        "denominator",
        Cast("details", TextField()),
        "origin",
    ):
        if origin == ValueOrigin.IMPORTED:
            imported.add((code, unit))
        else:
            details = {} if text == "{}" else json.loads(text)
            existing[(code, unit)] = (pk, (value, numerator, denominator, details))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new, changed, touched = [], [], set()
    for key, values in rows.items():
        if key in imported:
            continue
        if key not in existing:
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
        elif existing[key][1] != values:
            changed.append(
                (*values[:3], json.dumps(values[3], ensure_ascii=False), now, existing[key][0])
            )
            touched.add(key[0])
        else:
            stats.unchanged += 1
    stale = [pk for key, (pk, _) in existing.items() if key not in rows]
    touched.update(key[0] for key, (pk, _) in existing.items() if key not in rows)
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


def _save_scans(year: int, ctx: YearContext, keys) -> None:
    """Keep the scans of `keys` for the next incremental recompute."""
    layouts = {k: _layout(k, measures) for k, (_, measures) in ctx.plan.items()}
    ScanCache.objects.filter(year=year, source__in=keys).delete()
    ScanCache.objects.bulk_create(
        ScanCache(source=k, year=year, layout=layouts[k], rows=ctx.rows[k]) for k in keys
    )


def _layout(key: str, measures) -> list[str]:
    """Names of a source's measures, in scan column order: the indicator and part that
    declared each first. A scan kept under another layout is not used."""
    names = {}
    for indicator in REGISTRY.values():
        for part, measure in indicator.measures().items():
            if measure.source.key == key:
                names.setdefault(id(measure), f"{indicator.code}.{part}")
    return [names.get(id(m), "?") for m in measures]


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
    for done, year in enumerate(stats.years, start=1):
        rows, ctx = compute_year(year, indicators, tree, reads=found)
        with transaction.atomic():
            _store(year, rows, [i.code for i in indicators], stats)
            if every:
                _save_scans(year, ctx, list(ctx.plan))
        if progress:
            progress(done, len(stats.years))
    save_own_reads(found)
    if every and (years is None or set(years) >= set(years_with_data())):
        ChangeMark.objects.filter(pk__lte=seen).delete()  # every change is in the values now
    evaluate_targets()
    stats.seconds = time.perf_counter() - started
    return stats


def _last_mark() -> int:
    return ChangeMark.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


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
    tree = Tree() if plan.years else None
    found: dict[str, set[str]] = {}
    changed: set[str] = set()
    for done, (year, yp) in enumerate(sorted(plan.years.items()), start=1):
        codes = yp.full | yp.branch
        if not codes:
            continue
        indicators = [i for c, i in REGISTRY.items() if c in codes]
        scans = _patched_scans(year, indicators, yp)
        rows, ctx = compute_year(year, indicators, tree, scans=scans, reads=found)
        branch = {a for u in yp.units for a in tree.chain(u)}
        with transaction.atomic():
            if yp.full:
                changed |= _store(
                    year, {k: v for k, v in rows.items() if k[0] in yp.full}, sorted(yp.full), stats
                )
            if yp.branch:
                part = {k: v for k, v in rows.items() if k[0] in yp.branch and k[1] in branch}
                changed |= _store(year, part, sorted(yp.branch), stats, units=sorted(branch))
            fresh = set(yp.rescan) | set(yp.patch) | (set(ctx.plan) - set(scans))
            _save_scans(year, ctx, [k for k in ctx.plan if k in fresh])
        if progress:
            progress(done, len(plan.years))
    save_own_reads(found)
    ChangeMark.objects.filter(pk__lte=seen).delete()
    if changed:
        evaluate_targets(codes=changed)
    stats.seconds = time.perf_counter() - started
    return stats


def _patched_scans(year: int, indicators, yp) -> dict[str, list[list]]:
    """The kept scans these indicators read, with the changed units scanned again; a
    source to rescan in full, or kept under another layout, is left out (scanned anew)."""
    plan = source_plan(list(REGISTRY.values()))
    wanted = source_plan(indicators).keys()
    kept = {
        source: (layout, rows)
        for source, layout, rows in ScanCache.objects.filter(
            year=year, source__in=[k for k in wanted if k not in yp.rescan]
        ).values_list("source", "layout", "rows")
    }
    scans = {}
    for key in wanted:
        source, measures = plan[key]
        if key not in kept or kept[key][0] != _layout(key, measures):
            continue
        rows = kept[key][1]
        if key in yp.patch:
            units = sorted(yp.patch[key])
            with scan_memory():
                fresh = scan_rows(source, measures, year, units)
            rows = merge_rows(rows, fresh, units)
        scans[key] = rows
    return scans
