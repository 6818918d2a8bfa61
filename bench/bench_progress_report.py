"""Time to generate the district's quarterly progress report as .docx (not a test).
Goal: under 5 s.

    .venv/bin/python bench/bench_progress_report.py [--database sqlite:////path/to/db.sqlite3]

Without --database a fresh SQLite file gets the demo district, the plan and its indicator
values first (not timed). The report is rendered in memory; nothing is stored.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_on  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a database that already holds the demo district")
    parser.add_argument("--period", default=None, help='e.g. "2026-Q1" (default: last quarter)')
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-progress-report-")
    os.environ.setdefault("DATA_KEY_FILE", f"{workdir}/data.key")
    django_on(args.database)
    from django.utils import timezone

    from ruraledu.accounts.models import User
    from ruraledu.documents import engine
    from ruraledu.documents.periods import period_default, period_parse
    from ruraledu.plans.models import Plan

    if args.database is None:
        from ruraledu.demo.generator import runner
        from ruraledu.indicators.services import recompute
        from ruraledu.plans.loader import load_plan

        load_plan(ROOT / "plans" / "zichuan-2023.yaml")
        runner.orgunits_load(runner.ORG_FILE)
        started = time.perf_counter()
        runner.demo_generate(
            scale="district",
            years=runner.parse_years(None),
            seed=1,
            districts=None,
            progress=lambda *a: None,
        )
        recompute()
        print(f"demo district and values in {time.perf_counter() - started:.1f} s (not timed)")
    plan = Plan.objects.order_by("-start_year", "-pk").first()
    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench-admin", email="", password=None
    )
    period = period_parse(args.period) if args.period else period_default(timezone.localdate())
    kind = engine.KINDS["progress_report"]
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        data, context = kind_render(engine, kind, plan, period, actor)
        timings.append(time.perf_counter() - started)
    print(
        f"progress report {period.label}, {len(data) / 1024:.0f} KB .docx, "
        f"data version {context['data_version']}: "
        f"best {min(timings):.2f} s, worst {max(timings):.2f} s over {args.runs} runs (goal < 5 s)"
    )


def kind_render(engine, kind, plan, period, actor):
    return engine.render(kind, plan=plan, period=period, user=actor)


if __name__ == "__main__":
    main()
