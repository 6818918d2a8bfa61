"""The bureau on a phone (390 px wide) asks to start the next year: what ends is listed,
readable without sideways scrolling, before anything is done."""

import pytest

from conftest import axe_violations, browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.core.models import SchoolYear

from .conftest import NEW

pytestmark = pytest.mark.browser


def test_the_endings_are_listed_on_a_phone(page, district_admin, year_with_people):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, district_admin.username, PASSWORD)
    page.goto(f"{page.base}/school-years/")
    page.get_by_role("button", name=f"开始{NEW}—{NEW + 1}学年…").click()
    endings = page.get_by_test_id("start-endings")
    endings.wait_for()
    assert fits_phone(page)
    assert "挂牌督学安排结束 2 项" in endings.inner_text()
    assert "王教研 · 乙镇中心小学" in page.get_by_test_id("ending-researcher-roles").inner_text()
    assert page.get_by_role("button", name=f"确认开始{NEW}—{NEW + 1}学年").is_visible()
    assert axe_violations(page) == []
    assert not SchoolYear.objects.filter(year=NEW).exists()
