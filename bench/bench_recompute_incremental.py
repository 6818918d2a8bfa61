"""Incremental recompute after a change, against the full recompute (not a test; prints figures).

    .venv/bin/python bench/bench_recompute_incremental.py
        demo district on a fresh SQLite file: recompute after one school's roster changed,
        goal < 0.5 s
    .venv/bin/python bench/bench_recompute_incremental.py \
        --postgres postgres://postgres@127.0.0.1:5432/bench --scale province [--districts N] \
        --years 2025 [--reuse]
        one year at province scale on PostgreSQL: after nothing changed (goal < 2 s), after one
        district's roster changed (goal < 10 s), and the full recompute against one bare
        grouped pass per table (goal <= 10x)

The roster change is written as the roster import writes it (its change record: the year and
the schools), toggling 住校 and 留守 for one pupil in ten of each school; afterwards a full
recompute must find nothing to change (printed as the check). Generation is not timed.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def change_rosters(year: int, schools: list[int]) -> int:
    """What a re-import of these schools' rosters with one pupil in ten corrected writes."""
    from django.db import transaction
    from django.db.models import F, Q

    from ruraledu.indicators.changes import changing
    from ruraledu.students.models import Enrolment

    with transaction.atomic(), changing(Enrolment, year=year, units=schools):
        picked = Enrolment.objects.filter(year=year).filter(
            Q(school_id__in=schools) | Q(campus_id__in=schools)
        )
        ids = list(picked.values_list("pk", flat=True)[::10])
        return Enrolment.objects.filter(pk__in=ids).update(
            boarding=~F("boarding"), left_behind=~F("left_behind")
        )


def breakdown(stats, top: int = 12) -> str:
    """The phases and the slowest indicators of a recompute, slowest first."""
    phases = ("plan", "patch scans", "scans", "scan wait", "store", "evaluate")
    parts = [f"{k} {stats.timings[k]:.2f}" for k in phases if k in stats.timings]
    codes = sorted(((s, k) for k, s in stats.timings.items() if k not in phases), reverse=True)[
        :top
    ]
    spent = sum(s for s, _ in codes)
    indicators = sum(s for k, s in stats.timings.items() if k not in phases)
    other = stats.seconds - sum(stats.timings.values())
    lines = [
        f"    phases (s): {'; '.join(parts)}; all indicators' values() {indicators:.2f}; "
        f"other {other:.2f}"
    ]
    lines.append(f"    slowest {len(codes)} indicators ({spent:.2f} s):")
    lines += [f"      {s:6.2f} s  {k}" for s, k in codes]
    return "\n".join(lines)


CPU: dict[str, float] = {}  # label -> this process's CPU seconds (the database's not counted)


def timed(label: str, run):
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    seconds = time.perf_counter() - started
    CPU[label] = time.process_time() - cpu
    return result, seconds


def main():
    from bench_recompute import prepare

    args = prepare("bench-incremental-")
    from bench_recompute import floor_seconds
    from django.db import connection

    from ruraledu.indicators.dependencies import reads
    from ruraledu.indicators.engine import REGISTRY
    from ruraledu.indicators.services import recompute, recompute_changes, years_with_data
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.models import OrgUnit
    from ruraledu.students.models import Enrolment

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    years = [int(args.years)] if args.years and "-" not in args.years else years_with_data()
    last = years[-1]
    print(
        f"database: {connection.vendor}; {len(REGISTRY)} indicators; years {years}; "
        f"enrolments in {last}: {Enrolment.objects.filter(year=last).count():,}"
    )
    first, seconds = timed("full", lambda: recompute(years=years))
    print(
        f"full recompute (store as left by earlier runs): {seconds:.2f} s, {first.changed:,} written"
    )
    full, full_seconds = timed("full", lambda: recompute(years=years))
    print(
        f"full recompute, nothing changed: {full_seconds:.2f} s ({full.unchanged:,} values; "
        f"Python CPU {CPU['full']:.2f} s)"
    )
    print(breakdown(full))
    _, seconds = timed("reads", lambda: reads(last))
    print(f"dependency analysis (once per worker process): {seconds:.2f} s")

    nothing, nothing_seconds = timed("nothing", recompute_changes)
    print(f"incremental, nothing changed: {nothing_seconds:.3f} s")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")

    if connection.vendor == "sqlite":
        school = Enrolment.objects.filter(year=last).values_list("school_id", flat=True).first()
        branch, label = [school], "one school's roster"
    else:
        district = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("path").first()
        branch = list(
            OrgUnit.objects.filter(
                path__startswith=district.path, kind__in=[OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS]
            ).values_list("pk", flat=True)
        )
        label = f"one district's rosters ({district.name}, {len(branch)} schools)"
    changed = change_rosters(last, branch)
    after, after_seconds = timed("incremental", recompute_changes)
    print(
        f"incremental after {label}, {changed:,} enrolments changed: {after_seconds:.2f} s "
        f"({after.changed:,} values written, {after.unchanged:,} compared unchanged; "
        f"Python CPU {CPU['incremental']:.2f} s)"
    )
    print(breakdown(after))
    check, _ = timed("check", lambda: recompute(years=years))
    print(f"check: a full recompute afterwards changes {check.changed} values (must be 0)")

    if connection.vendor == "sqlite":
        print(f"goal: one school's import < 0.5 s -> {'met' if after_seconds < 0.5 else 'NOT met'}")
    else:
        figures = floor_seconds(last)
        floor = sum(s for _, _, s in figures)
        per_year = full_seconds / len(years)
        print(
            f"floor (one grouped pass per table): {floor:.2f} s; full recompute of one year "
            f"{per_year:.2f} s; ratio {per_year / floor:.1f}x (goal <= 10x)"
        )
        print(
            f"goals: nothing changed < 2 s -> {'met' if nothing_seconds < 2 else 'NOT met'}; "
            f"one district < 10 s -> {'met' if after_seconds < 10 else 'NOT met'}; "
            f"ratio <= 10x -> {'met' if per_year / floor <= 10 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
