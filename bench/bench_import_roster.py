"""Importing a 100,000-row student roster (.xlsx) end to end — read, validate, write, audit — on
SQLite, against a plain row-by-row ORM import of the same file, and on PostgreSQL (rows through
COPY into a staging table, merged from there). Goals: SQLite ≥ 20,000 rows/s and ≥ 10× the plain
import; PostgreSQL ≥ 30,000 rows/s.

    .venv/bin/python bench/bench_import_roster.py [--rows 100000] [--runs 5] [--skip-plain]
        [--postgres postgres://user@host:5432/ruraledu_bench]

Prints each fresh import, the median, its time by stage, a re-import of the same file, one
fresh import as an upload job runs it (the file parsed in a sandboxed child process, which sends
the parsed columns back) and the plain import with the speed-up. With --postgres the same runs follow on PostgreSQL (the
named database is a scratch one: created afresh, dropped at the end; its name must contain
"bench") and both medians are printed side by side.
"""

import argparse
import datetime as dt
import io
import json
import random
import subprocess
import sys
import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from _setup import django_on


def build_district(schools: int):
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.models import OrgUnit, School

    district = OrgUnit.objects.create(code="B", name="测速区", kind=OrgUnitKind.DISTRICT)
    town = OrgUnit.objects.create(code="BT", name="测速镇", kind=OrgUnitKind.TOWN, parent=district)
    codes = []
    for i in range(schools):
        unit = OrgUnit.objects.create(
            code=f"BS{i:03d}", name=f"测速小学{i}", kind=OrgUnitKind.SCHOOL, parent=town
        )
        School.objects.create(
            org_unit=unit, stage="211", ownership="public", urban_rural_code="220"
        )
        codes.append(unit.code)
    return district, codes


def roster(rows: int, codes: list[str]) -> bytes:
    import xlsxwriter

    from ruraledu.core.idnumbers import make_resident_id
    from ruraledu.students.imports import SPEC

    rng = random.Random(7)
    labels = {c.key: dict(c.choices) for c in SPEC.columns if c.kind == "choice"}
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"strings_to_numbers": False})
    sheet = book.add_worksheet(SPEC.title)
    for col, column in enumerate(SPEC.columns):
        sheet.write_string(0, col, column.header)
    for r in range(rows):
        birth = dt.date(2013, 1, 1) + dt.timedelta(
            days=r // 1000
        )  # (birth, sequence) unique per row
        values = {
            "id_number": make_resident_id("370302", birth, r),
            "name": f"学生{r}",
            "sex": labels["sex"][rng.choice("12")],
            "school": rng.choice(codes),
            "grade": rng.randint(1, 6),
            "class_name": f"{rng.randint(1, 4)}班",
            "boarding": rng.random() < 0.1,
            "distance_km": round(rng.random() * 8, 1),
            "transport": labels["transport"][rng.choice(["none", "school_bus", "family"])],
            "lunch_needed": True,
            "lunch_served": rng.random() < 0.9,
            "left_behind": rng.random() < 0.08,
        }
        for col, column in enumerate(SPEC.columns):
            value = values.get(column.key)
            if value is None:
                continue
            if column.kind == "bool":
                sheet.write_string(r + 1, col, "是" if value else "否")
            elif isinstance(value, (int, float)):
                sheet.write_number(r + 1, col, value)
            else:
                sheet.write_string(r + 1, col, value)
    book.close()
    return stream.getvalue()


def orm_import(data: bytes, year: int) -> None:
    """The plain way: openpyxl reads the rows, each person and enrolment is validated with
    full_clean() and written with save(), all in one transaction."""
    import openpyxl
    from django.db import transaction

    from ruraledu.orgunits.models import School
    from ruraledu.students.imports import SPEC
    from ruraledu.students.models import Enrolment, StudentPerson

    schools = {s.org_unit.code: s for s in School.objects.select_related("org_unit")}
    labels = {
        c.header: {label: value for value, label in c.choices}
        for c in SPEC.columns
        if c.kind == "choice"
    }
    keys = {c.header: c.key for c in SPEC.columns}
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows)
    with transaction.atomic():
        for cells in rows:
            v = {}
            for header, cell in zip(headers, cells, strict=False):
                if cell is not None:
                    v[keys[header]] = labels.get(header, {}).get(cell, cell)
            person = StudentPerson(name=v["name"], sex=v["sex"], birth_date=dt.date(2015, 1, 1))
            person.set_id_number("G" + v["id_number"])  # apart from the bulk run's people
            person.full_clean()
            person.save()
            enrolment = Enrolment(
                person=person,
                school=schools[v["school"]],
                year=year,
                grade=int(v["grade"]),
                class_name=v.get("class_name") or "",
                distance_km=Decimal(str(v["distance_km"])) if "distance_km" in v else None,
                transport=v.get("transport") or "none",
                boarding=v.get("boarding") == "是",
                lunch_needed=v.get("lunch_needed") == "是",
                lunch_served=v.get("lunch_served") == "是",
                left_behind=v.get("left_behind") == "是",
            )
            enrolment.full_clean()
            enrolment.save()


