"""A hotline notice reaches the robots of the unit or department handling the complaint (and
of the units above it), not those of another unit where a recipient holds a role too."""

import datetime as dt

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory
from ruraledu.channels.choices import ChannelKind
from ruraledu.channels.models import ChannelDelivery, WebhookChannel

from .. import services
from .conftest import assign


def _robot(name, **owner):
    WebhookChannel.objects.create(
        name=name, kind=ChannelKind.WECOM, url="https://robot.example/send", **owner
    )


def _reached():
    return set(ChannelDelivery.objects.values_list("channel__name", flat=True))


def test_a_schools_complaint_stays_out_of_another_schools_robot(
    complaint,
    district_admin,
    district,
    school_clerk,
    school_a,
    school_b,
    django_capture_on_commit_callbacks,
):
    # given the clerk also holds a role at school B, and every unit has its robot
    RoleAssignmentFactory(user=school_clerk, role=Role.SCHOOL_CLERK, org_unit=school_b.org_unit)
    for unit in (district, school_a.org_unit, school_b.org_unit):
        _robot(unit.code, org_unit=unit)
    # when the complaint about school A is assigned to it, then overdue
    with django_capture_on_commit_callbacks(execute=True):
        assign(complaint, district_admin, unit=school_a.org_unit)
    services.complaints_remind(today=dt.date(2025, 10, 21))
    # then school B's robot hears of neither; the bureau's hears of the overdue one
    assert _reached() == {"SA", "D"}


def test_a_departments_complaint_goes_to_the_departments_robot(
    complaint,
    district_admin,
    department,
    department_reporter,
    school_b,
    django_capture_on_commit_callbacks,
):
    RoleAssignmentFactory(
        user=department_reporter, role=Role.SCHOOL_CLERK, org_unit=school_b.org_unit
    )
    _robot("dept", department=department)
    _robot("SB", org_unit=school_b.org_unit)
    with django_capture_on_commit_callbacks(execute=True):
        assign(complaint, district_admin, department=department)
    assert _reached() == {"dept"}
