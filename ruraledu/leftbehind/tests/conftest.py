"""Care-list personas beside the shared ones: the school's care officer, children on the care
list and teachers of school A, made for a school year."""

import datetime as dt

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson


def make_child(school, name: str, year: int, **flags) -> Enrolment:
    SchoolYear.objects.get_or_create(year=year)
    person = StudentPerson(name=name, sex="1", birth_date=dt.date(2015, 5, 1))
    person.set_id_number(new_id())
    person.save()
    return Enrolment.objects.create(person=person, school=school, year=year, grade=4, **flags)


def make_teacher(school, name: str, year: int) -> StaffPerson:
    person = StaffPerson(name=name, sex="2", birth_date=dt.date(1988, 3, 1))
    person.set_id_number(new_id(dt.date(1988, 3, 1)))
    person.save()
    Post.objects.create(person=person, school=school, year=year, degree=Degree.BACHELOR)
    return person


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="care_officer", full_name="赵专干")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


@pytest.fixture
def inspector(school_a):
    user = UserFactory(username="inspector")
    RoleAssignmentFactory(user=user, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    return user
