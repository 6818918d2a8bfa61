"""残疾儿童入学安置与送教上门 at district scale (not a test; prints its figures).

    .venv/bin/python bench/bench_inclusion.py [--postgres URL]

The demo district's roster of one school year (≈ 69,000 enrolments), its disabled pupils of
compulsory-school age on the 残联 list with nine children never enrolled, and a year of
送教上门 visits (the inclusion demo). Timed, best of three: the reconciliation of the list,
the 送教上门 progress, both indicators for every unit, and the overview page's counts.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402

YEAR = 2025


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    django_on(args.postgres)
    from ruraledu.accounts.models import User
    from ruraledu.care.models import ListEntry
    from ruraledu.core.models import SchoolYear
    from ruraledu.core.schoolyear import school_year_bounds
    from ruraledu.demo.generator import runner
    from ruraledu.inclusion.demo import inclusion_demo_setup
    from ruraledu.inclusion.models import HomeVisit
    from ruraledu.inclusion.reconcile import home_children, reconcile
    from ruraledu.inclusion.selectors import overview
    from ruraledu.indicators.engine import REGISTRY, Tree
    from ruraledu.indicators.services import compute_year
    from ruraledu.orgunits.models import OrgUnit, School

    if not SchoolYear.objects.filter(year=YEAR).exists():
        runner.demo_generate(scale="district", years=[YEAR], seed=1, progress=lambda *a: None)
    SchoolYear.objects.filter(year=YEAR).update(is_current=True)
    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    town = OrgUnit.objects.filter(children__kind="village").order_by("code").first()
    school = School.objects.filter(org_unit__parent=town).order_by("org_unit__code").first()
    started = time.perf_counter()
    inclusion_demo_setup(actor=admin, clerk_school=school.org_unit)
    print(f"示例数据写入：{time.perf_counter() - started:.2f} 秒")
    day = school_year_bounds(YEAR)[1]
    rows = reconcile(YEAR)
    homes = home_children(YEAR, day)
    print(
        f"残联名单 {ListEntry.objects.filter(year=YEAR, kind='disabled').count()} 人，"
        f"送教上门 {len(homes)} 人，送教记录 {HomeVisit.objects.count()} 条，"
        f"未安置 {sum(r.state == 'unplaced' for r in rows)} 人"
    )
    codes = ["disabled_child_unplaced_count", "home_teaching_on_schedule_rate"]
    indicators = [REGISTRY[c] for c in codes]
    tree = Tree()
    figures = [
        ("名单比对（全区）", lambda: reconcile(YEAR)),
        ("送教上门进度（全区）", lambda: home_children(YEAR, day)),
        ("两项指标 × 全部单位", lambda: compute_year(YEAR, indicators, tree)),
        ("概况页人数（区教体局）", lambda: overview(user=admin, year=YEAR)),
    ]
    for label, fn in figures:
        print(f"{label}：{best(fn):.3f} 秒（3 次取最快）")


if __name__ == "__main__":
    main()
