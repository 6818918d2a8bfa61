"""生源预测 for the demo district (not a test; prints its figures).

    .venv/bin/python bench/bench_forecast.py [--postgres URL]

The demo district with five school years of rosters (≈ 70,000 pupils a year) and its births
list. Timed, best of three: reading the rosters and births (a few GROUP BY queries), the
forecast of every school and grade five years ahead with the backtest, and the whole stored
run. Printed: the times and the backtest error of the model against the naive forecast
(same as last year), as the mean absolute percentage error over schools and weighted by size.
Goal: the whole run under 5 s (the page queues it for the task worker). Also the 缺编/超编 by
subject for the first forecast year, as its page computes it.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402

YEARS = [2021, 2022, 2023, 2024, 2025]


def best(fn, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    django_on(args.postgres)
    from ruraledu.accounts.models import User
    from ruraledu.demo.generator import runner
    from ruraledu.forecast import engine
    from ruraledu.forecast.demo import births_file, demo_births
    from ruraledu.forecast.models import BirthRecord
    from ruraledu.forecast.selectors import history_load
    from ruraledu.forecast.services import forecast_run_create
    from ruraledu.spreadsheets.services import import_run
    from ruraledu.students.models import Enrolment

    if not Enrolment.objects.filter(year=YEARS[0]).exists():
        started = time.perf_counter()
        runner.demo_generate(scale="district", years=YEARS, seed=1, progress=lambda *a: None)
        print(f"示例区生成（{len(YEARS)} 个学年）：{time.perf_counter() - started:.1f} 秒")
    admin, _ = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    if not BirthRecord.objects.exists():
        rows = demo_births()
        import_run(
            kind="births",
            data=births_file(rows),
            filename="births.xlsx",
            year=YEARS[-1],
            user=admin,
        )
    print(f"学籍 {Enrolment.objects.count()} 条，村居出生记录 {BirthRecord.objects.count()} 条")

    from ruraledu.orgunits.districts import districts

    (district,) = districts()  # the demo district alone
    read, history = best(lambda: history_load(district))
    compute, result = best(lambda: engine.forecast(history, YEARS[-1], 5))
    check_time, check = best(lambda: engine.backtest(history, YEARS[-1]))
    whole, run = best(lambda: forecast_run_create(actor=admin, unit=district))
    print(f"学校（含教学点）{len(history.schools)} 所，预测 {len(result.cells)} 格（5 年）")
    print(f"读取学籍与出生人口：{read:.2f} 秒")
    print(f"预测计算：{compute:.2f} 秒；回测：{check_time:.2f} 秒")
    print(f"完整测算（读取、预测、回测、保存）：{whole:.2f} 秒（目标 < 5 秒）")
    rows = check.per_school.values()
    actual = sum(a for a, _, _ in rows)
    wape = sum(abs(f - a) for a, f, _ in rows) / actual
    naive_wape = sum(abs(n - a) for a, _, n in rows) / actual
    print(
        f"回测 {check.year} 学年（{len(check.per_school)} 所学校）：平均相对误差 模型 "
        f"{check.model_mape:.1%}，照搬上年 {check.naive_mape:.1%}"
    )
    print(f"按人数加权的误差：模型 {wape:.1%}，照搬上年 {naive_wape:.1%}")
    from ruraledu.forecast.selectors import subject_staffing

    subject_time, (year, lines, towns) = best(lambda: subject_staffing(run=run, user=admin))
    short = sum(line["short_total"] for line in lines)
    over = sum(line["over_total"] for line in lines)
    print(
        f"分学科缺编超编 {year} 学年（{len(lines)} 所学校、{len(towns)} 个镇街）：{subject_time:.2f} 秒；"
        f"缺编 {short} 名，超编 {over} 名"
    )
    print(f"已保存测算 {run.pk}")


if __name__ == "__main__":
    main()
