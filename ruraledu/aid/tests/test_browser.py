"""A school's 资助 officer on a phone (390 px wide) opens the gap list, publishes the term's
publicity list, and the public link (opened without login) shows only masked names."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from ..models import AidPublicity
from .conftest import enrol, grant

pytestmark = pytest.mark.browser


def test_a_school_officer_opens_the_gaps_and_publishes_a_masked_publicity_list(
    page, chromium, care_officer, school_a
):
    # given a term of grants at the officer's school with one child left out
    enrol(school_a, "孤儿甲", orphan=True)
    grant(enrol(school_a, "张小明", left_behind=True), school_a)
    grant(enrol(school_a, "欧阳娜娜", family_status="lifted"), school_a, "nutrition", amount="400")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    # when the officer opens the gap list
    page.goto(f"{page.base}/aid/?year=2025&semester=1")
    assert fits_phone(page)
    assert page.get_by_test_id("gap-unaided").inner_text().startswith("孤儿甲")
    # and publishes the publicity list from it
    page.get_by_test_id("publicity-link").click()
    page.wait_for_url("**/aid/publicity/**")
    assert fits_phone(page)
    page.get_by_role("button", name="发布公示").click()
    page.wait_for_load_state("networkidle")
    assert "已发布公示名单，共 2 人次" in page.content()
    link = page.get_by_test_id("public-link").get_attribute("href")
    # then anyone with the link, not logged in, sees the masked names only
    visitor = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    public = visitor.new_page()
    public.goto(f"{page.base}{link}")
    rows = public.get_by_test_id("public-rows").inner_text()
    assert "张*明" in rows and "欧**娜" in rows and "营养膳食补助" in rows
    assert "张小明" not in public.content() and "孤儿" not in public.content()
    assert fits_phone(public)
    visitor.close()
    assert AidPublicity.objects.get().created_by == care_officer
