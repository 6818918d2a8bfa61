"""Recompute: every indicator for every org unit and year, stored only where it changed."""

import json
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from ruraledu.core.bulk import insert_rows, update_rows
from ruraledu.core.kinds import yearly_kinds
from ruraledu.core.models import SchoolYear

from .engine import REGISTRY, Tree, YearContext
from .models import IndicatorValue

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


def compute_year(year: int, indicators, tree: Tree) -> dict[tuple[str, int], tuple]:
    ctx = YearContext(year, indicators, tree)
    rows = {}
    for indicator in indicators:
        for unit, (value, numerator, denominator, details) in indicator.values(ctx).items():
            rows[(indicator.code, unit)] = (
                _round(value),
                _round(numerator),
                _round(denominator),
                details or {},
            )
    return rows


def _store(year: int, rows: dict, codes: list[str], stats: RecomputeStats) -> None:
    existing = {
        (code, unit): (pk, (value, numerator, denominator, details))
        for pk, code, unit, value, numerator, denominator, details in IndicatorValue.objects.filter(
            year=year, code__in=codes
        ).values_list("pk", "code", "unit_id", "value", "numerator", "denominator", "details")
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new, changed = [], []
    for key, values in rows.items():
        if key not in existing:
            new.append(
                (key[0], key[1], year, *values[:3], json.dumps(values[3], ensure_ascii=False), now)
            )
        elif existing[key][1] != values:
            changed.append(
                (*values[:3], json.dumps(values[3], ensure_ascii=False), now, existing[key][0])
            )
        else:
            stats.unchanged += 1
    stale = [pk for key, (pk, _) in existing.items() if key not in rows]
    stats.created += insert_rows(
        IndicatorValue,
        ("code", "unit", "year", "value", "numerator", "denominator", "details", "computed_at"),
        new,
    )
    stats.updated += update_rows(
        IndicatorValue, ("value", "numerator", "denominator", "details", "computed_at"), changed
    )
    for start in range(0, len(stale), 900):
        stats.deleted += IndicatorValue.objects.filter(pk__in=stale[start : start + 900]).delete()[
            0
        ]


def recompute(
    *, years: list[int] | None = None, codes: list[str] | None = None, progress=None
) -> RecomputeStats:
    """Compute and store; then evaluate every target. `progress(done, total)` is called per year."""
    from .evaluation import evaluate_targets

    started = time.perf_counter()
    stats = RecomputeStats(years=years or years_with_data())
    indicators = [REGISTRY[c] for c in codes] if codes else list(REGISTRY.values())
    tree = Tree()
    for done, year in enumerate(stats.years, start=1):
        rows = compute_year(year, indicators, tree)
        with transaction.atomic():
            _store(year, rows, [i.code for i in indicators], stats)
        if progress:
            progress(done, len(stats.years))
    evaluate_targets()
    stats.seconds = time.perf_counter() - started
    return stats
