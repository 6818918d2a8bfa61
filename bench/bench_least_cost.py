"""Time and proven gap of the least-cost plan to the 优质均衡 resource standard (not a test).
Goals: the demo district under 10 s to a proven optimum or a gap under 1 %; city scale
(10 districts) under 60 s with the gap printed.

    .venv/bin/python bench/bench_least_cost.py [--database sqlite:////path/to/db.sqlite3]

Without --database a fresh SQLite file gets the demo district first (not timed). City scale
is the demo district's schools copied ten times, each copy's resources scaled by a fixed
factor between 0.85 and 1.03, so the copies are not identical; the 差异系数 is then taken
over all copies together (one pool, not per district). Nothing is written.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402


def report(label: str, schools: list, inputs: dict) -> None:
    from ruraledu.planning.checker import plan_check, rules
    from ruraledu.planning.solver import naive_plan, plan_cost, solve

    partial, limits = rules()
    started = time.perf_counter()
    result = solve(schools, inputs, partial=partial, cv_limits=limits)
    seconds = time.perf_counter() - started
    checked = plan_check(schools, result["plan"], result["moves"])
    failing = {u for u, j in plan_check(schools, {})["schools"].items() if not j["verdict"]}
    naive = plan_cost(naive_plan(schools, failing=failing), inputs["costs"])
    gap = "—" if result["gap"] is None else f"{result['gap'] * 100:.3f} %"
    print(
        f"{label}: {len(schools)} schools, {len(failing)} failing before; "
        f"solve {seconds:.2f} s ({result['rounds']} rounds), gap {gap}, "
        f"cost {result['cost']:,.0f} vs naive {naive:,.0f} yuan, "
        f"checker {'passes' if checked['passes'] else 'FAILS'}, mode {result['mode']}, "
        f"{len(inputs.get('movers') or [])} movable teachers, {len(result['moves'])} moved, "
        f"yearly {', '.join(f'{c:,.0f}' for c in result['year_costs'])}"
        f"{', time limit hit' if result['timed_out'] else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a database that already holds the demo district")
    parser.add_argument("--year", type=int, help="school year (default: the latest with data)")
    args = parser.parse_args()
    django_on(args.database)
    from django.core.management import call_command

    from ruraledu.orgunits.districts import districts
    from ruraledu.planning.demo import DEMO
    from ruraledu.planning.selectors import district_schools
    from ruraledu.students.models import Enrolment

    if args.database is None:
        call_command("setup_demo", verbosity=0)
    year = args.year or Enrolment.objects.order_by("-year").values_list("year", flat=True)[0]
    inputs = {**DEMO[0][1], "time_limit": 60}
    started = time.perf_counter()
    district = districts()[0]
    schools = district_schools(year, district)
    print(f"year {year}: registry read {time.perf_counter() - started:.2f} s")
    report("demo district", schools, inputs)
    city = []
    for copy in range(10):
        factor = 0.85 + 0.02 * copy
        for school in schools:
            city.append(
                {
                    **school,
                    "unit": school["unit"] * 100 + copy,
                    "code": f"{school['code']}-{copy}",
                    "sums": {k: v * factor for k, v in school["sums"].items()},
                }
            )
    report("city (10 districts)", city, inputs)
    # the 交流轮岗 eligible teachers free to move at 20,000 yuan a move
    from ruraledu.planning.plan_data import movers, plan_schools

    moving = {**inputs, "movers_source": "rotation", "move_cost": 20000}
    started = time.perf_counter()
    offered = movers(year, moving, district)
    print(f"movable teachers read {time.perf_counter() - started:.2f} s")
    report("demo district, eligible teachers may move", schools, {**moving, "movers": offered})
    # three years to a target on the forecast's pupils, 12 M yuan a year (the demo scenario)
    from ruraledu.forecast.selectors import run_latest

    run = run_latest(district)
    if run is not None:
        from ruraledu.planning.demo import MULTI_YEAR

        multi = {**MULTI_YEAR[1], "time_limit": 60}
        projected, data_year, _ = plan_schools(run.base_year + 3, multi, district)
        report(
            f"demo district, {run.base_year + 1}–{run.base_year + 3} on projected pupils",
            projected,
            {**multi, "movers": movers(data_year, multi, district)},
        )


if __name__ == "__main__":
    main()
