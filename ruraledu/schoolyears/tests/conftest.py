"""The school-years tests' people: last year current, with 挂牌 inspectors and a researcher
whose assignments and roles the next year's start ends or keeps."""

import pytest
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.activities.models import SchoolLink
from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import school_year_bounds, school_year_of
from ruraledu.spreadsheets.testing import new_id
from ruraledu.supervision import services
from ruraledu.workforce.models import StaffPerson

NEW = school_year_of(timezone.localdate())  # the year the bureau starts
LAST = NEW - 1


def assign(admin, school, name, year, user=None):
    """`user` (or a new one called `name`) made the school's 挂牌 inspector for `year`."""
    user = user or UserFactory(username=f"u{year}{school.pk}", full_name=name)
    services.inspector_assign(
        actor=admin,
        school=school,
        inspector=user,
        year=year,
        started_on=school_year_bounds(year)[0],
    )
    return user


@pytest.fixture
def year_with_people(district_admin, school_a, school_b):
    """Last year current. School A's inspector has only last year's assignment; school B's
    has next year's too. A researcher linked to A last year (the link rolls forward) and,
    two years ago only, to B."""
    SchoolYear.objects.create(year=LAST, is_current=True)
    li = assign(district_admin, school_a, "李督学", LAST)
    zhou = assign(district_admin, school_b, "周督学", LAST)
    assign(district_admin, school_b, "周督学", NEW, user=zhou)
    person = StaffPerson(name="王教研", sex="1")
    person.set_id_number(new_id())
    person.save()
    wang = UserFactory(username="wang", full_name="王教研")
    services.staff_account_link(actor=district_admin, user=wang, person=person)
    services.school_link_assign(actor=district_admin, researcher=wang, school=school_a, year=LAST)
    SchoolLink.objects.create(person=person, school=school_b, year=LAST - 1)
    RoleAssignment.objects.create(user=wang, role=Role.RESEARCHER, org_unit=school_b.org_unit)
    return li, zhou, wang
