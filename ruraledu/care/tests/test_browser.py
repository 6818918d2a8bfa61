"""A school officer on a phone (390 px wide) walks a case from the list to 返校 and closure;
the page never scrolls sideways."""

import pytest
from django.utils import timezone

from conftest import browser_login
from ruraledu.accounts.tests.factories import PASSWORD

from ..models import DropoutCase
from .conftest import open_case

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_school_officer_takes_a_case_to_school_and_closes_it_on_a_phone(
    page, pupil, care_officer
):
    # given a case found today at the officer's school
    case = open_case(pupil, care_officer, on=timezone.localdate())
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    # when the officer opens it from the list
    page.goto(f"{page.base}/care/cases/")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="王小明").click()
    assert page.get_by_test_id("case-status").inner_text() == "已发现，待指定责任人"
    _no_sideways_scroll(page)

    def step(key, fields, selects=None):
        section = page.get_by_test_id(f"step-{key}")
        section.locator("summary").click()
        for name, value in fields.items():
            section.locator(f"[name={key}-{name}]").fill(value)
        for name, value in (selects or {}).items():
            section.locator(f"[name={key}-{name}]").select_option(value)
        section.get_by_role("button").click()
        page.wait_for_load_state("networkidle")
        _no_sideways_scroll(page)

    step("assign", {"teacher_name": "李老师", "village_cadre": "村支书 张三 13800000000"})
    assert page.get_by_test_id("case-status").inner_text() == "已指定责任人，待劝返"
    step("plan", {"plan": "李老师和张三当天家访，每三天电话回访，学校安排补课。"})
    step(
        "contact",
        {"who": "李老师、张三", "outcome": "家长同意明天送孩子返校", "next_step": "明天核实到校"},
        {"kind": "home_visit"},
    )
    assert page.get_by_test_id("case-status").inner_text() == "劝返中"
    step("resolve", {"note": "已到校上课"}, {"outcome": "returned"})
    assert page.get_by_test_id("case-status").inner_text() == "已返校"
    step("close", {"note": "返校后稳定就读"}, {"reason": "returned"})
    # then the case is closed, with every step in its log
    assert page.get_by_test_id("case-status").inner_text() == "已结案"
    assert page.get_by_test_id("case-events").locator("li").count() == 6
    assert DropoutCase.objects.get(pk=case.pk).close_reason == "returned"
