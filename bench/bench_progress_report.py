"""Time to generate the district's quarterly progress report as .docx and as PDF (LibreOffice
from that .docx) (not a test). Goals: under 5 s and under 20 s.

    .venv/bin/python bench/bench_progress_report.py [--database sqlite:////path/to/db.sqlite3]

Without --database a fresh SQLite file gets the demo district, the plan and its indicator
values first (not timed). The report is rendered in memory; nothing is stored. The PDF time
is the .docx plus its conversion.
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
    if args.database is None:
        demo_district()
    from django.utils import timezone

    from ruraledu.documents import engine
    from ruraledu.documents.catalogue import KINDS
    from ruraledu.documents.pdf import docx_to_pdf
    from ruraledu.documents.periods import period_default, period_parse
    from ruraledu.plans.models import Plan

    plan = Plan.objects.order_by("-start_year", "-pk").first()
    actor = bench_admin()
    period = period_parse(args.period) if args.period else period_default(timezone.localdate())
    kind = KINDS["progress_report"]
    timings, pdf_timings = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        data, context = engine.render(kind, plan=plan, period=period, user=actor)
        timings.append(time.perf_counter() - started)
        pdf = docx_to_pdf(data)
        pdf_timings.append(time.perf_counter() - started)
    print(
        f"progress report {period.label}, {len(data) / 1024:.0f} KB .docx, "
        f"data version {context['data_version']}: "
        f"best {min(timings):.2f} s, worst {max(timings):.2f} s over {args.runs} runs (goal < 5 s)"
    )
    print(
        f"as PDF ({len(pdf) / 1024:.0f} KB, .docx + LibreOffice): best {min(pdf_timings):.2f} s, "
        f"worst {max(pdf_timings):.2f} s over {args.runs} runs (goal < 20 s)"
    )


def bench_admin():
    from ruraledu.accounts.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench-admin", email="", password=None
    )


def demo_district() -> None:
    """The plan, the demo district and its indicator values in the fresh database (not timed)."""
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


if __name__ == "__main__":
    main()
