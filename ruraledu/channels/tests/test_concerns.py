"""A notice reaches only the robots of the unit (or department) it is about and of the units
above it, never those of another unit where a recipient also holds a role."""

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.channels.choices import ChannelKind
from ruraledu.channels.models import ChannelDelivery, WebhookChannel
from ruraledu.channels.services import DISTRICT_WIDE, deliveries_queue


def _robot(name, **owner):
    return WebhookChannel.objects.create(
        name=name, kind=ChannelKind.WECOM, url="https://robot.example/send", **owner
    )


def _queue(user, concerns):
    return deliveries_queue(
        user_ids=[user.pk], concerns=concerns, title="整改期限将到", url="/x/", dedupe_key="k"
    )


def _reached():
    return set(ChannelDelivery.objects.values_list("channel__name", flat=True))


@pytest.fixture
def everywhere(district, town_a, town_b, school_a, school_b, department):
    """A user holding a role on every unit and the department, each with its robot."""
    user = UserFactory(username="many_hats")
    for unit, role in (
        (district, Role.DISTRICT_LEADER),
        (town_a, Role.TOWN_OFFICER),
        (town_b, Role.TOWN_OFFICER),
        (school_a.org_unit, Role.SCHOOL_CLERK),
        (school_b.org_unit, Role.SCHOOL_CLERK),
    ):
        RoleAssignmentFactory(user=user, role=role, org_unit=unit)
        _robot(unit.code, org_unit=unit)
    RoleAssignmentFactory(user=user, role=Role.DEPARTMENT_REPORTER, department=department)
    _robot("dept", department=department)
    return user


def test_a_school_notice_reaches_the_school_and_the_units_above_it_only(everywhere, school_a):
    assert _queue(everywhere, school_a.org_unit) == 3
    assert _reached() == {"SA", "TA", "D"}


def test_a_town_notice_never_reaches_its_schools_or_another_town(everywhere, town_b):
    _queue(everywhere, town_b)
    assert _reached() == {"TB", "D"}


def test_a_department_notice_reaches_the_department_and_its_bureau(everywhere, department):
    _queue(everywhere, department)
    assert _reached() == {"dept", "D"}


def test_a_department_owned_by_a_district_reaches_that_district_not_another(city, district_b):
    from ruraledu.orgunits.tests.factories import DepartmentFactory

    owned = DepartmentFactory(code="B-health", name="B区卫健局", org_unit=district_b)
    user = UserFactory(username="two_districts")
    for unit in city.children.all():
        RoleAssignmentFactory(user=user, role=Role.DISTRICT_LEADER, org_unit=unit)
        _robot(unit.code, org_unit=unit)
    RoleAssignmentFactory(user=user, role=Role.DEPARTMENT_REPORTER, department=owned)
    _robot("dept", department=owned)
    _queue(user, owned)
    assert _reached() == {"dept", "B"}


def test_a_district_wide_notice_reaches_every_unit_of_its_recipients(everywhere):
    assert _queue(everywhere, DISTRICT_WIDE) == 6


def test_a_notice_about_nothing_named_is_refused(everywhere):
    with pytest.raises(TypeError):
        _queue(everywhere, None)
