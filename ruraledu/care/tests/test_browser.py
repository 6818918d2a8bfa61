"""On a phone (390 px wide), the page never scrolling sideways: a school officer walks a case
from the list to 返校 and closure; a town officer escalates one with a numbered notice. A
read-only role sees counts and no names; another school's clerk gets a 404."""

import time

import pytest
from django.utils import timezone

from conftest import browser_login, fits_phone
from ruraledu.accounts.tests.factories import PASSWORD

from .. import services
from ..choices import CaseStatus
from ..models import CaseContact, DropoutCase, GrowthFile, ReturnNotice
from .conftest import open_case, walk
from .test_growth_services import flagged, open_file
from .test_growth_transfer import moved

pytestmark = pytest.mark.browser


def test_a_school_officer_takes_a_case_to_school_and_closes_it_on_a_phone(
    page, pupil, care_officer
):
    # given a case found today at the officer's school
    case = open_case(pupil, care_officer, on=timezone.localdate())
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    # when the officer opens it from the list
    page.goto(f"{page.base}/care/cases/")
    assert fits_phone(page)
    page.get_by_role("link", name="王小明").click()
    assert page.get_by_test_id("case-status").inner_text() == "已发现，待指定责任人"
    assert fits_phone(page)

    def step(key, fields, selects=None):
        section = page.get_by_test_id(f"step-{key}")
        section.locator("summary").click()
        for name, value in fields.items():
            section.locator(f"[name={key}-{name}]").fill(value)
        for name, value in (selects or {}).items():
            section.locator(f"[name={key}-{name}]").select_option(value)
        section.get_by_role("button").click()
        page.wait_for_load_state("networkidle")
        assert fits_phone(page)

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


def test_a_town_officer_escalates_a_case_and_prints_the_numbered_notice(
    page, pupil, care_officer, town_officer
):
    # given a case of a school in the town, persuaded without result since today
    today = timezone.localdate()
    case = walk(open_case(pupil, care_officer, on=today), care_officer, CaseStatus.CONTACTING)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, town_officer.username, PASSWORD)
    # when the town officer opens it from the list: the name is masked until it is escalated
    page.goto(f"{page.base}/care/cases/")
    page.get_by_role("link", name="王*明").click()
    assert page.get_by_test_id("case-status").inner_text() == "劝返中"
    section = page.get_by_test_id("step-escalate")
    section.locator("summary").click()
    section.locator("[name=escalate-guardian]").fill("王大山")
    section.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert fits_phone(page)
    # then the case is with the town, the child named, and the notice numbered 1 for the year
    assert page.get_by_test_id("case-status").inner_text() == "已报镇街（限期返校）"
    assert page.get_by_test_id("case-escalation").inner_text() == "已报镇街教育办"
    assert page.get_by_test_id("case-name").inner_text() == "王小明"
    label = f"甲镇教育办〔{today.year}〕1号"
    link = page.get_by_role("link", name=f"打印限期返校通知书 {label}")
    page.goto(page.base + link.get_attribute("href"))
    body = page.locator("body").inner_text()
    assert label in body
    assert "王大山（王小明的监护人）" in body
    notice = ReturnNotice.objects.get(case=case)
    assert (notice.number, notice.guardian, notice.issued_by) == (1, "王大山", town_officer)
    # and the escalation is in the case's log
    assert DropoutCase.objects.get(pk=case.pk).status == CaseStatus.ESCALATED_TOWN


def test_a_read_only_role_sees_counts_only_and_another_school_gets_a_404(
    page, pupil, care_officer, district_leader, outsider
):
    # given a case at school A
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    # when the district leader looks
    browser_login(page, district_leader.username, PASSWORD)
    page.goto(f"{page.base}/care/")
    # then the totals show one open case and no name anywhere
    assert "1 人" in page.get_by_test_id("care-totals").inner_text()
    assert "王" not in page.locator("main").inner_text()
    assert page.goto(f"{page.base}/care/cases/").status == 404
    assert page.goto(f"{page.base}/care/cases/{case.pk}/").status == 404
    # and another school's clerk gets a 404 for the case
    page.context.clear_cookies()
    browser_login(page, outsider.username, PASSWORD)
    assert page.goto(f"{page.base}/care/cases/{case.pk}/").status == 404
    assert "王小明" not in page.content()


def test_a_case_with_very_long_unbroken_text_fits_a_phone(page, pupil, care_officer):
    # given a case whose plan, contact and log hold one long run of characters without a break
    # (as stored before lengths were limited)
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    run = "劝返" + "x" * 20000
    DropoutCase.objects.filter(pk=case.pk).update(plan=run, village_cadre="y" * 100)
    case.contacts.update(outcome=run, who="z" * 200)
    case.events.update(note=run)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    # when the officer opens it, then the page does not scroll sideways
    page.goto(f"{page.base}/care/cases/{case.pk}/")
    assert fits_phone(page)


def test_the_new_school_takes_over_a_growth_file_on_a_phone(
    page, school_a, school_b, school_clerk, outsider
):
    # given a 学困生 whose open file is at school A, now enrolled at school B
    file = open_file(flagged(school_a), school_clerk)
    moved(file, school_b)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, outsider.username, PASSWORD)
    # when B's clerk opens the list: the file is elsewhere, offered for taking over
    page.goto(f"{page.base}/care/growth/?year=2025")
    assert page.get_by_test_id("growth-state").inner_text() == "档案在其他学校"
    assert fits_phone(page)
    page.get_by_role("button", name="接收档案").click()
    page.wait_for_load_state("networkidle")
    # then the file opens at B, with the assessment A wrote
    assert "已接收该学生的成长档案" in page.content()
    assert "识字量明显不足" in page.content()
    assert fits_phone(page)
    assert GrowthFile.objects.get(pk=file.pk).school == school_b


def test_a_second_tap_while_the_first_is_still_sending_records_the_contact_once(
    page, pupil, care_officer, monkeypatch
):
    # given an assigned case with its plan, and a server slow to answer (a rural network)
    case = open_case(pupil, care_officer, on=timezone.localdate())
    walk(case, care_officer, CaseStatus.ASSIGNED)
    add_contact = services.case_contact_add

    def slowly(**kwargs):
        time.sleep(1.5)
        return add_contact(**kwargs)

    monkeypatch.setattr(services, "case_contact_add", slowly)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, care_officer.username, PASSWORD)
    page.goto(f"{page.base}/care/cases/{case.pk}/")
    section = page.get_by_test_id("step-contact")
    section.locator("summary").click()
    section.locator("[name=contact-who]").fill("李老师")
    section.locator("[name=contact-outcome]").fill("家长答应明天送孩子返校")
    section.locator("[name=contact-kind]").select_option("phone")
    # when the officer taps 保存 and, seeing nothing happen yet, taps it again 0.4 s later
    # (both clicks from the page's own timer: a finger does not wait for the page it starts)
    button = section.get_by_role("button").element_handle()
    button.evaluate("button => { button.click(); setTimeout(() => button.click(), 400); }")
    page.wait_for_timeout(1000)
    assert not CaseContact.objects.filter(case=case).exists()  # the first is still on its way
    page.wait_for_url(f"{page.base}/care/cases/{case.pk}/", wait_until="networkidle")
    page.wait_for_timeout(2500)  # a second request, had one gone, would be answered by now
    # then one contact is recorded
    assert CaseContact.objects.filter(case=case).count() == 1
    assert fits_phone(page)
