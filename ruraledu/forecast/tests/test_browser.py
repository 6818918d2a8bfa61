"""On a phone (390 px wide) a town officer reads the forecast with its backtest error, opens a
school, the 编制 page and the 缺编/超编 by subject; the pages never scroll sideways (tables scroll inside)."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.forecast.services import forecast_run_create

pytestmark = pytest.mark.browser


def test_a_town_officer_reads_the_forecast_on_a_phone(page, rosters, district_admin, town_officer):
    forecast_run_create(actor=district_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, town_officer.username, PASSWORD)
    page.goto(f"{page.base}/forecast/")
    assert fits_phone(page)
    assert (
        "本模型平均误差 0.0%，照搬上年平均误差 0.0%" in page.get_by_test_id("backtest").inner_text()
    )
    assert "甲镇中心小学" in page.get_by_test_id("already-small-schools").inner_text()
    page.get_by_test_id("forecast-table").get_by_role("link", name="甲镇中心小学").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    assert "实际 16 人" in page.get_by_test_id("school-backtest").inner_text()
    page.goto(f"{page.base}/forecast/staffing/")
    assert fits_phone(page)
    assert "缺 1" in page.get_by_test_id("staffing-schools").inner_text()
    assert page.get_by_test_id("rule-form").count() == 0
    page.get_by_role("link", name="分学科缺编超编").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    assert "语文 1" in page.get_by_test_id("subject-schools").inner_text()
    assert page.get_by_test_id("hours-form").count() == 0
