"""In a browser: the bureau solves a 走教 scenario, forbids the chosen teacher and reads the
re-solved assignment; at 390 px the 走教, 交流轮岗 and school coordinates pages do not scroll
sideways, and a school placed on the map is saved."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.indicators.tests._people_data import YEAR, post, pupils, school, staff
from ruraledu.workforce.choices import Subject

pytestmark = pytest.mark.browser


def test_bureau_solves_locks_and_reads_on_a_phone(page, district_admin, town_a):
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    pupils(p1, 30, grade=1)
    pupils(p2, 90, grade=3)
    for name in ("王老师", "李老师"):
        post(staff(name=name), p1, subject=Subject.MUSIC, year=YEAR)
    browser_login(page, district_admin.username, PASSWORD)
    page.goto(f"{page.base}/planning/travel/")
    page.click("text=新建走教方案")
    page.fill("#id_name", "浏览器走教")
    page.fill("#id_year", str(YEAR))
    page.select_option("#id_area", label="甲镇")
    for subject in ("art", "pe", "english", "it"):
        page.fill(f"#id_hours_{subject}", "0")
    page.fill("#id_distances", "P1,P2")
    page.click("text=保存并求解")
    assert "格式不对" in page.inner_text("main")
    page.fill("#id_distances", "P1,P2,5")
    page.click("text=保存并求解")
    page.wait_for_selector("#verdict")
    assert "需走教课时 4 节/周，已安排 4 节。全部覆盖。" in page.inner_text("#verdict")
    first = page.inner_text("tbody tr td:nth-child(2)")
    page.check("tbody input[type=checkbox]")
    page.fill("tbody input[name^=lessons]", "0")
    page.click("text=锁定勾选项并重新求解")
    page.wait_for_selector("#verdict")
    assert "全部覆盖" in page.inner_text("#verdict")
    other = "李老师" if first == "王老师" else "王老师"
    assert other in page.inner_text("main")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_phone(page)
    page.goto(f"{page.base}/planning/rotation/?year={YEAR}")
    assert "符合条件教师 0 名" in page.inner_text("#shares")
    assert fits_phone(page)
    # the coordinates form at 390 px: a school placed on the map is saved and shown again
    page.goto(f"{page.base}/planning/travel/")
    page.click("text=学校坐标")
    page.select_option("#area", label="甲镇")
    page.click("text=查看")
    assert fits_phone(page)
    page.get_by_label("P1纬度").fill("36.64")
    page.get_by_label("P1经度").fill("117.97")
    page.click("text=保存坐标")
    assert "已保存 1 所学校的坐标" in page.inner_text("main")
    assert page.get_by_label("P1纬度").input_value() == "36.640000"
