"""In a browser: the bureau enters a negative cost and is told so in Chinese, corrects it, and
reads the solved plan per school; at 390 px no page scrolls sideways."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.planning import plan_data

from .conftest import school

pytestmark = pytest.mark.browser


def test_bureau_enters_inputs_and_reads_the_plan(page, district_admin, monkeypatch):
    schools = [school(1, r1=3.5, r2=0, r5=600), school(2)]
    monkeypatch.setattr(plan_data, "district_schools", lambda year, unit: schools)
    browser_login(page, district_admin.username, PASSWORD)
    page.goto(f"{page.base}/planning/")
    page.click("text=新建方案")
    page.fill("#id_name", "浏览器方案")
    page.fill("#id_cost_r5", "-1")
    page.click("text=保存并求解")
    assert "不能为负数，收到“-1”" in page.inner_text(".alert-danger")
    page.fill("#id_cost_r5", "1200")
    page.click("text=保存并求解")
    # the solve runs inside this request (tasks run at once in tests): slow on a busy machine
    page.wait_for_selector("#verdict", timeout=90_000)
    assert "全部学校达到逐校标准" in page.inner_text("#verdict")
    assert "还需：骨干教师 1 名、体育运动场馆 38 ㎡" in page.inner_text("main")
    assert page.inner_text("#saving").startswith("254,400")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_phone(page)
    page.goto(f"{page.base}/planning/")
    assert fits_phone(page)
