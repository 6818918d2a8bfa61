"""Supervision figures on the demo district (not a test; prints its figures).

    .venv/bin/python bench/bench_supervision.py [--visits-per-school 10] [--postgres URL]

Generates one school year of the demo district (not timed), gives every school a 挂牌 inspector
(five schools each), a year of signed-off visits and three rectification items per school
(written in bulk, not timed), then times: the seven supervision indicators for every org unit,
and the district-wide progress table (what a zone or inspector page reads, for every school)
with its query count. Goal: each well under a second; the query count independent of schools.
"""

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402

YEAR = 2025
CODES = [
    "supervision_visit_plan_rate",
    "supervision_items_open_count",
    "supervision_items_overdue_count",
    "supervision_items_closed_on_time_rate",
    "supervision_item_days_to_close_avg",
    "researcher_term_observation_rate",
    "researcher_term_observation_avg",
]


def populate(visits_per_school: int) -> tuple[int, int, int]:
    from ruraledu.accounts.models import User
    from ruraledu.orgunits.models import School
    from ruraledu.supervision.choices import ChecklistStatus, ItemStatus, VisitStatus
    from ruraledu.supervision.models import (
        Checklist,
        ChecklistItem,
        Finding,
        InspectorAssignment,
        RectificationItem,
        Visit,
        VisitKind,
    )

    admin = User.objects.create(username="bench-admin")
    kind = VisitKind.objects.create(name="经常性督导", visits_per_month=1)
    checklist = Checklist.objects.create(
        kind=kind, version=1, title="检查表", status=ChecklistStatus.PUBLISHED, created_by=admin
    )
    ChecklistItem.objects.create(checklist=checklist, area="安全", text="消防", order=1)
    schools = list(School.objects.filter(org_unit__kind="school").order_by("pk"))
    inspectors = User.objects.bulk_create(
        User(username=f"bench-inspector-{n}") for n in range(len(schools) // 5 + 1)
    )
    InspectorAssignment.objects.bulk_create(
        InspectorAssignment(
            school=s, inspector=inspectors[n // 5], year=YEAR, started_on=dt.date(YEAR, 9, 1)
        )
        for n, s in enumerate(schools)
    )
    start = dt.date(YEAR, 9, 1)
    visits = Visit.objects.bulk_create(
        Visit(
            school=s,
            kind=kind,
            checklist=checklist,
            visited_on=start + dt.timedelta(days=(v * 31 + n) % 300),
            inspector=inspectors[n // 5],
            status=VisitStatus.SIGNED_OFF,
        )
        for n, s in enumerate(schools)
        for v in range(visits_per_school)
    )
    findings = Finding.objects.bulk_create(
        Finding(visit=visit, area="安全", text="问题") for visit in visits[::3]
    )
    items = []
    for n, finding in enumerate(findings):
        closed = n % 3 != 0
        day = finding.visit.visited_on
        items.append(
            RectificationItem(
                finding=finding,
                school_id=finding.visit.school_id,
                area="安全",
                description="整改",
                deadline=day + dt.timedelta(days=21),
                responsible="主任",
                status=ItemStatus.CLOSED if closed else ItemStatus.NOTIFIED,
                closed_on=day + dt.timedelta(days=10 + n % 20) if closed else None,
                days_to_close=10 + n % 20 if closed else None,
                created_by=admin,
            )
        )
    RectificationItem.objects.bulk_create(items)
    return len(schools), len(visits), len(items)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits-per-school", type=int, default=10)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    django_on(args.postgres)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ruraledu.demo.generator import runner
    from ruraledu.indicators.services import recompute
    from ruraledu.orgunits.models import School
    from ruraledu.supervision.overview import school_rows

    runner.demo_generate(scale="district", years=[YEAR], seed=1, replace=True)
    schools, visits, items = populate(args.visits_per_school)
    print(f"示例区县 {YEAR} 学年：{schools} 所学校，{visits} 条督导记录，{items} 项整改事项")

    started = time.perf_counter()
    stats = recompute(years=[YEAR], codes=CODES)
    print(f"督导指标 7 项 × 全部单位：{time.perf_counter() - started:.2f} 秒（{stats}）")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        rows, _ = school_rows(schools=School.objects.all(), today=dt.date(YEAR + 1, 3, 15))
        elapsed = time.perf_counter() - started
    print(f"全区督导进度表（{len(rows)} 所学校）：{elapsed:.3f} 秒，{len(queries)} 次查询")


if __name__ == "__main__":
    main()
