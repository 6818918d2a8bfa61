"""On a phone (390 px wide): a school officer logs a 送教上门 visit and the child's progress
rises; the town officer finds an unplaced child by town. The pages never scroll sideways."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from ..models import HomeVisit
from .conftest import YEAR, enrol, listed

pytestmark = pytest.mark.browser


def test_a_school_officer_logs_a_visit_on_a_phone(page, village_a, school_a, care_officer):
    _, number = listed("周小雨", village_a)
    enrol(number, "周小雨", school_a, placement="home")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    page.goto(f"{page.base}/inclusion/home/?year={YEAR}")
    assert fits_phone(page)
    page.get_by_role("link", name="周小雨").click()
    assert page.get_by_test_id("home-done").inner_text() == "0"
    assert "差 18 次" in page.get_by_test_id("home-state").inner_text()
    assert fits_phone(page)
    form = page.get_by_test_id("visit-form")
    form.locator("summary").click()
    form.locator("[name=on]").fill("2025-10-10")
    form.locator("[name=teachers]").fill("李老师、王老师")
    form.locator("[name=content]").fill("生活自理训练：穿衣、洗漱")
    form.locator("[name=hours]").fill("2.5")
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    # then the progress counts the visit, and the visit is listed
    assert page.get_by_test_id("home-done").inner_text() == "1"
    assert "差 17 次" in page.get_by_test_id("home-state").inner_text()
    assert "生活自理训练" in page.get_by_test_id("home-visits").inner_text()
    assert fits_phone(page)
    assert HomeVisit.objects.get().recorded_by == care_officer


def test_the_town_officer_sees_the_unplaced_children_of_the_town(
    page, village_a, village_b, town_officer
):
    listed("孙小云", village_a)
    listed("吴小风", village_b)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, town_officer.username, PASSWORD)
    page.goto(f"{page.base}/inclusion/?year={YEAR}")
    assert fits_phone(page)
    page.get_by_role("link", name="未安置儿童（按镇街）").click()
    assert page.get_by_test_id("unplaced-total").inner_text() == "1"
    items = page.get_by_test_id("unplaced-list")
    assert "孙小云" in items.inner_text() and "吴小风" not in page.content()
    assert fits_phone(page)
