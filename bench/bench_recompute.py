"""Recompute of every indicator for every org unit (not a test; prints its figures).

    .venv/bin/python bench/bench_recompute.py
        demo district, 5 years, fresh SQLite file: goal < 5 s
    .venv/bin/python bench/bench_recompute.py --postgres postgres://postgres@127.0.0.1:5432/bench \
        --scale province [--districts N] [--years 2025] [--reuse]
        one year at province scale on PostgreSQL: goal < 2 min; also prints the floor (one
        GROUP BY school pass with a few sums over each table the indicators read) and the ratio

Generation (not timed) uses the demo generator; --reuse keeps data already in the database.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402


def floor_seconds(year: int) -> list[tuple[str, int, float]]:
    """One grouped pass with a few sums over each table the indicators scan, per org-unit
    column: sources that narrow a table (the enrolments of pupils who travelled) read it with
    the one that reads it whole, so splitting a scan does not raise this floor."""
    from django.db.models import Count, Sum

    from ruraledu.indicators.engine import REGISTRY

    sources = {}
    for indicator in REGISTRY.values():
        for measure in indicator.measures().values():
            source = measure.source
            key = (source.model._meta.db_table, source.unit)
            if key not in sources or (sources[key].base and not source.base):
                sources[key] = source
    figures = []
    for source in sources.values():
        started = time.perf_counter()
        rows = list(
            source.records(year)
            .values(source.unit)
            .order_by()
            .annotate(n=Count("pk"), a=Sum("pk"), b=Sum("pk"))
        )
        figures.append((source.key, len(rows), time.perf_counter() - started))
    return figures


def prepare(prefix: str) -> argparse.Namespace:
    """The recompute benches' common start: options, Django on the chosen database, and the
    demo data generated at the chosen scale unless --reuse."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument(
        "--scale", default="district", choices=("tiny", "district", "city", "province")
    )
    parser.add_argument("--districts", type=int)
    parser.add_argument("--years")
    parser.add_argument("--reuse", action="store_true", help="use the data already in the database")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DATA_KEY_FILE", f"{workdir}/data.key")
    django_on(args.postgres)
    from ruraledu.demo.generator import runner

    if not args.reuse:
        years = runner.parse_years(args.years, args.scale)
        runner.orgunits_load(runner.ORG_FILE)
        started = time.perf_counter()
        runner.demo_generate(
            scale=args.scale,
            years=years,
            seed=1,
            districts=args.districts,
            progress=lambda *a: None,
        )
        print(
            f"generated {args.scale} data in {time.perf_counter() - started:.1f} s (not part of the figures)"
        )
    return args


def main():
    args = prepare("bench-recompute-")
    from django.db import connection

    from ruraledu.indicators.engine import REGISTRY
    from ruraledu.indicators.services import recompute, years_with_data
    from ruraledu.students.models import Enrolment

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics current, as after any bulk load
    years = [int(args.years)] if args.years and "-" not in args.years else years_with_data()
    enrolments = Enrolment.objects.filter(year=years[-1]).count()
    print(
        f"database: {connection.vendor}; {len(REGISTRY)} indicators; years {years}; enrolments in {years[-1]}: {enrolments:,}"
    )

    started = time.perf_counter()
    cold = recompute(years=years)
    first = time.perf_counter() - started
    print(f"recompute, empty store: {first:.2f} s ({cold.created:,} values written)")
    started = time.perf_counter()
    warm = recompute(years=years)
    second = time.perf_counter() - started
    print(
        f"recompute, nothing changed: {second:.2f} s ({warm.unchanged:,} values unchanged, {warm.changed} changed)"
    )
    if connection.vendor == "sqlite" and args.scale == "district":
        print(
            f"goal: demo district, all years < 5 s -> {'met' if max(first, second) < 5 else 'NOT met'}"
        )
    if connection.vendor == "postgresql":
        figures = floor_seconds(years[-1])
        floor = sum(seconds for _, _, seconds in figures)
        for key, groups, seconds in figures:
            print(f"  floor pass {key:<14} {groups:>8,} groups {seconds:6.2f} s")
        per_year = second / len(years)
        print(
            f"floor (one grouped pass per table): {floor:.2f} s; recompute of one year: {per_year:.2f} s; "
            f"ratio {per_year / floor:.1f}x (aim <= 10x); goal < 120 s -> {'met' if per_year < 120 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
