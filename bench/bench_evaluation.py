"""Time of the evaluation's reads and of the survey import on the demo district (not a test).
Goals: each verdict sheet under 200 ms with a query count independent of the items; the
district's schools' diagnosis under 200 ms; 5,000 paper questionnaires imported in under 5 s.

    .venv/bin/python bench/bench_evaluation.py [--database sqlite:////path/to/db.sqlite3]

Without --database a fresh SQLite file gets the demo district first (not timed). The import
runs in a transaction that is rolled back: the database is left as it was.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402


class Rollback(Exception):
    pass


def timed(function, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs`, and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def workbook(rows: int) -> bytes:
    from openpyxl import load_workbook

    from ruraledu.evaluation.survey_import import template_bytes

    book = load_workbook(BytesIO(template_bytes()))
    sheet = book["问卷答卷"]
    groups = ["学生", "家长", "教师", "校长", "人大代表、政协委员", "其他群众"]
    for i in range(rows):
        sheet.append([groups[i % 6], None, *[(i + n) % 4 + 1 for n in range(6)]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a database that already holds the demo district")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-evaluation-")
    os.environ.setdefault("DATA_KEY_FILE", f"{workdir}/data.key")
    os.environ["MEDIA_ROOT"] = f"{workdir}/files"
    django_on(args.database)
    from django.core.management import call_command

    if args.database is None:
        call_command("setup_demo", verbosity=0)
    from django.db import transaction

    from ruraledu.accounts.models import User
    from ruraledu.evaluation.gaps import responsible_gaps
    from ruraledu.evaluation.models import Evaluation
    from ruraledu.evaluation.selectors import evaluation_sheet, school_diagnosis, unit_diagnoses
    from ruraledu.evaluation.survey import survey_ensure
    from ruraledu.evaluation.survey_import import responses_import
    from ruraledu.indicators.engine import REGISTRY, Tree
    from ruraledu.indicators.evaluation import plan_root_unit
    from ruraledu.indicators.services import compute_year
    from ruraledu.orgunits.choices import COMPULSORY_STAGES
    from ruraledu.orgunits.models import OrgUnit

    admin = User.objects.get(username="admin")
    for evaluation in Evaluation.objects.order_by("framework"):
        ms, queries = timed(lambda e=evaluation: evaluation_sheet(e), args.runs)
        items = len(evaluation_sheet(evaluation)["results"])
        print(f"{evaluation}：{items} 项，{ms:.1f} 毫秒（{args.runs} 次中位数），{queries} 次查询")
    root = plan_root_unit()
    year = Evaluation.objects.order_by("-year").first().year
    for evaluation in Evaluation.objects.order_by("framework"):
        results = evaluation_sheet(evaluation)["results"]
        unit = evaluation.unit  # each district's gaps under its own values
        ms, queries = timed(lambda r=results, u=unit: responsible_gaps(r, year, u), args.runs)
        print(f"{evaluation} 按责任单位列缺口：{ms:.1f} 毫秒，{queries} 次查询")
    school = OrgUnit.objects.filter(kind="school", school__stage__in=COMPULSORY_STAGES).first()
    ms, queries = timed(lambda: school_diagnosis(school=school, year=year), args.runs)
    print(f"一所学校的诊断（同类学校对比、历年变化）：{ms:.1f} 毫秒，{queries} 次查询")
    codes = [c for c in REGISTRY if c.startswith("evaluation_") or c in ("xqpjph_g3", "xqpjph_q3")]
    started = time.perf_counter()
    computed, _ = compute_year(year, [REGISTRY[c] for c in codes], Tree())
    seconds = time.perf_counter() - started
    print(f"评估指标 {len(codes)} 个 × 全部单位（{len(computed)} 个值）：{seconds:.2f} 秒")
    rows = unit_diagnoses(user=admin, unit=root, year=year)
    ms, queries = timed(lambda: unit_diagnoses(user=admin, unit=root, year=year), args.runs)
    print(f"全区 {len(rows)} 所义务教育学校诊断列表：{ms:.1f} 毫秒，{queries} 次查询")
    data = workbook(args.rows)
    survey = survey_ensure(evaluation=Evaluation.objects.order_by("-year").first())
    started = time.perf_counter()
    try:
        with transaction.atomic():
            added = responses_import(survey=survey, actor=admin, data=data, filename="bench.xlsx")
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(f"导入 {added} 份纸质答卷：{seconds:.2f} 秒 = {added / seconds:,.0f} 份/秒（已回滚）")


if __name__ == "__main__":
    main()
