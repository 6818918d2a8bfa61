"""Shared personas (district admin, town officer, school clerk, outsider, department reporter)."""

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import DepartmentFactory, OrgUnitFactory, SchoolFactory


@pytest.fixture
def district(db):
    return OrgUnitFactory(code="D", name="示例区", kind=OrgUnitKind.DISTRICT, parent=None)


@pytest.fixture
def town_a(district):
    return OrgUnitFactory(code="TA", name="甲镇", kind=OrgUnitKind.TOWN, parent=district)


@pytest.fixture
def town_b(district):
    return OrgUnitFactory(code="TB", name="乙镇", kind=OrgUnitKind.TOWN, parent=district)


@pytest.fixture
def school_a(town_a):
    return SchoolFactory(
        org_unit__code="SA", org_unit__name="甲镇中心小学", org_unit__parent=town_a
    )


@pytest.fixture
def school_b(town_b):
    return SchoolFactory(
        org_unit__code="SB", org_unit__name="乙镇中心小学", org_unit__parent=town_b
    )


@pytest.fixture
def department(db):
    return DepartmentFactory(code="health", name="区卫生健康局", aliases=["区卫健局"])


def _persona(username, role, **where):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, **where)
    return user


@pytest.fixture
def district_admin(district):
    return _persona("district_admin", Role.DISTRICT_ADMIN, org_unit=district)


@pytest.fixture
def district_leader(district):
    return _persona("district_leader", Role.DISTRICT_LEADER, org_unit=district)


@pytest.fixture
def town_officer(town_a):
    return _persona("town_officer", Role.TOWN_OFFICER, org_unit=town_a)


@pytest.fixture
def school_clerk(school_a):
    return _persona("school_clerk", Role.SCHOOL_CLERK, org_unit=school_a.org_unit)


@pytest.fixture
def outsider(school_b):
    return _persona("outsider", Role.SCHOOL_CLERK, org_unit=school_b.org_unit)


@pytest.fixture
def department_reporter(department):
    return _persona("department_reporter", Role.DEPARTMENT_REPORTER, department=department)


def pytest_collection_finish(session):
    # An empty run must fail loudly, never pass as "nothing broke".
    if not session.items:
        raise pytest.UsageError("没有收集到任何测试：空的测试运行视为失败。")
