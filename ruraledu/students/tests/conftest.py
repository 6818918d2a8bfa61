"""A user with two roles: the clerk of school A and the inspector of school B, each school with
one pupil (A's 张小明, B's 李小红)."""

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson

YEAR = 2024
A_ID, B_ID = new_id(), new_id()


@pytest.fixture
def two_hats(school_a, school_b):
    for school, name, number in ((school_a, "张小明", A_ID), (school_b, "李小红", B_ID)):
        person = StudentPerson(name=name, sex="1")
        person.set_id_number(number)
        person.save()
        Enrolment.objects.create(
            person=person, school=school, year=YEAR, grade=3, lunch_needed=True
        )
    user = UserFactory(username="two_hats")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CLERK, org_unit=school_a.org_unit)
    RoleAssignmentFactory(user=user, role=Role.INSPECTOR, org_unit=school_b.org_unit)
    return user
