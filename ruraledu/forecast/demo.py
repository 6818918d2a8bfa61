"""Demo: a births-by-village list built from the demo rosters (a few children of each year
born elsewhere or schooled outside the district), imported as the bureau would import the
file, and one forecast run of the actor's first district. Deterministic; adds nothing the
second time."""

import io
import random
from collections import defaultdict

import openpyxl
from django.db.models import Count, F

from ruraledu.accounts.choices import Action
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.districts import districts_covered
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.base import IMPORTERS
from ruraledu.spreadsheets.services import import_run
from ruraledu.spreadsheets.xlsx_template import write_template
from ruraledu.students.models import Enrolment

from .engine import ENTRY_AGE
from .models import BirthRecord, ForecastRun
from .services import forecast_run_create

DECLINE = 0.94  # births fall year on year, as across rural Shandong


def demo_births() -> list[dict]:
    """Rows of the births list: village code, birth year, births."""
    entrants = defaultdict(int)
    for village, year, n in (
        Enrolment.objects.filter(grade=1, person__village__isnull=False)
        .values(v=F("person__village__code"), y=F("year"))
        .annotate(n=Count("id"))
        .values_list("v", "y", "n")
    ):
        entrants[(village, year - ENTRY_AGE)] += n
    years = sorted({y for _, y in entrants})
    if not years:
        return []
    last = years[-1] + ENTRY_AGE - 1  # children born up to the year before the latest roster
    codes = OrgUnit.objects.filter(kind=OrgUnitKind.VILLAGE).values_list("code", flat=True)
    rows = []
    for code in sorted(codes):
        rng = random.Random(f"births-{code}")
        known = [(y, entrants[(code, y)]) for y in years if (code, y) in entrants]
        if not known:
            continue
        level = known[-1][1]
        for year in range(years[0], last + 1):
            if (code, year) in entrants:
                births = entrants[(code, year)] * rng.uniform(1.02, 1.12)
            else:
                level *= DECLINE
                births = level * rng.uniform(0.9, 1.1) * 1.07
            rows.append({"village": code, "birth_year": year, "births": round(births)})
    return rows


def births_file(rows: list[dict]) -> bytes:
    spec = IMPORTERS["births"].spec
    stream = io.BytesIO()
    write_template(spec, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[spec.title]
    keys = [c.key for c in spec.columns]
    for offset, row in enumerate(rows):
        for key, value in row.items():
            sheet.cell(row=3 + offset, column=keys.index(key) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def forecast_demo_setup(*, actor) -> None:
    if not BirthRecord.objects.exists():
        rows = demo_births()
        if rows:
            year = Enrolment.objects.order_by("-year").values_list("year", flat=True).first()
            import_run(
                kind="births",
                data=births_file(rows),
                filename="村居出生人口.xlsx",
                year=year,
                user=actor,
            )
    unit = districts_covered(actor, Action.REVIEW)[0]
    if not ForecastRun.objects.filter(unit=unit).exists() and Enrolment.objects.exists():
        forecast_run_create(actor=actor, unit=unit)


def forecast_demo_wipe() -> None:
    """Before the generator replaces the demo villages and schools: their births and runs."""
    ForecastRun.objects.all().delete()  # derived data; recomputed by the setup
    BirthRecord.objects.filter(village__name__contains="示例").delete()
