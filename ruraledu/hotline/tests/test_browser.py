"""On a phone (390 px wide): the 督导室 logs a call, assigns it to a school, the school answers
and the 督导室 closes it. The school never sees who called; no page scrolls sideways."""

import pytest

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from ..choices import ComplaintStatus
from ..models import Complaint
from ..permissions import HIDDEN

pytestmark = pytest.mark.browser


def _as(page, user):
    page.context.clear_cookies()
    browser_login(page, user.username, PASSWORD)


def _submit(page, button_name):
    page.get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)


def test_a_call_is_logged_assigned_answered_and_closed(
    page, district_admin, school_clerk, school_a
):
    page.set_viewport_size({"width": 390, "height": 844})

    # given the 督导室 on the hotline page
    _as(page, district_admin)
    page.goto(f"{page.base}/hotline/")
    assert fits_phone(page)

    # when it logs a call about school A
    page.get_by_text("登记来电或来信").click()
    page.select_option("#channel", "phone")
    page.select_option("#unit", str(school_a.org_unit.pk))
    page.fill("#topic", "乱收费")
    page.fill("#question", "学校向学生收取资料费每人两百元")
    page.fill("#caller_name", "孙来电")
    page.fill("#caller_phone", "13905339999")
    _submit(page, "登记")
    complaint = Complaint.objects.get()
    assert page.get_by_test_id("caller").inner_text().startswith("孙来电")

    # and assigns it to the school
    page.select_option("#assignee", f"u{school_a.org_unit.pk}")
    _submit(page, "交办")
    assert page.get_by_test_id("complaint-status").inner_text() == "已交办，待答复"

    # then the school answers, without seeing who called
    _as(page, school_clerk)
    page.goto(f"{page.base}/hotline/")
    page.get_by_role("link", name=f"#{complaint.pk}").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    assert page.get_by_test_id("caller").inner_text() == HIDDEN
    assert "孙来电" not in page.content() and "13905339999" not in page.content()
    page.fill("#answer-text", "经核实已停止收费并全额退还")
    _submit(page, "提交答复")
    assert page.get_by_test_id("complaint-status").inner_text() == "已答复，待办结"

    # and the 督导室 closes it
    _as(page, district_admin)
    page.goto(f"{page.base}/hotline/{complaint.pk}/")
    page.fill("#note", "已电话回复来电人")
    _submit(page, "办结")
    assert page.get_by_test_id("complaint-status").inner_text() == "已办结"
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.answered_in_time is True
