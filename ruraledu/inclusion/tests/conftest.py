"""The 残联 list and the roster of school year 2025 (born 2010-09-01 … 2019-08-31 is of
compulsory-school age), by hand."""

import datetime as dt

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.care.choices import ListKind
from ruraledu.care.models import ListEntry
from ruraledu.core.models import SchoolYear
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

YEAR = 2025


@pytest.fixture
def village_a(town_a):
    return OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)


@pytest.fixture
def village_b(town_b):
    return OrgUnitFactory(code="VB", name="乙村", kind=OrgUnitKind.VILLAGE, parent=town_b)


def listed(name, village, born=dt.date(2015, 6, 1), detail="肢体残疾二级", year=YEAR):
    """A child on the year's 残联 list; returns (entry, id number)."""
    number = new_id(born)
    entry = ListEntry(
        name=name,
        sex="1",
        birth_date=born,
        kind=ListKind.DISABLED,
        year=year,
        village=village,
        town=village.parent,
        detail=detail,
    )
    entry.set_id_number(number)
    entry.save()
    return entry, number


def enrol(number, name, school, placement="", disability=True, year=YEAR, grade=3):
    SchoolYear.objects.get_or_create(year=year, defaults={"is_current": True})
    person = StudentPerson.objects.filter(name=name).first()
    if person is None:
        person = StudentPerson(name=name, sex="1", birth_date=dt.date(2015, 6, 1))
        person.set_id_number(number or new_id())
        person.save()
    return Enrolment.objects.create(
        person=person,
        school=school,
        year=year,
        grade=grade,
        disability=disability,
        placement=placement,
    )


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="care_officer", full_name="赵专干")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


@pytest.fixture
def roster(school_a, school_b):
    """Both towns hold registry data for 2025 (indicators need it)."""
    enrol(new_id(), "甲校学生", school_a, disability=False)
    enrol(new_id(), "乙校学生", school_b, disability=False)
