"""A small district: a primary school in town A (with one village), one in town B, three
years of rosters and births."""

import pytest

from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson

from ..models import BirthRecord

YEARS = (2022, 2023, 2024)


def enrol(school, year: int, grade: int, count: int, village=None) -> None:
    people = []
    for _ in range(count):
        person = StudentPerson(name="学生", sex="1", village=village)
        person.set_id_number(new_id())
        people.append(person)
    StudentPerson.objects.bulk_create(people)
    Enrolment.objects.bulk_create(
        Enrolment(person=p, school=school, year=year, grade=grade) for p in people
    )


def staff(school, year: int, count: int) -> None:
    for _ in range(count):
        person = StaffPerson(name="教师", sex="2")
        person.set_id_number(new_id())
        person.save()
        Post.objects.create(person=person, school=school, year=year, degree=Degree.BACHELOR)


@pytest.fixture
def village_a(town_a):
    return OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)


@pytest.fixture
def village_b(town_b):
    return OrgUnitFactory(code="VB", name="乙村", kind=OrgUnitKind.VILLAGE, parent=town_b)


@pytest.fixture
def rosters(school_a, school_b, village_a, village_b):
    """Grade 1 and 2 in both schools; school A shrinks (8 entrants from 20 births)."""
    for year in YEARS:
        enrol(school_a, year, 1, 8, village_a)
        enrol(school_a, year, 2, 8, village_a)
        enrol(school_b, year, 1, 30, village_b)
        enrol(school_b, year, 2, 30, village_b)
    for birth_year in range(2016, 2024):
        BirthRecord.objects.create(village=village_a, birth_year=birth_year, births=20)
        BirthRecord.objects.create(village=village_b, birth_year=birth_year, births=60)
    staff(school_a, 2024, 3)
    staff(school_b, 2024, 2)
