"""Aid personas and builders beside the shared ones: the school's 资助 officer, pupils with
care flags, grants, and a workbook of the 资助 system's export."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.spreadsheets.base import IMPORTERS
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.xlsx_template import write_template
from ruraledu.students.models import Enrolment, StudentPerson

from ..models import AidGrant, AidKind
from ..rules import rules_seed

YEAR = 2025


@pytest.fixture(autouse=True)
def _rules(db):
    """The plan's default rules, as the migration seeds them (a browser test's flush drops
    them)."""
    rules_seed()
    SchoolYear.objects.get_or_create(year=YEAR, defaults={"is_current": True})


def enrol(school, name: str, *, grade: int = 3, year: int = YEAR, **flags) -> StudentPerson:
    """A new pupil enrolled at `school` in `year`; the clear ID number is kept on `.number`."""
    number = new_id(dt.date(2015, 6, 1) if grade <= 9 else dt.date(2009, 3, 1))
    person = StudentPerson(name=name, sex="1", birth_date=dt.date(2015, 6, 1))
    person.set_id_number(number)
    person.save()
    Enrolment.objects.create(person=person, school=school, year=year, grade=grade, **flags)
    person.number = number
    return person


def grant(
    person, school, kind: str = "living", *, semester: int = 1, year: int = YEAR, amount="500"
):
    return AidGrant.objects.create(
        person=person,
        school=school,
        unit=school.org_unit,
        year=year,
        semester=semester,
        kind=AidKind.objects.get(code=kind),
        amount=Decimal(amount),
    )


def workbook(*rows: dict) -> bytes:
    """The import template with `rows` from row 3, filled in by column key."""
    spec = IMPORTERS["aid_grants"].spec
    stream = io.BytesIO()
    write_template(spec, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[spec.title]
    for number, row in enumerate(rows, start=3):
        for index, col in enumerate(spec.columns, start=1):
            if col.key in row:
                sheet.cell(row=number, column=index, value=row[col.key])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="aid_officer", full_name="钱专干")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user
