"""Runs and the staffing standard stored before they belonged to a district go to the
install's district: its only one, or on a city the plan district; with several and none named
the upgrade stops and says why."""

import pytest

from ruraledu.core.tests.migrating import migrate
from ruraledu.forecast.models import ForecastRun, StaffingRule

BEFORE = [("forecast", "0002_run_status_subject_hours")]


def _stored(districts, rules=1):
    """The given districts (under 淄博市 when more than one), one run and `rules` standards
    (the install read the first) as stored before."""
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
    old.get_model("forecast", "ForecastRun").objects.create(base_year=2024, horizon=5)
    Rule = old.get_model("forecast", "StaffingRule")
    for n in range(rules):
        Rule.objects.create(small_school_pupils=80 + n)


@pytest.mark.django_db(transaction=True)
def test_a_single_district_install_keeps_its_run_and_standard_as_its_districts(settings):
    settings.PLAN_DISTRICT_CODE = "370302"  # the default names another district
    _stored([("370304", "博山区")], rules=2)
    migrate()
    assert ForecastRun.objects.get().unit.code == "370304"
    # the standard the pages read (the first) is the district's; the unread one is dropped
    rule = StaffingRule.objects.get()
    assert (rule.unit.code, rule.small_school_pupils) == ("370304", 80)


@pytest.mark.django_db(transaction=True)
def test_on_a_city_the_plan_district_takes_them_or_the_upgrade_says_why(settings):
    settings.PLAN_DISTRICT_CODE = "370399"
    _stored([("370302", "淄川区"), ("370303", "张店区")])
    with pytest.raises(RuntimeError, match="PLAN_DISTRICT_CODE"):
        migrate()
    settings.PLAN_DISTRICT_CODE = "370303"
    migrate()  # nothing was half-done: it runs again once told
    assert ForecastRun.objects.get().unit.code == "370303"
    assert StaffingRule.objects.get().unit.code == "370303"


@pytest.mark.django_db(transaction=True)
def test_an_install_without_runs_or_standard_upgrades_without_a_district(settings):
    settings.PLAN_DISTRICT_CODE = "370399"
    old = migrate(BEFORE)
    OrgUnit = old.get_model("orgunits", "OrgUnit")
    city = OrgUnit.objects.create(code="3703", name="淄博市", kind="city", path="3703/")
    for code in ("370302", "370303"):
        OrgUnit.objects.create(
            code=code, name=code, kind="district", parent=city, path=f"3703/{code}/"
        )
    migrate()
    assert not ForecastRun.objects.exists() and not StaffingRule.objects.exists()
