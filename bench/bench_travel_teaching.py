"""Time and proven gap of the 走教 assignment on the demo district's largest 学区 (or town,
where no 学区 exists), with distances from the schools' coordinates where they are set. Goal:
under 10 s. Also the 交流轮岗 page: its suggestion (best of three) and the whole page with its
query count (it took 2.2 s when it loaded every post as model objects).

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
    from ruraledu.planning.locations import coordinate_distances

    distances = coordinate_distances([s["unit"] for s in schools])
    result = travel_solve(schools, teachers, {**DEFAULTS, "distances": distances, "locks": {}})
    gap = "—" if result["gap"] is None else f"{result['gap'] * 100:.3f} %"
    print(
        f"走教 {name} ({year}): {len(schools)} schools, {len(teachers)} teachers with spare "
        f"lessons; read {read:.2f} s, solve {result['seconds']:.2f} s, gap {gap}; "
        f"need {result['need']} lessons/week, covered {result['covered']}, "
        f"travel {result['km']} km/week{', time limit hit' if result['timed_out'] else ''}; "
        f"{len(distances)} school pairs placed by coordinates"
    )
    rotation(year)


def rotation(year: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ruraledu.accounts.models import User
    from ruraledu.accounts.policy import is_bureau
    from ruraledu.orgunits.districts import districts
    from ruraledu.planning.rotation import RULES, suggest

    district = districts()[0]  # the page shows the first district
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = suggest(year, RULES, district)
        times.append(time.perf_counter() - started)
    user = next(u for u in User.objects.filter(is_active=True) if is_bureau(u))
    client = Client()
    client.force_login(user)
    url = f"/planning/rotation/?year={year}"
    client.get(url, HTTP_HOST="localhost")  # first request imports the URL modules
    pages = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url, HTTP_HOST="localhost")
            pages.append(time.perf_counter() - started)
    print(
        f"交流轮岗 ({year}): {result['eligible_count']} eligible, {len(result['rows'])} suggested; "
        f"suggestion {min(times):.2f} s, page {min(pages):.2f} s with {len(queries)} queries "
        "(best of three)"
    )


if __name__ == "__main__":
    main()
