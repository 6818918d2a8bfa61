"""Each district (or city) loads its own plan: the same file twice gives two plans, each with
its own departments; the plan pages show each user their own district's plan."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import Department
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.plans.loader import PlanFileError, load_plan
from ruraledu.plans.models import Plan, Responsibility
from ruraledu.plans.selectors import department_list, plan_get_current, plan_of_unit

from .conftest import PLAN_FILE


@pytest.fixture
def city(db):
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    for code in ("A", "B"):
        OrgUnitFactory(code=code, name=f"{code}区", kind=OrgUnitKind.DISTRICT, parent=city)
    return city


def test_the_same_file_loads_as_each_districts_own_plan(city):
    a, b = city.children.order_by("code")
    load_plan(PLAN_FILE, a)
    call_command("load_plan", str(PLAN_FILE), unit="B")
    assert load_plan(PLAN_FILE, a).changed == 0  # idempotent per district
    plans = {p.org_unit.code: p for p in Plan.objects.select_related("org_unit")}
    assert sorted(plans) == ["A", "B"] and plans["A"].targets.count() == 74
    hr = Department.objects.filter(name="区人力资源社会保障局").order_by("code")
    assert [(d.code, d.org_unit.code) for d in hr] == [
        ("A-human-resources", "A"),
        ("B-human-resources", "B"),
    ]
    # a plan's responsibilities name its own district's departments only
    assert not Responsibility.objects.filter(project__plan=plans["A"], department__org_unit=b)
    assert {d.org_unit_id for d in department_list(plan=plans["B"])} == {b.pk}
    town = OrgUnitFactory(code="A1", name="甲镇", kind=OrgUnitKind.TOWN, parent=a)
    assert plan_of_unit(town) == plans["A"]


def test_each_user_sees_the_plan_of_their_own_district(city):
    a, b = city.children.order_by("code")
    load_plan(PLAN_FILE, a)
    load_plan(PLAN_FILE, b)
    town = OrgUnitFactory(code="B1", name="乙镇", kind=OrgUnitKind.TOWN, parent=b)
    officer = UserFactory(username="b_town")
    RoleAssignmentFactory(user=officer, role=Role.TOWN_OFFICER, org_unit=town)
    assert plan_get_current(officer).org_unit == b
    # a city leader without a city plan: the highest plan below
    leader = UserFactory(username="city")
    RoleAssignmentFactory(user=leader, role=Role.DISTRICT_LEADER, org_unit=city)
    assert plan_get_current(leader).org_unit in (a, b)


def test_only_a_district_city_or_province_has_a_plan(city):
    town = OrgUnitFactory(
        code="A1", name="甲镇", kind=OrgUnitKind.TOWN, parent=city.children.get(code="A")
    )
    with pytest.raises(PlanFileError, match="不是区县、市或省"):
        load_plan(PLAN_FILE, town)
    with pytest.raises(CommandError, match="没有代码为“X”的单位"):
        call_command("load_plan", str(PLAN_FILE), unit="X")
    assert not Plan.objects.exists()
