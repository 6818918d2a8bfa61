"""Permission matrix of the reporting pages (anonymous, no permission, in scope, out of
scope), refusals shown in Chinese, and nothing changed by a refused request."""

import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.plans.choices import MilestoneStatus, ResponsibilityRole
from ruraledu.reporting.choices import ReportStatus
from ruraledu.reporting.models import CalendarDay, EvidenceFile, ProgressReport, ReportingSchedule

from .. import services
from .conftest import PDF
from .factories import ProjectFactory, ResponsibilityFactory


def body(response) -> str:
    return response.content.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_the_login_page(client, submitted):
    for url in (
        reverse("reporting:my_reports"),
        reverse("reporting:review_queue"),
        reverse("reporting:report_detail", args=[submitted.pk]),
        reverse("reporting:milestone_list"),
        reverse("audit:event_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_my_reports_lists_what_the_reporter_owes(client, period, department_reporter):
    page = body(as_user(client, department_reporter).get(reverse("reporting:my_reports")))
    assert "乡村教师补充工程" in page
    assert "2026年第1季度" in page
    assert "开始填报" in page


def test_the_reporter_starts_saves_and_submits_through_the_pages(
    client, period, department, department_reporter, milestone
):
    client = as_user(client, department_reporter)
    # start
    response = client.post(
        reverse("reporting:report_start", args=[period.pk]), {"unit": f"d{department.pk}"}
    )
    report = ProgressReport.objects.get()
    assert response.url == reverse("reporting:report_edit", args=[report.pk])
    # save
    form = {
        "version": 1,
        "work_done": "完成招聘",
        f"progress_{milestone.pk}": "done",
        f"note_{milestone.pk}": "",
        "action": "save",
    }
    client.post(reverse("reporting:report_edit", args=[report.pk]), form)
    # upload
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("reporting:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("文件.pdf", PDF), "target": milestone.pk},
    )
    # submit with the current version
    report.refresh_from_db()
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        {**form, "version": report.version, "action": "submit"},
        follow=True,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "报告已提交" in body(response)


def test_a_stale_form_is_refused_and_comes_back_with_the_text_and_current_version(
    client, draft, department_reporter
):
    client = as_user(client, department_reporter)
    url = reverse("reporting:report_edit", args=[draft.pk])
    client.post(url, {"version": 1, "work_done": "新", "action": "save"})
    response = client.post(url, {"version": 1, "work_done": "旧副本", "action": "save"})
    assert response.status_code == 409
    assert "再次保存将以您的内容替换对方的修改" in body(response)
    form = response.context["form"]
    assert (form["version"].value(), form["work_done"].value()) == (2, "旧副本")
    draft.refresh_from_db()
    assert draft.work_done == "新"
    # saving the kept form again is the reporter's choice to replace the other change
    again = {"version": form["version"].value(), "work_done": "旧副本", "action": "save"}
    assert client.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.work_done == "旧副本"


@pytest.mark.parametrize(("persona", "status"), [("district_leader", 404), ("district_admin", 403)])
def test_people_who_may_only_read_cannot_edit(request, client, draft, persona, status):
    # a leader does not even see a draft; the reviewer sees it but may not write it
    client = as_user(client, request.getfixturevalue(persona))
    response = client.post(
        reverse("reporting:report_edit", args=[draft.pk]),
        {"version": 1, "work_done": "越权", "action": "save"},
    )
    assert response.status_code == status
    assert status == 404 or "只有本单位的填报员" in body(response)
    draft.refresh_from_db()
    assert (draft.work_done, draft.version) == ("", 1)


def test_a_report_outside_the_scope_is_404(client, submitted, outsider, school_clerk):
    for user in (outsider, school_clerk):
        client.force_login(user)
        assert (
            client.get(reverse("reporting:report_detail", args=[submitted.pk])).status_code == 404
        )
        assert (
            client.post(
                reverse("reporting:report_return", args=[submitted.pk]),
                {"version": 1, "reason": "x"},
            ).status_code
            == 404
        )
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_evidence_downloads_are_scoped(
    client, submitted, department_reporter, district_leader, outsider
):
    evidence = EvidenceFile.objects.get(report=submitted)
    url = reverse("reporting:evidence_download", args=[evidence.pk])
    for user in (department_reporter, district_leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_reporter_cannot_review(client, submitted, department_reporter, milestone):
    client = as_user(client, department_reporter)
    version = submitted.version
    response = client.post(
        reverse("reporting:report_approve", args=[submitted.pk]),
        {"version": version, "confirm_done": [milestone.pk]},
    )
    assert response.status_code == 403
    assert "只有区教体局的审核人员" in body(response)
    submitted.refresh_from_db()
    milestone.refresh_from_db()
    assert (submitted.status, submitted.version, milestone.milestone_status) == (
        ReportStatus.SUBMITTED,
        version,
        "",
    )


def test_the_bureau_returns_and_approves_through_the_pages(
    client, submitted, district_admin, department_reporter, milestone
):
    client = as_user(client, district_admin)
    detail = reverse("reporting:report_detail", args=[submitted.pk])
    assert "审核通过" in body(client.get(detail))
    # a return without reason is refused
    response = client.post(
        reverse("reporting:report_return", args=[submitted.pk]),
        {"version": submitted.version, "reason": ""},
        follow=True,
    )
    assert "退回时必须填写退回原因" in body(response)
    response = client.post(
        reverse("reporting:report_approve", args=[submitted.pk]),
        {"version": submitted.version, "confirm_done": [milestone.pk], "comment": "同意"},
        follow=True,
    )
    assert "报告已审核通过并锁定" in body(response)
    milestone.refresh_from_db()
    assert milestone.milestone_status == MilestoneStatus.DONE
    # a second click on the old page is told the report was handled
    response = client.post(
        reverse("reporting:report_return", args=[submitted.pk]),
        {"version": submitted.version, "reason": "迟到"},
        follow=True,
    )
    assert "该报告已被其他审核人处理（当前状态：已通过）" in body(response)


@pytest.mark.parametrize(
    ("url_name", "persona", "status"),
    [
        ("reporting:review_queue", "district_admin", 200),
        ("reporting:review_queue", "department_reporter", 403),
        ("reporting:review_queue", "district_leader", 403),
        ("reporting:holiday_list", "district_admin", 200),
        ("reporting:holiday_list", "school_clerk", 403),
        ("reporting:milestone_list", "school_clerk", 200),
        ("reporting:milestone_list", "district_admin", 200),
        ("reporting:my_reports", "school_clerk", 200),
        ("reporting:notification_list", "outsider", 200),
        ("audit:event_list", "district_admin", 200),
        ("audit:event_list", "district_leader", 403),
        ("audit:event_list", "department_reporter", 403),
    ],
)
def test_page_access(request, client, submitted, url_name, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code == status


def test_the_review_queue_lists_waiting_and_flags_missing_holiday_years(
    client, submitted, district_admin
):
    page = body(as_user(client, district_admin).get(reverse("reporting:review_queue")))
    assert "区卫生健康局" in page
    assert "2027年" in page and "节假日安排尚未录入" in page


def test_project_history_shows_only_reports_in_scope(
    client, submitted, period, school_clerk, school_a, department_reporter, project
):
    from .conftest import start

    start(period, school_clerk, org_unit=school_a.org_unit)
    url = reverse("reporting:project_reports", args=[project.number])
    page = body(as_user(client, school_clerk).get(url))
    assert "甲镇中心小学" in page and "区卫生健康局" not in page.split("报告记录")[1]
    page = body(as_user(client, department_reporter).get(url))
    assert (
        "区卫生健康局" in page.split("报告记录")[1]
        and "甲镇中心小学" not in page.split("报告记录")[1]
    )


def test_the_bureau_sets_a_schedule_and_a_reporter_cannot(
    client, project, milestone, department, district_admin, department_reporter
):
    url = reverse("reporting:schedule_edit", args=[project.number])
    form = {
        "frequency": "monthly",
        "deadline_working_days": 5,
        "starts_on": "2026-01-01",
        "departments": [department.pk],
        "is_active": "on",
    }
    assert as_user(client, department_reporter).post(url, form).status_code == 403
    assert not ReportingSchedule.objects.exists()
    response = as_user(client, district_admin).post(url, form)
    assert response.status_code == 302
    schedule = ReportingSchedule.objects.get()
    assert (schedule.frequency, list(schedule.departments.all())) == ("monthly", [department])


def test_a_new_schedule_offers_the_projects_departments_but_a_districts_own_bureau(
    client, district, department, district_admin
):
    # given a project of a district's own plan, led by its 区教体局 (coded with the
    # district's prefix, as a district's plan loads it) with a partner department
    bureau = DepartmentFactory(code="D-education", name="区教体局", org_unit=district)
    project = ProjectFactory(name="乡村学校提升工程")
    ResponsibilityFactory(project=project, department=bureau, role=ResponsibilityRole.LEAD)
    ResponsibilityFactory(project=project, department=department, role=ResponsibilityRole.PARTNER)
    # when the bureau opens the project's new schedule
    url = reverse("reporting:schedule_edit", args=[project.number])
    response = as_user(client, district_admin).get(url)
    # then the partner is ticked and the bureau, which does not report to itself, is not
    assert response.context["form"].initial["departments"] == [department]


def test_a_stale_schedule_form_keeps_what_was_typed_at_the_current_version(
    client, schedule, department, district_admin, second_admin
):
    # given another reviewer changed the schedule after this page was read at version 1
    url = reverse("reporting:schedule_edit", args=[schedule.project.number])
    typed = {
        "version": 1,
        "frequency": "quarterly",
        "deadline_working_days": 10,
        "starts_on": "2026-01-01",
        "departments": [department.pk],
        "is_active": "on",
    }
    assert as_user(client, second_admin).post(url, typed).status_code == 302
    # when the first saves other values from the older copy
    mine = {**typed, "frequency": "monthly", "deadline_working_days": 7}
    response = as_user(client, district_admin).post(url, mine)
    # then the form comes back with them, at the current version, saying what saving does
    assert response.status_code == 400
    assert "再次保存将以您的内容替换对方的修改" in body(response)
    form = response.context["form"]
    assert form["version"].value() == 2
    assert (form["frequency"].value(), form["deadline_working_days"].value()) == ("monthly", "7")
    schedule.refresh_from_db()
    assert (schedule.version, schedule.deadline_working_days) == (2, 10)
    # and saving it again goes through
    assert client.post(url, {**mine, "version": 2}).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.deadline_working_days) == ("monthly", 7)


def test_a_review_from_an_older_copy_is_refused_and_the_reviewer_sent_to_read_it(
    client, submitted, department_reporter, district_admin, second_admin
):
    # given the report was returned and handed in again after this reviewer opened it
    seen = submitted.version
    services.report_return(
        report=submitted, actor=second_admin, reason="补充数据", expected_version=seen
    )
    submitted.refresh_from_db()
    services.report_resubmit(
        report=submitted, actor=department_reporter, expected_version=submitted.version
    )
    # when the reviewer approves what they read
    response = as_user(client, district_admin).post(
        reverse("reporting:report_approve", args=[submitted.pk]), {"version": seen}, follow=True
    )
    # then it is refused, without a way to approve unread content by saving again
    assert "已有新的处理或修改，本次操作未执行。请刷新页面查看最新内容后再审核。" in body(response)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RESUBMITTED


def test_the_bureau_edits_the_holiday_table_through_the_page(client, district_admin):
    client = as_user(client, district_admin)
    client.post(
        reverse("reporting:holiday_set"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    day = CalendarDay.objects.get(date="2027-01-01")
    assert day.name == "元旦"
    event = AuditEvent.objects.get(content_type__model="calendarday", object_id=str(day.pk))
    assert event.address == "127.0.0.1"
    client.post(reverse("reporting:holiday_delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(date="2027-01-01").exists()
    assert (
        AuditEvent.objects.filter(content_type__model="calendarday", action="delete").count() == 1
    )


def test_deleting_a_holiday_twice_says_it_is_deleted_already(client, district_admin):
    # given a day of the 2027 table, deleted once (a first click, another tab)
    client = as_user(client, district_admin)
    client.post(
        reverse("reporting:holiday_set"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    day = CalendarDay.objects.get(date="2027-01-01")
    url = reverse("reporting:holiday_delete", args=[day.pk])
    assert "已删除。" in body(client.post(url, {"year": "2027"}, follow=True))
    # when it is deleted again from the same page
    response = client.post(url, {"year": "2027"}, follow=True)
    # then the page of that year says it is deleted already, and no second deletion is audited
    assert response.redirect_chain == [(reverse("reporting:holiday_list") + "?year=2027", 302)]
    assert "该日期已被删除，无需再次删除。" in body(response)
    assert "已删除。受影响的报告截止日期已重新计算。" not in body(response)
    assert (
        AuditEvent.objects.filter(content_type__model="calendarday", action="delete").count() == 1
    )


def test_the_milestone_list_shows_status_and_latest_claim(client, submitted, district_leader):
    page = body(as_user(client, district_leader).get(reverse("reporting:milestone_list")))
    assert "P01-1" in page and "已完成" in page  # the claim in the latest report
    assert "调整（记入审计）" not in page


def test_notifications_are_private_and_marked_read(client, district_admin, department_reporter):
    from ruraledu.channels.services import DISTRICT_WIDE
    from ruraledu.reporting.reminders import notify

    notify(
        recipients=[district_admin],
        concerns=DISTRICT_WIDE,
        kind="submitted",
        title="待审核：甲",
        url="/reporting/review/",
        dedupe_key="k",
    )
    notice = district_admin.notifications.get()
    client.force_login(department_reporter)
    assert client.post(reverse("reporting:notification_read", args=[notice.pk])).status_code == 404
    client.force_login(district_admin)
    response = client.post(reverse("reporting:notification_read", args=[notice.pk]))
    assert response.url == "/reporting/review/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_menu_counts_the_unread_notices(client, district_admin):
    from ruraledu.channels.services import DISTRICT_WIDE
    from ruraledu.reporting.reminders import notify

    for key in ("a", "b"):
        notify(
            recipients=[district_admin],
            concerns=DISTRICT_WIDE,
            kind="submitted",
            title=key,
            dedupe_key=key,
        )
    page = body(as_user(client, district_admin).get(reverse("reporting:my_reports")))
    assert '通知 <span class="badge rounded-pill text-bg-danger">2<span' in page
    # the collapsed menu's button (phones) carries the count too
    assert 'aria-label="展开菜单（2 条未读通知）"' in page
    assert 'data-testid="nav-toggler-unread" aria-hidden="true">2</span>' in page
    client.post(reverse("reporting:notification_read_all"))
    page = body(client.get(reverse("reporting:my_reports")))
    assert "条未读" not in page and "nav-toggler-unread" not in page


def test_a_review_settles_the_reviewers_notices_of_the_report(
    submitted, district_admin, department_reporter
):
    from ruraledu.reporting import reminders

    reminders.notify_reviewers_of_report(report_id=submitted.pk)
    assert district_admin.notifications.filter(read_at__isnull=True).count() == 1
    reminders.notify_reporters_of_report(report_id=submitted.pk, kind="returned")
    assert district_admin.notifications.filter(read_at__isnull=True).count() == 0
    returned = department_reporter.notifications.get()
    assert returned.read_at is None
    # handed in again: the return notice has been acted on
    reminders.notify_reviewers_of_report(report_id=submitted.pk)
    returned.refresh_from_db()
    assert returned.read_at is not None


def test_the_nav_offers_reporting_pages_by_role(client, district_admin, department_reporter):
    page = body(as_user(client, department_reporter).get(reverse("reporting:notification_list")))
    assert "我的报告" in page and "审核队列" not in page
    page = body(as_user(client, district_admin).get(reverse("reporting:notification_list")))
    assert "审核队列" in page and "审计记录" in page and "我的报告" not in page


@pytest.mark.parametrize(("typed", "message"), [("-50", "大于或等于"), ("100000000", "小于或等于")])
def test_a_percentage_below_0_or_above_100_is_refused_on_the_form(
    client, draft, department_reporter, measured, typed, message
):
    client = as_user(client, department_reporter)
    response = client.post(
        reverse("reporting:report_edit", args=[draft.pk]),
        {"version": 1, "work_done": "已填", f"value_{measured.pk}": typed, "action": "save"},
    )
    assert response.status_code == 400
    page = body(response)
    assert message in page and typed in page  # the field says why and keeps what was typed
    line = draft.lines.get(target=measured)
    assert line.value is None
    draft.refresh_from_db()
    assert (draft.work_done, draft.version) == ("", 1)


def test_the_form_points_to_the_platform_figure_by_name_not_by_side(
    client, draft, department_reporter, measured
):
    # on a phone the platform's figure sits below the field, not "右侧"
    page = body(
        as_user(client, department_reporter).get(reverse("reporting:report_edit", args=[draft.pk]))
    )
    assert "“平台测算值”为平台根据登记数据测算的最新值" in page
    assert "右侧" not in page
