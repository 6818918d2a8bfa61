"""Exporting a whole district's 学生名册 (N rows × the roster's columns) as the export page does:
the rows read (ID numbers decrypted for a user who may see them in full), the .xlsx written,
one personal-data access row logged per child shown in clear.

    .venv/bin/python bench/bench_export_roster.py [--rows 70000] [--runs 3]
        [--postgres postgres://user@host:5432/ruraledu_bench]

The district is loaded through the roster importer (the file bench_import_roster builds). Each
run times the export page end to end (the view, its file read back) and then the same work
stage by stage: rows (query + decrypt + masking), xlsx (the workbook written), access log (one
insert of a row per child). Prints the median of --runs for the total and each stage, then one
school's export from its roster page and the whole export as a background job. With
--postgres it runs on that scratch database instead (created afresh, dropped at the end; its
name must contain "bench").
"""

import argparse
import statistics
import tempfile
import time

from _setup import django_on
from bench_import_roster import build_district, roster, scratch_postgres, timed_import


def clear_log() -> None:
    """Empty the access log (plain SQL), so every run logs into the same table."""
    from django.db import connection, transaction

    from ruraledu.core.models import PersonalDataAccess

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(PersonalDataAccess._meta.db_table)}"
        )


def view_run(user, year: int, school: str = "") -> tuple[float, int]:
    """The export page end to end (one school's, as its page links, when given): (seconds,
    bytes of the file)."""
    from django.test import RequestFactory

    from ruraledu.spreadsheets.views import ExportView

    request = RequestFactory().get(f"/spreadsheets/export/students/?year={year}&school={school}")
    request.user = user
    started = time.perf_counter()
    response = ExportView.as_view()(request, kind="students")
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return time.perf_counter() - started, size


def staged_run(user, year: int) -> tuple[dict[str, float], int]:
    """The view's work one stage at a time: rows, xlsx, access log."""
    from django.db import transaction

    from ruraledu.audit.personal_access import ACCESS_SUBJECT, access_log
    from ruraledu.spreadsheets.export import export_xlsx
    from ruraledu.students.imports import SPEC, StudentImporter

    marks = [time.perf_counter()]
    rows = list(StudentImporter().export_rows(year=year, user=user))
    subjects = [row[ACCESS_SUBJECT] for row in rows if row.get(ACCESS_SUBJECT)]
    marks.append(time.perf_counter())
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        count = export_xlsx(SPEC.columns, rows, stream, SPEC.title)
    marks.append(time.perf_counter())
    with transaction.atomic():
        logged = access_log(user=user, subjects=subjects, purpose="export", address="10.0.0.1")
    marks.append(time.perf_counter())
    assert count == len(rows) == logged, (count, len(rows), logged)
    names = ("rows (query + decrypt)", "xlsx", "access log")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}, count


def measure(args) -> None:
    from django.db import connection

    from ruraledu.accounts.models import User
    from ruraledu.core.models import PersonalDataAccess

    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    _, codes = build_district(40)
    admin = User.objects.create_superuser("bench", password="x")
    started = time.perf_counter()
    _, _, result = timed_import(roster(args.rows, codes), 2024, admin)
    assert result.created == args.rows, result
    print(f"== {name}: {args.rows:,} enrolments loaded in {time.perf_counter() - started:.1f} s ==")

    totals, stages = [], []
    for run in range(args.runs):
        clear_log()
        total, size = view_run(admin, 2024)
        # one row per child plus the export's own row
        assert PersonalDataAccess.objects.filter(purpose="export").count() == args.rows + 1
        clear_log()
        staged, count = staged_run(admin, 2024)
        assert count == args.rows
        totals.append(total)
        stages.append(staged)
        print(
            f"  run {run + 1}: export page {total:.2f} s ({size / 1e6:.1f} MB); "
            + ", ".join(f"{k} {v:.2f} s" for k, v in staged.items())
        )
    median = statistics.median(totals)
    print(f"export page end to end, median of {args.runs}: {median:.2f} s")
    print(f"  = {args.rows / median:,.0f} rows/s")
    print(
        "  stages (median): "
        + ", ".join(f"{k} {statistics.median(s[k] for s in stages):.2f} s" for k in stages[0])
    )
    # one school's export from its roster page, by a user who sees the whole district
    one = statistics.median(view_run(admin, 2024, codes[0])[0] for _ in range(args.runs))
    print(
        f"one school's export ({args.rows // len(codes):,} rows) by the district's admin: {one:.2f} s"
    )
    job = job_run(admin, 2024)
    print(f"the whole export as a background job (file stored): {job:.2f} s")


def job_run(user, year: int) -> float:
    from ruraledu.spreadsheets.exporting import export_job_run
    from ruraledu.spreadsheets.models import ExportJob

    job = ExportJob.objects.create(kind="students", year=year, created_by=user)
    started = time.perf_counter()
    job = export_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    assert job.row_count > 0 and job.file, job.message
    job.file.delete()
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3, help="exports timed (median kept)")
    parser.add_argument("--postgres", help="URL of a scratch PostgreSQL database to run on")
    args = parser.parse_args()
    if not args.postgres:
        django_on()
        measure(args)
        return
    scratch_postgres(args.postgres)
    try:
        django_on(args.postgres)
        measure(args)
        from django.db import connections

        connections.close_all()
    finally:
        scratch_postgres(args.postgres, drop=True)


if __name__ == "__main__":
    main()
