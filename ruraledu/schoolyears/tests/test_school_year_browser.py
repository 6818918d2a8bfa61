"""Starting a new school year on the demo district, in a real browser: the bureau is asked
first, no target changes status (even once the new, nearly empty year is computed), and the
cockpit keeps the confirmed year's figures while showing the new year apart."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from ruraledu.core.models import SchoolYear
from ruraledu.demo.services import DEMO_PASSWORD, demo_setup
from ruraledu.indicators.models import TargetState, TargetStatusChange
from ruraledu.indicators.services import recompute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    demo_setup(scale="tiny", years=[2024, 2025])
    recompute()  # values and target states, as `make run` leaves them
    return live_server


def test_starting_a_year_changes_no_target_and_keeps_the_cockpit_on_the_confirmed_year(page, demo):
    states = dict(TargetState.objects.values_list("target__code", "status"))
    changes = TargetStatusChange.objects.count()
    browser_login(page, "admin", DEMO_PASSWORD)
    # the bureau is told what will happen before anything is copied
    page.goto(f"{page.base}/school-years/")
    page.get_by_role("button", name="开始2026—2027学年…").click()
    confirm = page.locator("[data-testid=start-confirm]")
    assert "学生名册" in confirm.inner_text() or "学籍" in confirm.inner_text()
    assert not SchoolYear.objects.filter(year=2026).exists()
    confirm.get_by_role("button", name="确认开始2026—2027学年").click()
    expect(page.locator("main")).to_contain_text("已开始2026—2027学年（填报中）")
    assert SchoolYear.objects.get(year=2026).state == "collecting"
    # the new year is computed (as after any import): 体检, 补贴, 资助 restart at 0 %
    recompute()
    assert dict(TargetState.objects.values_list("target__code", "status")) == states
    assert TargetStatusChange.objects.count() == changes
    # the cockpit still reads the confirmed year, and shows the new one apart
    page.goto(f"{page.base}/")
    notice = page.locator("[data-testid=collecting]").inner_text()
    assert "2026—2027学年正在填报" in notice and "2025—2026学年" in notice
    headlines = page.locator("[data-testid^=headline-]").all_inner_texts()
    assert headlines and not any("2026学年" in text for text in headlines)
