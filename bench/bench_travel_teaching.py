"""Time and proven gap of the 走教 assignment on the demo district's largest 学区 (or town,
where no 学区 exists). Goal: under 10 s.

    .venv/bin/python bench/bench_travel_teaching.py [--database sqlite:////path/to/db.sqlite3]

Without --database a fresh SQLite file gets the demo district first (not timed). Nothing is
written.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a database that already holds the demo district")
    args = parser.parse_args()
    django_on(args.database)
    from django.core.management import call_command

    from ruraledu.planning.travel import travel_solve
    from ruraledu.planning.travel_data import area_problem, largest_area
    from ruraledu.planning.travel_services import DEFAULTS
    from ruraledu.workforce.models import Post

    if args.database is None:
        call_command("setup_demo", verbosity=0)
    year = Post.objects.order_by("-year").values_list("year", flat=True)[0]
    key, name = largest_area()
    started = time.perf_counter()
    schools, teachers = area_problem(key, year, DEFAULTS["hours"], DEFAULTS["weekly_max"])
    read = time.perf_counter() - started
    result = travel_solve(schools, teachers, {**DEFAULTS, "distances": {}, "locks": {}})
    gap = "—" if result["gap"] is None else f"{result['gap'] * 100:.3f} %"
    print(
        f"走教 {name} ({year}): {len(schools)} schools, {len(teachers)} teachers with spare "
        f"lessons; read {read:.2f} s, solve {result['seconds']:.2f} s, gap {gap}; "
        f"need {result['need']} lessons/week, covered {result['covered']}, "
        f"travel {result['km']} km/week{', time limit hit' if result['timed_out'] else ''}"
    )


if __name__ == "__main__":
    main()
