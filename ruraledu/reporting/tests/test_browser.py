"""The done-means flow in a real browser: a department reporter submits a quarterly report
with evidence, the bureau returns it with a reason, the reporter fixes and resubmits, the
bureau approves and confirms the milestone, the cockpit shows 已完成 and the audit trail
shows every step."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import axe_violations, browser_login
from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from ruraledu.demo.reporting import reporting_demo_setup
from ruraledu.orgunits.models import Department
from ruraledu.plans.models import Target
from ruraledu.reporting.models import ProgressReport, ReportingPeriod

from .conftest import PDF

pytestmark = pytest.mark.browser

REASON = "请补充捆绑聘用的新任教师人数和学校名单。"


@pytest.fixture
def hr_reporter(zichuan_plan):
    user = UserFactory(username="hr_reporter", full_name="人社局填报员")
    RoleAssignmentFactory(
        user=user,
        role=Role.DEPARTMENT_REPORTER,
        department=Department.objects.get(code="human-resources"),
    )
    return user


@pytest.fixture
def demo_reporting(zichuan_plan, district_admin, hr_reporter):
    assert reporting_demo_setup() > 0
    assert reporting_demo_setup() == 0  # idempotent
    today = timezone.localdate()
    periods = ReportingPeriod.objects.filter(project__number=25, starts_on__lte=today)
    ended = periods.filter(ends_on__lt=today).order_by("-starts_on").first()
    return ended or periods.order_by("-starts_on").first()


def sign_in(page, username):
    page.context.clear_cookies()
    browser_login(page, username, PASSWORD)


def expect_message(page, text):
    assert text in page.inner_text("main"), page.inner_text("main")[:500]


def test_a_quarterly_report_goes_from_draft_to_an_approved_milestone(page, demo_reporting):
    period = demo_reporting
    milestone = Target.objects.get(code="P25-1")
    project_name = "城乡教师聘期交流捆绑制度建设"

    # the reporter opens "my reports" and starts the quarter's report for project 25
    sign_in(page, "hr_reporter")
    page.get_by_role("link", name="我的报告").click()
    assert axe_violations(page) == []
    row = page.locator("tr", has_text=project_name).filter(has_text=period.label).first
    row.get_by_role("button", name="开始填报").click()
    page.fill("#id_work_done", "已起草新任教师城乡学校两个聘期捆绑聘用制度。")
    page.select_option(f"#id_progress_{milestone.pk}", "done")
    page.fill(f"#id_note_{milestone.pk}", "制度已印发。")
    page.get_by_role("button", name="保存草稿").click()
    expect_message(page, "已保存")
    assert axe_violations(page) == []
    # with the evidence for the milestone
    page.set_input_files(
        "#id_file",
        files=[{"name": "捆绑聘用制度文件.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.select_option("#id_target", str(milestone.pk))
    page.get_by_role("button", name="上传", exact=True).click()
    expect_message(page, "已上传佐证材料“捆绑聘用制度文件.pdf”")
    page.get_by_role("button", name="保存并提交审核").click()
    expect_message(page, "报告已提交")
    report = ProgressReport.objects.get(period=period)
    assert report.status == "submitted"

    # the bureau returns it with a reason
    sign_in(page, "district_admin")
    page.get_by_role("link", name="审核队列").click()
    assert axe_violations(page) == []
    page.locator("[data-testid=waiting] tr", has_text=project_name).get_by_role(
        "link", name="审核"
    ).click()
    assert axe_violations(page) == []
    page.fill("#id_reason", REASON)
    page.get_by_role("button", name="退回修改").click()
    expect_message(page, "报告已退回")

    # the reporter sees why, fixes it and resubmits
    sign_in(page, "hr_reporter")
    page.goto(f"{page.base}{reverse('reporting:my_reports')}")
    page.locator("[data-testid=returned] tr", has_text=project_name).get_by_role(
        "link", name="修改后重新提交"
    ).click()
    expect_message(page, REASON)
    page.fill(
        "#id_work_done", "已建立捆绑聘用制度，新任教师 32 人，涉及 12 所乡村学校（名单见附件）。"
    )
    page.get_by_role("button", name="保存并重新提交").click()
    expect_message(page, "报告已重新提交")

    # the bureau approves and confirms the milestone
    sign_in(page, "district_admin")
    page.goto(f"{page.base}{reverse('reporting:report_detail', args=[report.pk])}")
    confirm = page.get_by_label("P25-1", exact=False)
    assert confirm.is_checked()
    page.fill("#id_comment", "同意。")
    page.get_by_role("button", name="审核通过").click()
    expect_message(page, "报告已审核通过并锁定")
    expect_message(page, "已确认 1 个节点任务完成")

    # the cockpit shows the target 已完成
    page.goto(f"{page.base}/")
    assert "已完成 1" in page.inner_text("[data-testid=status-counts]")
    page.goto(f"{page.base}{reverse('indicators:target_detail', args=['P25-1'])}")
    expect_message(page, "已完成")
    page.goto(f"{page.base}{reverse('reporting:milestone_list')}")
    assert "已完成" in page.locator("tr[data-code='P25-1']").inner_text()

    # the audit trail shows every step, with who did it
    page.goto(f"{page.base}{reverse('reporting:report_detail', args=[report.pk])}")
    page.get_by_role("link", name="本报告的审计记录").click()
    assert axe_violations(page) == []
    trail = page.inner_text("[data-testid=audit-events]")
    steps = [
        "创建报告草稿",
        "修改报告内容",
        "上传佐证材料：捆绑聘用制度文件.pdf",
        "提交",
        f"退回修改：{REASON}",
        "重新提交",
        "审核通过（报告已锁定）",
    ]
    positions = [trail.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "人社局填报员（hr_reporter）" in trail and "127.0.0.1" in trail
    page.goto(f"{page.base}{reverse('audit:event_list')}?q=P25-1")
    assert "节点任务 P25-1：未设置 → 已完成" in page.inner_text("[data-testid=audit-events]")

    # the approved report is locked for its authors
    sign_in(page, "hr_reporter")
    page.goto(f"{page.base}{reverse('reporting:report_edit', args=[report.pk])}")
    expect_message(page, "该报告已审核通过并锁定")


def test_the_evidence_upload_is_sent_once_too(page, demo_reporting):
    # given the report's page, whose evidence upload has a field named "target" (对应目标)
    sign_in(page, "hr_reporter")
    page.get_by_role("link", name="我的报告").click()
    row = page.locator("tr", has_text="城乡教师聘期交流捆绑制度建设")
    row.filter(has_text=demo_reporting.label).first.get_by_role("button", name="开始填报").click()
    # when the upload form is sent twice in a row (the page is kept: each send is only seen)
    sent = page.evaluate(
        """() => {
            const form = document.querySelector("#id_target").form;
            form.noValidate = true;  // no file chosen: only the sending is looked at
            const seen = [];
            window.addEventListener("submit", (event) => {
                seen.push(event.defaultPrevented);
                event.preventDefault();
            });
            form.requestSubmit();
            form.requestSubmit();
            return seen;
        }"""
    )
    # then the second is dropped, as on any other form that posts
    assert sent == [False, True]
