"""精准资助 at district scale (not a test; prints its figures).

    .venv/bin/python bench/bench_aid.py [--postgres URL]

The demo district's roster of one school year (≈ 69,000 enrolments) and the demo's term of
grants (every qualifying pupil paid the first kind they qualify for, one in forty left out).
Timed: the grant import of the whole term as the bureau uploads it (into an empty store, then
the same file again: nothing changes), the gap counts per school, the three gap lists with
names, and the two aid indicators for every unit.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402

YEAR = 2025


def export_term(year: int) -> tuple[bytes, int]:
    """The term's grants as the 资助 system's export (the import template filled in)."""
    import openpyxl

    from ruraledu.aid.models import AidGrant
    from ruraledu.core import crypto
    from ruraledu.spreadsheets.base import IMPORTERS
    from ruraledu.spreadsheets.xlsx_template import write_template

    spec = IMPORTERS["aid_grants"].spec
    stream = io.BytesIO()
    write_template(spec, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[spec.title]
    grants = AidGrant.objects.filter(year=year).select_related("person", "school__org_unit", "kind")
    grants = list(grants.order_by("pk"))
    for g in grants:
        sheet.append(
            [
                crypto.decrypt(g.person.id_cipher),
                g.person.name,
                g.school.org_unit.code,
                g.kind.name,
                "第一学期（秋季）",
                float(g.amount),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(grants)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-aid-")
    os.environ.setdefault("DATA_KEY_FILE", f"{workdir}/data.key")
    django_on(args.postgres)
    from django.db import connection

    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.models import RoleAssignment, User
    from ruraledu.aid.demo import aid_demo_setup
    from ruraledu.aid.models import AidGrant
    from ruraledu.aid.selectors import gap_counts, gap_rows
    from ruraledu.core.models import SchoolYear
    from ruraledu.demo.generator import runner
    from ruraledu.indicators.engine import REGISTRY, Tree
    from ruraledu.indicators.services import compute_year
    from ruraledu.orgunits.models import OrgUnit, School
    from ruraledu.spreadsheets.services import import_run
    from ruraledu.students.models import Enrolment

    started = time.perf_counter()
    runner.orgunits_load(runner.ORG_FILE)
    runner.demo_generate(scale="district", years=[YEAR], seed=1, progress=lambda *a: None)
    SchoolYear.objects.update_or_create(year=YEAR, defaults={"is_current": True})
    district = OrgUnit.objects.get(parent=None)
    bureau = User.objects.create(username="bench-bureau", full_name="资助中心")
    RoleAssignment.objects.create(user=bureau, role=Role.DISTRICT_ADMIN, org_unit=district)
    school = School.objects.filter(org_unit__name__contains="示例").order_by("pk").first()
    aid_demo_setup(actor=bureau, school=school.org_unit)
    data, rows = export_term(YEAR)
    AidGrant.objects.all().delete()
    print(f"generated in {time.perf_counter() - started:.1f} s (not part of the figures)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    enrolments = Enrolment.objects.filter(year=YEAR).count()
    print(f"database: {connection.vendor}; enrolments {YEAR}: {enrolments:,}; grant rows: {rows:,}")

    for label in ("empty store", "same file again"):
        started = time.perf_counter()
        result = import_run(
            kind="aid_grants", data=data, filename="资助.xlsx", year=YEAR, user=bureau
        )
        seconds = time.perf_counter() - started
        print(
            f"grant import, {label}: {seconds:.2f} s = {rows / seconds:,.0f} rows/s "
            f"(created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,})"
        )
    started = time.perf_counter()
    counts = gap_counts(user=bureau, year=YEAR, semester=1)
    print(f"gap counts per school: {time.perf_counter() - started:.2f} s ({len(counts)} schools)")
    started = time.perf_counter()
    lists = gap_rows(user=bureau, year=YEAR, semester=1)
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in lists.items())
    print(f"gap lists with names, whole district: {time.perf_counter() - started:.2f} s ({sizes})")
    indicators = [REGISTRY[c] for c in ("priority_student_aid_rate", "aid_gap_count")]
    started = time.perf_counter()
    values, _ = compute_year(YEAR, indicators, Tree())
    print(
        f"aid indicators, every unit: {time.perf_counter() - started:.2f} s ({len(values)} values)"
    )


if __name__ == "__main__":
    main()
