"""On an install serving many districts the plan endpoints answer with the caller's own
district's plan, as the plan pages do, never the install's first plan."""

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.plans.models import Target
from ruraledu.plans.testing import load_district_plan

from .conftest import token_client


@pytest.fixture
def two_plans(db, tmp_path):
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    districts = {}
    for code in ("a", "b"):
        unit = OrgUnitFactory(
            code=code.upper(), name=f"{code.upper()}区", kind=OrgUnitKind.DISTRICT, parent=city
        )
        load_district_plan(tmp_path, unit, code, f"{code}-T1")
        districts[code] = unit
    return districts


@pytest.mark.parametrize("district", ["a", "b"])
def test_each_district_reads_its_own_plan_targets(two_plans, district):
    user = UserFactory(username=f"{district}_admin")
    RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, org_unit=two_plans[district])
    client = token_client(user, can_write=False)
    targets = client.get("/api/v1/plan/targets/").json()["results"]
    assert [t["code"] for t in targets] == [f"{district}-T1"]
    sections = client.get("/api/v1/plan/sections/").json()["results"]
    assert len(sections) == 1
    assert Target.objects.count() == 2
