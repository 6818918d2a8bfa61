"""The personal-data access log's cost on a district-wide export: logging N children (one row
each, `access_log` in one insert) against the per-child look-up the bureau's page then does.

    .venv/bin/python bench/bench_access_log.py [--children 70000] [--database URL]
"""

import argparse
import time

from _setup import django_on


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=70_000)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    django_on(args.database)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ruraledu.audit.personal_access import access_log, personal_access_list, student_subject

    user = get_user_model().objects.create_user("bench", password="x", is_superuser=True)
    subjects = [student_subject(pk) for pk in range(1, args.children + 1)]
    start = time.perf_counter()
    with transaction.atomic():
        rows = access_log(user=user, subjects=subjects, purpose="export", address="10.0.0.1")
    logged = time.perf_counter() - start
    # ten exports' worth in the table, then one child's entries as the bureau's page reads them
    for _ in range(9):
        with transaction.atomic():
            access_log(user=user, subjects=subjects, purpose="export", address="10.0.0.1")
    start = time.perf_counter()
    for child in range(1, 101):
        list(personal_access_list(user=user, child=child)[:50])
    per_child = (time.perf_counter() - start) / 100
    print(f"logging one export of {rows:,} children: {logged:.2f} s ({rows / logged:,.0f} rows/s)")
    print(f"one child's entries among {rows * 10:,} log rows: {per_child * 1000:.1f} ms")


if __name__ == "__main__":
    main()
