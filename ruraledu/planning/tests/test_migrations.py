"""Scenarios stored before they belonged to a district go to the install's district: its only
one, or on a city the plan district; with several and none named the upgrade stops and says why."""

import pytest

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.core.tests.migrating import migrate
from ruraledu.planning.models import Scenario

BEFORE = [("planning", "0004_schoollocation")]


def _one_scenario(districts):
    """The given districts (under 淄博市 when more than one) and one scenario of the install."""
    old = migrate(BEFORE)
    OrgUnit = old.get_model("orgunits", "OrgUnit")
    parent, prefix = None, ""
    if len(districts) > 1:
        parent = OrgUnit.objects.create(code="3703", name="淄博市", kind="city", path="3703/")
        prefix = "3703/"
    for code, name in districts:
        OrgUnit.objects.create(
            code=code, name=name, kind="district", parent=parent, path=f"{prefix}{code}/"
        )
    user = UserFactory(username="planner")  # the accounts tables are today's
    old.get_model("planning", "Scenario").objects.create(
        name="原有方案", year=2025, inputs={}, created_by_id=user.pk
    )


@pytest.mark.django_db(transaction=True)
def test_a_single_district_install_keeps_its_scenarios_as_its_districts(settings):
    settings.PLAN_DISTRICT_CODE = "370302"  # the default names another district
    _one_scenario([("370304", "博山区")])
    migrate()
    assert Scenario.objects.get().unit.code == "370304"


@pytest.mark.django_db(transaction=True)
def test_on_a_city_the_plan_district_takes_them_or_the_upgrade_says_why(settings):
    settings.PLAN_DISTRICT_CODE = "370399"
    _one_scenario([("370302", "淄川区"), ("370303", "张店区")])
    with pytest.raises(RuntimeError, match="PLAN_DISTRICT_CODE"):
        migrate()
    settings.PLAN_DISTRICT_CODE = "370303"
    migrate()  # nothing was half-done: it runs again once told
    assert Scenario.objects.get().unit.code == "370303"
