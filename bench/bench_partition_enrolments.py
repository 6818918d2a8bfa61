"""Would partitioning enrolments by school year help on PostgreSQL? A measurement on a scratch
database: the same rows in a copy of the enrolment table as it is and in one partitioned by
year (LIST, one partition per year), then the work the platform does on them timed on both.

    .venv/bin/python bench/bench_partition_enrolments.py \\
        --postgres postgres://user@host:5432/ruraledu_partition_bench [--per-year 1000000] [--years 5]

The scratch database (its name must contain "bench") is created afresh and dropped at the end.
Both tables take their columns and indexes from the migrated enrolment table (LIKE … INCLUDING
ALL); the partitioned one's primary key must include the year. Rows are laid down year after
year, as school years are imported. Timed, median of --repeat runs each:

- a roster import's merge into a new year: 100,000 rows COPY'd into a staging table, INSERT …
  SELECT into the table, committed;
- a re-import's look-up (the year's enrolments of 100,000 staged persons) and its UPDATE …
  FROM of 10,000 changed rows, committed;
- the recompute's kind of read: one year's enrolments grouped by school and grade (counts and
  care flags), and the same over all years;
- one pupil's enrolment across all years (by person), as the transfer and history pages ask.
"""

import argparse
import random
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from _setup import django_on

FIRST_YEAR = 2021
SCHOOLS = 1500
IMPORT_ROWS = 100_000


def scratch(url: str, drop: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    if "bench" not in database or not database.replace("_", "").isalnum():
        sys.exit(f"--postgres: the scratch database's name must contain 'bench': {database!r}")
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not drop:
            conn.execute(f'CREATE DATABASE "{database}"')


def build(cur, years: list[int], per_year: int) -> tuple[str, list[str]]:
    """The plain and the partitioned copies of the enrolment table, filled alike."""
    cur.execute("SELECT to_regclass('students_enrolment') IS NOT NULL")
    assert cur.fetchone()[0], "the scratch database was not migrated"
    cur.execute("CREATE TABLE enrol_plain (LIKE students_enrolment INCLUDING ALL)")
    cur.execute(
        "CREATE TABLE enrol_part (LIKE students_enrolment INCLUDING DEFAULTS INCLUDING IDENTITY"
        " INCLUDING CONSTRAINTS) PARTITION BY LIST (year)"
    )
    # the same indexes as the real table; unique ones must include the partition key
    cur.execute("ALTER TABLE enrol_part ADD PRIMARY KEY (id, year)")
    cur.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'students_enrolment'"
        " AND indexname NOT LIKE '%pkey'"
    )
    for (definition,) in cur.fetchall():
        definition = definition.replace(" ON public.students_enrolment ", " ON enrol_part ")
        definition = definition.replace("INDEX ", "INDEX part_", 1).replace(
            "INDEX part_CONCURRENTLY", "INDEX CONCURRENTLY"
        )
        cur.execute(definition)
    for year in [*years, years[-1] + 1]:
        cur.execute(
            f"CREATE TABLE enrol_part_{year} PARTITION OF enrol_part FOR VALUES IN ({year})"
        )
    columns = (
        "person_id, year, school_id, campus_id, grade, class_name, distance_km, transport,"
        " placement, family_status, mentor_id, boarding, lunch_needed, lunch_served,"
        " left_behind, disability, orphan, unattended, hardship, struggling, aid_received"
    )
    for year in years:  # a year's pupils: most of last year's one grade up, some new
        shift = (year - FIRST_YEAR) * per_year // 6
        fill = (
            f"SELECT g + {shift}, {year}, 1 + (g * 7919) % {SCHOOLS}, NULL, 1 + g % 9,"
            " (1 + g % 4) || '班', round(((g % 97) / 10.0)::numeric, 1), 'none', '', '', NULL,"
            " g % 10 = 0, true, g % 9 <> 0, g % 12 = 0, g % 150 = 0, false, false,"
            " g % 60 = 0, g % 25 = 0, g % 30 = 0"
            f" FROM generate_series(1::bigint, {per_year}) AS g"
        )
        for table in ("enrol_plain", "enrol_part"):
            cur.execute(f"INSERT INTO {table} ({columns}) {fill}")
    cur.execute("ANALYZE enrol_plain")
    cur.execute("ANALYZE enrol_part")
    return columns, ["enrol_plain", "enrol_part"]


