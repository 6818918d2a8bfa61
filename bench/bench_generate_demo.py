"""Benchmark of the demo generator (not a test): prints seconds in total and rows/s per table.

    .venv/bin/python bench/bench_generate_demo.py                      # district, 2021–2025, SQLite
    .venv/bin/python bench/bench_generate_demo.py --postgres postgres://postgres@127.0.0.1:5432/bench \
        --scale province --districts 6                                  # a slice of the province

The SQLite run uses a fresh database file in a temporary folder (config.settings.local, as
`make run`); migrations run first and are not timed. The goal for the district is under 60 s.
With --postgres the database must exist; migrations run, earlier demo rows are removed (not
timed), and for a province slice the time of the whole province is extrapolated per district.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL database URL (exists already)"
    )
    parser.add_argument(
        "--scale", default="district", choices=("tiny", "district", "city", "province")
    )
    parser.add_argument(
        "--years", default=None, help="e.g. 2021-2025 (the scale's default if omitted)"
    )
    parser.add_argument(
        "--districts", type=int, default=None, help="number of districts (city/province)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DATA_KEY_FILE", str(workdir / "data.key"))
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from ruraledu.demo.generator import runner

    call_command("migrate", verbosity=0)
    runner.orgunits_load(runner.ORG_FILE)
    years = runner.parse_years(args.years, args.scale)
    specs = runner.district_specs(args.scale, args.seed, args.districts)
    codes = [s.code for s in specs]
    if runner.demo_present(codes):
        with transaction.atomic():
            runner.demo_wipe(codes)

    print(
        f"数据库: {connection.vendor} ({settings.DATABASES['default']['NAME']}), DEBUG={settings.DEBUG}"
    )
    print(f"规模: {args.scale}, 区县 {len(specs)}, 学年 {years[0]}–{years[-1]}, 种子 {args.seed}")
    started = time.perf_counter()
    report = runner.demo_generate(
        scale=args.scale, years=years, seed=args.seed, districts=args.districts, progress=print
    )
    total = time.perf_counter() - started
    write_seconds = sum(seconds for _, seconds in report.tables.values())
    print()
    print(f"{'table':<38}{'rows':>11}{'write s':>10}{'rows/s (write)':>16}{'rows/s (total)':>16}")
    for label, (rows, seconds) in sorted(report.tables.items(), key=lambda item: -item[1][0]):
        print(
            f"{label:<38}{rows:>11}{seconds:>10.2f}{rows / seconds if seconds else 0:>16.0f}{rows / total:>16.0f}"
        )
    print()
    print(f"total: {report.rows} rows in {total:.1f} s = {report.rows / total:.0f} rows/s "
          f"(writes {write_seconds:.1f} s, generation and commit {total - write_seconds:.1f} s)")  # fmt: skip
    if args.scale == "district":
        print(
            f"goal: district, 5 years under 60 s on SQLite -> {'met' if total < 60 else 'NOT met'}"
        )
    full = runner.SCALES[args.scale].districts
    if args.scale in ("city", "province") and len(specs) < full:
        per_district = total / len(specs)
        print(
            f"extrapolated to all {full} districts: {per_district * full / 60:.1f} min "
            f"(≈ {report.rows / len(specs) * full / 1e6:.1f} M rows at {report.rows / total:.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