def clear_import() -> None:
    """Empty the tables an import writes (plain SQL: the ORM's delete of 200,000 rows would
    take longer than the import) and compact the file, so the next run starts like the first."""
    from django.db import connection, transaction

    from ruraledu.students.models import Enrolment, StudentPerson

    tables = [model._meta.db_table for model in (Enrolment, StudentPerson)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # empty files, as before the first run
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # give back the freed pages: the file is as before


def timed_import(
    data: bytes, year: int, user, isolate: bool = False
) -> tuple[float, dict[str, float], object]:
    """One import end to end; also the time spent in each stage (from the progress calls).
    `isolate`: as an upload job runs it, the file parsed in a sandboxed child."""
    from ruraledu.spreadsheets.services import import_run

    marks = [("start", time.perf_counter())]
    result = import_run(
        kind="students",
        data=data,
        filename="roster.xlsx",
        year=year,
        user=user,
        progress=lambda percent, label: marks.append((percent, time.perf_counter())),
        isolate=isolate,
    )
    marks.append(("end", time.perf_counter()))
    at = dict(marks)
    # progress: 5 checking, 15 reading, 40 validating, 60 writing
    stages = {
        "upload check": at[15] - at[5],
        "read + parse cells": at[40] - at[15],
        "validate": at[60] - at[40],
        "write + commit": at["end"] - at[60],
    }
    return at["end"] - at["start"], stages, result


def measure(args) -> dict:
    """The runs on the database Django was pointed at; prints them, returns the figures."""
    from django.db import connection

    from ruraledu.accounts.models import User
    from ruraledu.students.models import Enrolment

    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    print(f"== {name} ==")
    _, codes = build_district(40)
    admin = User.objects.create_superuser("bench", password="x")
    data = roster(args.rows, codes)
    print(f"roster: {args.rows} rows, {len(data) / 1e6:.1f} MB")

    runs = []
    for run in range(args.runs):
        if run:
            clear_import()
        elapsed, stages, result = timed_import(data, 2024, admin)
        assert result.created == args.rows, result
        runs.append((elapsed, stages))
        print(f"  fresh import {run + 1}: {elapsed:.2f} s = {args.rows / elapsed:,.0f} rows/s")
    fast, stages = sorted(runs)[len(runs) // 2]
    print(f"bulk import (read+validate+write+audit), median of {len(runs)}: {fast:.2f} s")
    print(f"  = {args.rows / fast:,.0f} rows/s")
    print("  stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))

    again, _, result = timed_import(data, 2024, admin)
    print(f"re-import, nothing changed ({result.unchanged} unchanged): {again:.2f} s")
    assert result.unchanged == args.rows and not result.created and not result.updated
    clear_import()
    job, _, result = timed_import(data, 2024, admin, isolate=True)
    assert result.created == args.rows, result
    print(
        f"as an upload job (parsed in a sandboxed child, columns sent back): {job:.2f} s "
        f"= {args.rows / job:,.0f} rows/s"
    )
    assert Enrolment.objects.filter(year=2024).count() == args.rows
    figures = {"database": name, "median": fast, "again": again, "job": job, "stages": stages}
    if args.skip_plain:
        return figures

    started = time.perf_counter()
    orm_import(data, 2023)
    slow = time.perf_counter() - started
    print(
        f"plain row-by-row import (openpyxl, full_clean + save per row): {slow:.2f} s = {args.rows / slow:,.0f} rows/s"
    )
    print(f"speed-up: {slow / fast:.1f}x  (goal >= 10x; bulk goal >= 20,000 rows/s)")
    return figures


def scratch_postgres(url: str, drop: bool = False) -> None:
    """Create the scratch database afresh (or drop it): its name must say it is a bench's."""
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


def child(args, database_url: str | None, skip_plain: bool) -> dict:
    """One database's runs in a process of its own (Django binds one database per process)."""
    command = [sys.executable, __file__, "--rows", str(args.rows), "--runs", str(args.runs)]
    command += ["--database-url", database_url or "sqlite"]
    if skip_plain:
        command.append("--skip-plain")
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    *lines, last = done.stdout.rstrip("\n").split("\n")
    print("\n".join(lines), flush=True)
    return json.loads(last)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="fresh imports timed (median kept)")
    parser.add_argument("--skip-plain", action="store_true", help="skip the slow ORM import")
    parser.add_argument("--postgres", help="URL of a scratch PostgreSQL database to run on too")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # a child's database
    args = parser.parse_args()
    if args.database_url or not args.postgres:
        django_on(None if args.database_url == "sqlite" else args.database_url)
        figures = measure(args)
        if args.database_url:
            print(json.dumps(figures))
        return
    sqlite = child(args, None, args.skip_plain)
    scratch_postgres(args.postgres)
    try:
        postgres = child(args, args.postgres, True)  # the plain import is SQLite's yardstick
    finally:
        scratch_postgres(args.postgres, drop=True)
    print(f"== {args.rows:,} rows, median of {args.runs} fresh imports ==")
    for figures in (sqlite, postgres):
        print(
            f"  {figures['database']:<10} {figures['median']:.2f} s = "
            f"{args.rows / figures['median']:>7,.0f} rows/s   re-import unchanged {figures['again']:.2f} s"
            f"   as an upload job {figures['job']:.2f} s"
        )
    print(
        f"  PostgreSQL / SQLite: {sqlite['median'] / postgres['median']:.2f}x  "
        "(goals: PostgreSQL >= 30,000 rows/s, SQLite >= 20,000 rows/s)"
    )


if __name__ == "__main__":
    main()
