"""On an install serving many districts each district's plan has the same target codes (the
plan structure runs in every district): a target's page shows the target of the plan its link
names, else of the user's own plan, and never another district's."""

import pytest
from django.urls import reverse
from django.utils.timezone import now

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.indicators.choices import TargetStatus
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import TargetState
from ruraledu.plans.models import Plan, Target
from ruraledu.plans.testing import load_district_plan


@pytest.fixture
def plans(city, district_a, district_b, tmp_path):
    for unit in (district_a, district_b):
        load_district_plan(tmp_path, unit, unit.code.lower(), "P01-1")
    return {p.org_unit.code: p for p in Plan.objects.select_related("org_unit")}


def signed_in(client, username, role, unit):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    client.force_login(user)
    return client


def test_a_target_code_shared_by_districts_opens_the_users_own(client, plans, district_a):
    url = reverse("indicators:target_detail", args=["P01-1"])
    signed_in(client, "a_admin", Role.DISTRICT_ADMIN, district_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "A区的目标" in page.content.decode()
    # its own plan named in the link, as the plan's pages link it
    page = client.get(f"{url}?plan={plans['A'].pk}")
    assert "A区的目标" in page.content.decode()
    # another district's plan is not there for it, nor is a plan that does not exist
    for plan in (plans["B"].pk, 999999, "x"):
        assert client.get(f"{url}?plan={plan}").status_code == 404


def test_the_city_opens_each_districts_target_by_its_plan(client, plans, city):
    url = reverse("indicators:target_detail", args=["P01-1"])
    signed_in(client, "city_admin", Role.DISTRICT_ADMIN, city)
    for code in ("A", "B"):
        page = client.get(f"{url}?plan={plans[code].pk}")
        assert page.status_code == 200
        assert f"{code}区的目标" in page.content.decode()


def test_the_plans_pages_link_their_targets_by_plan(client, plans, district_b):
    target = plans["B"].targets.get(code="P01-1")
    TargetState.objects.create(target=target, status=TargetStatus.ON_TRACK, evaluated_at=now())
    signed_in(client, "b_admin", Role.DISTRICT_ADMIN, district_b)
    page = client.get(reverse("plans:plan_detail")).content.decode()
    link = f"{reverse('indicators:target_detail', args=['P01-1'])}?plan={plans['B'].pk}"
    assert link in page


def test_an_indicator_page_lists_the_targets_of_the_units_plan(client, plans, district_a, city):
    code = sorted(REGISTRY)[0]
    Target.objects.update(indicator_code=code)
    url = reverse("indicators:indicator_detail", args=[code])
    signed_in(client, "a_admin", Role.DISTRICT_ADMIN, district_a)
    page = client.get(url).content.decode()
    assert "A区的目标" in page and "B区的目标" not in page
    # the city reads each district's page with that district's targets
    signed_in(client, "city_admin", Role.DISTRICT_ADMIN, city)
    page = client.get(f"{url}?unit=B").content.decode()
    assert "B区的目标" in page and "A区的目标" not in page