def timed(conn, work, repeat: int) -> float:
    """Median seconds of `work(cursor)` (its commit included where it commits; rolled back
    otherwise); `work.undo(cursor)`, if any, runs after each, untimed."""
    times = []
    for _ in range(repeat):
        with conn.cursor() as cur:
            started = time.perf_counter()
            work(cur)
            times.append(time.perf_counter() - started)
            conn.rollback()
            if undo := getattr(work, "undo", None):
                undo(cur)
                conn.commit()
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="URL of a scratch PostgreSQL database")
    parser.add_argument("--per-year", type=int, default=1_000_000, help="enrolments per year")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scratch(args.postgres)
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        scratch(args.postgres, drop=True)


def run(args) -> None:
    import psycopg

    django_on(args.postgres)  # migrate: the enrolment table as the project defines it
    years = list(range(FIRST_YEAR, FIRST_YEAR + args.years))
    conn = psycopg.connect(args.postgres)
    with conn.cursor() as cur:
        started = time.perf_counter()
        columns, tables = build(cur, years, args.per_year)
        conn.commit()
        print(
            f"{args.years} years x {args.per_year:,} enrolments in each table "
            f"({time.perf_counter() - started:.0f} s to build)"
        )
    rng = random.Random(5)
    last, new_year = years[-1], years[-1] + 1
    shift = (last - FIRST_YEAR) * args.per_year // 6
    staged_people = [shift + rng.randint(1, args.per_year) for _ in range(IMPORT_ROWS)]
    rows = [
        (
            10_000_000 + i,
            new_year,
            1 + i % SCHOOLS,
            None,
            1 + i % 9,
            "1班",
            None,
            "none",
            "",
            "",
            None,
            *(False,) * 10,
        )
        for i in range(IMPORT_ROWS)
    ]

    def insert_year(table):
        def work(cur):
            cur.execute(
                f"CREATE TEMP TABLE stage ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cur.copy(f"COPY stage ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM stage")
            conn.commit()

        work.undo = lambda cur: cur.execute(f"DELETE FROM {table} WHERE year = {new_year}")
        return work

    def reimport(table):
        def work(cur):
            cur.execute("CREATE TEMP TABLE keys (person_id bigint) ON COMMIT DROP")
            with cur.copy("COPY keys FROM STDIN") as copy:
                for person in staged_people:
                    copy.write_row((person,))
            cur.execute("ANALYZE keys")
            cur.execute(
                f"SELECT id, person_id, grade, class_name FROM {table}"
                f" WHERE person_id IN (SELECT person_id FROM keys) AND year = {last}"
            )
            found = cur.fetchall()
            changed = found[:10_000]
            cur.execute("CREATE TEMP TABLE changes (id bigint, grade smallint) ON COMMIT DROP")
            with cur.copy("COPY changes FROM STDIN") as copy:
                for pk, _, grade, _ in changed:
                    copy.write_row((pk, grade % 9 + 1))
            cur.execute(
                f"UPDATE {table} AS t SET grade = c.grade FROM changes c"
                f" WHERE t.id = c.id AND t.year = {last}"
            )
            conn.commit()

        return work

    aggregate = (
        "SELECT school_id, grade, count(*), count(*) FILTER (WHERE boarding),"
        " count(*) FILTER (WHERE left_behind), count(*) FILTER (WHERE lunch_needed AND NOT lunch_served)"
        " FROM {table} {where} GROUP BY school_id, grade"
    )

    def query(sql):
        def work(cur):
            cur.execute(sql)
            cur.fetchall()

        return work

    one_person = shift + 4321
    cases = [
        (f"import merge: {IMPORT_ROWS:,} rows into a new year", insert_year),
        (f"re-import look-up of {IMPORT_ROWS:,} + update of 10,000", reimport),
        (
            "one year grouped by school and grade",
            lambda t: query(aggregate.format(table=t, where=f"WHERE year = {last}")),
        ),
        (
            "all years grouped by school and grade",
            lambda t: query(aggregate.format(table=t, where="")),
        ),
        (
            "one pupil across all years",
            lambda t: query(f"SELECT year, school_id FROM {t} WHERE person_id = {one_person}"),
        ),
    ]
    print(f"median of {args.repeat}        plain       partitioned   partitioned/plain")
    for label, make in cases:
        plain = timed(conn, make("enrol_plain"), args.repeat)
        part = timed(conn, make("enrol_part"), args.repeat)
        print(f"  {label:<52} {plain * 1000:8.1f} ms {part * 1000:10.1f} ms   {part / plain:6.2f}x")
    conn.close()


if __name__ == "__main__":
    main()
