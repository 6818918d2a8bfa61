"""Builders for the hand-made data of test_people_quality_special.py.

Every record is created explicitly by the test that needs it, so that the expected numbers can be
worked out by hand from what the test itself shows.
"""

import datetime as dt
import itertools

import pytest

from ruraledu.core.idnumbers import make_resident_id
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.engine import REGISTRY, Tree, YearContext
from ruraledu.indicators.services import compute_year
from ruraledu.orgunits.choices import CampusType, OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.models import School
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson

YEAR = 2024

# Students are made in bulk, so their ID numbers come from a counter of our own: new_id() wraps
# its sequence at 1000 for one birth date, and one test here enrols 1 000 pupils.
_pupil_numbers = itertools.count()


def _pupil_id() -> str:
    n = next(_pupil_numbers)
    return make_resident_id("370304", dt.date(2012, 1, 1) + dt.timedelta(days=n // 1000), n % 1000)


def school(
    parent,
    code: str,
    *,
    stage: str = SchoolStage.PRIMARY,
    urban_rural: str = "220",
    ownership: str = Ownership.PUBLIC,
    town_seat: bool = False,
):
    """A school (legal entity) under a town."""
    return SchoolFactory(
        org_unit__code=code,
        org_unit__name=code,
        org_unit__parent=parent,
        stage=stage,
        urban_rural_code=urban_rural,
        ownership=ownership,
        is_town_seat=town_seat,
    )


def campus(parent_school, code: str, *, stage: str = SchoolStage.TEACHING_POINT):
    """A teaching-point campus (教学点) of a school."""
    return SchoolFactory(
        org_unit__code=code,
        org_unit__name=code,
        org_unit__kind=OrgUnitKind.CAMPUS,
        org_unit__parent=parent_school.org_unit,
        stage=stage,
        urban_rural_code=parent_school.urban_rural_code,
        campus_type=CampusType.TEACHING_POINT,
    )


def school_of(code: str) -> School:
    return School.objects.get(org_unit__code=code)


def town(parent, code: str, kind: str = OrgUnitKind.TOWN):
    return OrgUnitFactory(code=code, name=code, kind=kind, parent=parent)


def pupils(at, n: int = 1, *, year: int = YEAR, grade: int = 1, **flags) -> list[Enrolment]:
    """`n` new students enrolled at school `at` in `year`, all with the same flags."""
    people = [StudentPerson(name=f"{at.org_unit.code}-{i}", sex="1") for i in range(n)]
    for person in people:
        person.set_id_number(_pupil_id())
    people = StudentPerson.objects.bulk_create(people)
    return Enrolment.objects.bulk_create(
        Enrolment(person=p, school=at, year=year, grade=grade, **flags) for p in people
    )


def enrol(person: StudentPerson, at, *, year: int = YEAR, grade: int = 1, **flags) -> Enrolment:
    return Enrolment.objects.create(person=person, school=at, year=year, grade=grade, **flags)


def staff(birth: dt.date | None = dt.date(1985, 3, 3), name: str = "教师") -> StaffPerson:
    """A staff member; `birth=None` for one whose birth date is not on file."""
    person = StaffPerson(name=name, sex="2", birth_date=birth)
    person.set_id_number(new_id(birth) if birth else new_id(dt.date(1970, 1, 1)))
    person.save()
    return person


def post(person: StaffPerson, at, *, year: int = YEAR, **fields) -> Post:
    """A post; by default a full-time, established teacher with a bachelor's degree."""
    values = {"degree": Degree.BACHELOR}
    values.update(fields)
    return Post.objects.create(person=person, school=at, year=year, **values)


def teacher(at, *, year: int = YEAR, birth: dt.date | None = dt.date(1985, 3, 3), **fields) -> Post:
    """A new person holding one post."""
    return post(staff(birth), at, year=year, **fields)


def facility(at, *, year: int = YEAR, **fields) -> FacilityRecord:
    return FacilityRecord.objects.create(school=at, year=year, **fields)


def compute(*codes: str, year: int = YEAR) -> dict:
    return compute_year(year, [REGISTRY[c] for c in codes], Tree())[0]


def raw(code: str, year: int = YEAR) -> dict:
    """unit id -> (value, numerator, denominator, details) straight from the indicator, before
    the 9-place rounding of compute_year, for comparisons at rel=1e-9."""
    indicator = REGISTRY[code]
    return indicator.values(YearContext(year, [indicator], Tree()))


def at(rows: dict, code: str, unit) -> tuple:
    """(value, numerator, denominator) of `code` at `unit`: an OrgUnit, or a School (whose
    primary key is its org unit's)."""
    return rows[(code, unit.pk)][:3]


def details(rows: dict, code: str, unit) -> dict:
    return rows[(code, unit.pk)][3]


def absent(rows: dict, code: str, unit) -> bool:
    return (code, unit.pk) not in rows


def _same(got, want) -> bool:
    if want is None or got is None:
        return got is want
    # compute_year rounds to 9 decimal places, hence the absolute tolerance
    return got == pytest.approx(want, rel=1e-9, abs=1e-9)


def check(rows: dict, code: str, unit, value, numerator, denominator) -> None:
    """`code` at `unit` is (value, numerator, denominator); None means no value (0/0)."""
    got = at(rows, code, unit)
    want = (value, numerator, denominator)
    assert all(_same(g, w) for g, w in zip(got, want, strict=True)), (
        f"{code} at {unit}: got {got}, expected {want}"
    )
