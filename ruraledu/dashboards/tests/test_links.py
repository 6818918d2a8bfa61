"""Links lead only to pages the user may open (issue item 17)."""

import re

import pytest
from django.urls import reverse

from ruraledu.dashboards.selectors import unit_pages_open
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.services import recompute

PERSONAS = ["district_admin", "district_leader", "town_officer", "school_clerk"]


@pytest.fixture
def data(zichuan_plan, school_a, school_b):
    FacilityRecord.objects.create(school=school_a, year=2024, sanitary_toilets=True)
    FacilityRecord.objects.create(school=school_b, year=2024, sanitary_toilets=False)
    recompute(years=[2024])


def unit_page_links(body: str) -> list[str]:
    """Links to indicator pages and to the 优质均衡 page (both find the user's own unit)."""
    main = body.split('<main id="main"')[1]
    return re.findall(r'href="(/indicators/(?!targets/)[a-z0-9_]+/|/yzjh/)[^"]*"', main)


@pytest.mark.parametrize("persona", [*PERSONAS, "department_reporter"])
def test_the_rule_agrees_with_the_pages_themselves(client, request, persona, data):
    # given any role
    user = request.getfixturevalue(persona)
    client.force_login(user)
    # when the pages that start at the user's own unit are opened
    indicator = client.get(
        reverse("indicators:indicator_detail", args=["rural_sanitary_toilet_rate"])
    )
    yzjh = client.get(reverse("dashboards:yzjh"))
    # then they open exactly when the rule says they do
    opens = unit_pages_open(user)
    assert (indicator.status_code, yzjh.status_code) == ((200, 200) if opens else (404, 404))
    assert unit_pages_open(user, "SB") == (
        client.get(reverse("dashboards:unit_profile", args=["SB"])).status_code == 200
    )


def test_a_department_account_sees_no_links_to_pages_that_answer_404(
    client, department_reporter, district_leader, data, settings
):
    from django.core.cache import cache

    # given a shared page cache, filled by the leader first
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    client.force_login(district_leader)
    assert unit_page_links(client.get(reverse("dashboards:cockpit")).content.decode())
    # when the department's reporter opens the cockpit
    client.force_login(department_reporter)
    body = client.get(reverse("dashboards:cockpit")).content.decode()
    # then the headline figures are shown without links, and every link left opens
    assert "城乡义务教育教师本科学历比例之比" in body
    assert unit_page_links(body) == []
    main = body.split('<main id="main"')[1]
    for url in sorted(set(re.findall(r'href="(/[^"?#]*)"', main))):
        assert client.get(url).status_code == 200, url


def test_the_menu_and_the_target_page_leave_out_unit_pages_for_a_department(
    client, department_reporter, data
):
    client.force_login(department_reporter)
    body = client.get(reverse("indicators:target_detail", args=["P13-1"])).content.decode()
    assert 'href="/yzjh/"' not in body
    assert unit_page_links(body) == []
    assert "乡村学校卫生厕所改造完成率" in body  # named, not linked


@pytest.mark.parametrize("persona", PERSONAS)
def test_roles_with_a_unit_keep_their_links(client, request, persona, data):
    client.force_login(request.getfixturevalue(persona))
    cockpit = client.get(reverse("dashboards:cockpit")).content.decode()
    assert 'href="/indicators/rural_principal_under45_rate/"' in cockpit
    assert 'href="/yzjh/"' in cockpit
    target = client.get(reverse("indicators:target_detail", args=["P13-1"])).content.decode()
    assert 'href="/indicators/rural_sanitary_toilet_rate/"' in target
