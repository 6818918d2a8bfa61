"""Real-browser flows (Playwright driving Debian's Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import axe_violations, browser_login
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.services import recompute

pytestmark = pytest.mark.browser


@pytest.fixture
def district_data(zichuan_plan, school_a, school_b):
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    FacilityRecord.objects.create(
        school=school_b, year=2024, sanitary_toilets=False, classrooms=6, classrooms_lighting_ok=6
    )
    recompute(years=[2024])


def test_login_page_is_accessible(page):
    page.goto(f"{page.base}/accounts/login/")
    assert page.title().startswith("登录")
    assert axe_violations(page) == []


def test_leader_follows_an_overdue_target_down_to_the_schools(page, district_leader, district_data):
    browser_login(page, "district_leader", PASSWORD)
    assert "驾驶舱" in page.title()
    assert axe_violations(page) == []
    # the overdue toilet target (due 2023, 1 of 2 rural schools) is listed with its owner
    watch = page.locator("[data-testid=watch-list]")
    row = watch.locator("tr", has_text="P13-1")
    assert "区教体局" in row.inner_text()
    # each click returns once the next page is on its way: the page is waited for
    row.get_by_role("link", name="P13-1").click()
    expect(page).to_have_title(re.compile("目标 P13-1"))
    expect(page.locator("main")).to_contain_text("已逾期")
    page.get_by_role("link", name="乡村学校卫生厕所改造完成率").click()
    expect(page).to_have_title(re.compile("乡村学校卫生厕所改造完成率"))
    # the town table shows which town lags
    expect(page.locator("main")).to_contain_text("乙镇")
    page.get_by_role("link", name="1", exact=True).first.click()  # numerator: schools that meet it
    page.wait_for_url(re.compile("/records/"))
    expect(page.locator("main")).to_contain_text("甲镇中心小学")
    assert "乙镇中心小学" not in page.inner_text("main")


def test_clerk_cannot_reach_another_school(page, school_clerk, district_data):
    browser_login(page, "school_clerk", PASSWORD)
    page.goto(f"{page.base}/org/units/SA/")
    assert "甲镇中心小学" in page.inner_text("main")
    response = page.goto(f"{page.base}/org/units/SB/")
    assert response.status == 404


PAGES = [
    "/",
    "/plan/",
    "/plan/projects/13/",
    "/indicators/",
    "/indicators/rural_sanitary_toilet_rate/",
    "/yzjh/",
    "/org/",
    "/school-years/",
    "/plan/departments/health/",
]


@pytest.mark.parametrize(
    "persona",
    ["district_admin", "district_leader", "town_officer", "school_clerk", "department_reporter"],
)
def test_every_role_opens_the_main_pages_and_they_are_accessible(
    page, request, persona, district_data
):
    request.getfixturevalue(persona)
    browser_login(page, persona, PASSWORD)
    for path in PAGES:
        response = page.goto(page.base + path)
        assert response.status in (200, 404), (persona, path)  # 404: outside the role's scope
        if response.status == 200:
            assert axe_violations(page) == [], (persona, path)


def test_a_table_exports_to_excel_from_the_browser(page, district_admin, district_data):
    browser_login(page, "district_admin", PASSWORD)
    page.goto(
        f"{page.base}/indicators/rural_sanitary_toilet_rate/records/?unit=D&year=2024&part=denominator"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    import io

    import openpyxl

    content = io.BytesIO(open(download.value.path(), "rb").read())
    rows = list(openpyxl.load_workbook(content).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["乙镇中心小学", "甲镇中心小学"]
