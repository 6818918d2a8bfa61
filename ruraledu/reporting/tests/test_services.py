"""Every workflow transition, allowed and refused, per role; locking; optimistic concurrency;
milestones reaching the cockpit's target state; an audit row for every change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from ruraledu.accounts.choices import Action
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.choices import TargetStatus
from ruraledu.indicators.models import TargetState
from ruraledu.plans.choices import MilestoneStatus
from ruraledu.reporting import services
from ruraledu.reporting.choices import ReportEventKind, ReportStatus
from ruraledu.reporting.models import (
    EvidenceFile,
    Notification,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
)

from .conftest import PDF, TODAY, fill, start


def audit_actions(report) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(object_id=str(report.pk), content_type__model="progressreport")
        .order_by("at", "pk")
        .values_list("action", "summary")
    )


def state(report) -> tuple:
    report.refresh_from_db()
    return report.status, report.version, report.return_reason


# ------------------------------------------------------------------ schedules and periods


def test_a_schedule_creates_the_started_quarters_with_deadlines(schedule):
    periods = list(ReportingPeriod.objects.filter(project=schedule.project).order_by("starts_on"))
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ]
    assert [p.label for p in periods] == ["2026年第1季度", "2026年第2季度"]
    assert AuditEvent.objects.get(content_type__model="reportingschedule").action == "create"


def test_only_the_bureau_sets_a_schedule(project, department_reporter, district_leader):
    for user in (department_reporter, district_leader):
        with pytest.raises(PermissionDenied):
            services.schedule_set(
                project=project,
                actor=user,
                frequency="monthly",
                deadline_working_days=5,
                starts_on=dt.date(2026, 1, 1),
            )


def test_a_stale_schedule_form_is_refused(schedule, district_admin):
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.schedule_set(
            project=schedule.project,
            actor=district_admin,
            frequency="monthly",
            deadline_working_days=5,
            starts_on=dt.date(2026, 1, 1),
            expected_version=schedule.version - 1,
        )
    schedule.refresh_from_db()
    assert schedule.frequency == "quarterly"


# ------------------------------------------------------------------ starting a report


def test_a_department_reporter_starts_its_draft_once(period, department_reporter, department):
    report = start(period, department_reporter, department=department)
    again = start(period, department_reporter, department=department)
    assert again.pk == report.pk
    assert report.status == ReportStatus.DRAFT
    assert report.lines.count() == 2
    assert ReportEvent.objects.filter(report=report).count() == 1
    assert audit_actions(report) == [("create", "创建报告草稿")]


@pytest.mark.parametrize(
    "persona", ["district_admin", "district_leader", "school_clerk", "outsider", "town_officer"]
)
def test_others_cannot_start_a_department_report(request, period, department, persona):
    with pytest.raises(PermissionDenied):
        start(period, request.getfixturevalue(persona), department=department)
    assert not ProgressReport.objects.exists()


def test_a_school_report_is_started_by_the_school_or_its_town(
    period, school_clerk, town_officer, school_a
):
    report = start(period, school_clerk, org_unit=school_a.org_unit)
    assert start(period, town_officer, org_unit=school_a.org_unit).pk == report.pk


def test_a_report_started_twice_at_once_is_the_same_report(
    period, school_clerk, town_officer, school_a, monkeypatch
):
    # given the school's report, started by its clerk
    report = start(period, school_clerk, org_unit=school_a.org_unit)
    # when the town office starts it too, having looked before the clerk's was committed
    first = QuerySet.first
    monkeypatch.setattr(
        QuerySet, "first", lambda qs: None if qs.model is ProgressReport else first(qs)
    )
    # then it opens the same report, not an error naming the one-report rule
    assert start(period, town_officer, org_unit=school_a.org_unit).pk == report.pk
    assert ProgressReport.objects.count() == 1


def test_a_clerk_of_another_school_cannot_start_it(period, outsider, school_a):
    with pytest.raises(PermissionDenied):
        start(period, outsider, org_unit=school_a.org_unit)


def test_a_unit_not_on_the_schedule_cannot_report(period, outsider, school_b):
    with pytest.raises(ValidationError, match="不在这个项目的填报单位名单中"):
        start(period, outsider, org_unit=school_b.org_unit)


def test_a_period_not_yet_started_cannot_be_reported(period, department_reporter, department):
    with pytest.raises(ValidationError, match="尚未开始"):
        services.report_start(
            period=period,
            actor=department_reporter,
            department=department,
            today=dt.date(2025, 12, 31),
        )


# ------------------------------------------------------------------ editing


def test_the_reporter_saves_and_the_version_grows(draft, department_reporter, milestone, measured):
    # when
    report = services.report_update(
        report=draft,
        actor=department_reporter,
        expected_version=1,
        work_done=" 招聘 30 人 ",
        problems="",
        next_steps="",
        lines={
            milestone.pk: {"progress": "in_progress", "note": "起草中"},
            measured.pk: {"value": "87.5", "note": ""},
        },
    )
    # then
    assert (report.work_done, report.version) == ("招聘 30 人", 2)
    line = report.lines.get(target=measured)
    assert str(line.value.normalize()) == "87.5"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.before == {
        "work_done": "",
        "P01-1.progress": "",
        "P01-1.note": "",
        "P01-2.value": None,
    }
    assert event.after == {
        "work_done": "招聘 30 人",
        "P01-1.progress": "in_progress",
        "P01-1.note": "起草中",
        "P01-2.value": "87.5",
    }


def test_a_save_on_a_stale_copy_is_refused_and_nothing_changes(draft, department_reporter):
    # given someone saved after this form was opened (version 1 → 2)
    services.report_update(
        report=draft,
        actor=department_reporter,
        expected_version=1,
        work_done="第一次",
        problems="",
        next_steps="",
    )
    # when the stale form (version 1) is saved
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.report_update(
            report=draft,
            actor=department_reporter,
            expected_version=1,
            work_done="覆盖",
            problems="",
            next_steps="",
        )
    # then the first save stands
    draft.refresh_from_db()
    assert (draft.work_done, draft.version) == ("第一次", 2)


@pytest.mark.parametrize(
    "persona", ["district_admin", "district_leader", "school_clerk", "outsider"]
)
def test_only_the_department_edits_its_report(request, draft, persona):
    with pytest.raises(PermissionDenied):
        services.report_update(
            report=draft,
            actor=request.getfixturevalue(persona),
            expected_version=1,
            work_done="x",
            problems="",
            next_steps="",
        )
    assert state(draft) == (ReportStatus.DRAFT, 1, "")


def test_a_submitted_report_cannot_be_edited(submitted, department_reporter):
    with pytest.raises(ValidationError, match="正在审核中"):
        services.report_update(
            report=submitted,
            actor=department_reporter,
            expected_version=submitted.version,
            work_done="x",
            problems="",
            next_steps="",
        )


# ------------------------------------------------------------------ submitting


def test_an_incomplete_report_is_not_submitted(draft, department_reporter, milestone):
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=draft, actor=department_reporter)
    assert refused.value.messages == [
        "请填写“本期工作完成情况”。",
        "请选择节点任务“P01-1”的进展。",
    ]
    # a milestone reported done needs its evidence
    report = fill(draft, department_reporter, milestone, evidence=False)
    with pytest.raises(ValidationError, match="须上传对应的佐证材料"):
        services.report_submit(report=report, actor=department_reporter)
    assert state(draft)[0] == ReportStatus.DRAFT


def test_the_reporter_submits_and_the_reviewers_are_told(
    draft,
    department_reporter,
    milestone,
    district_admin,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # given a reviewer with an e-mail address
    district_admin.email = "bureau@example.org"
    district_admin.save()
    report = fill(draft, department_reporter, milestone)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(
            report=report, actor=department_reporter, expected_version=report.version
        )
    # then
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == department_reporter
    notice = Notification.objects.get(recipient=district_admin)
    assert notice.title.startswith("待审核：")
    assert [m.to for m in mailoutbox] == [["bureau@example.org"]]
    assert audit_actions(report)[-1] == ("transition", "提交")


def test_a_submitted_report_is_not_submitted_twice(submitted, department_reporter):
    with pytest.raises(ValidationError, match="不能重复提交"):
        services.report_submit(report=submitted, actor=department_reporter)
    with pytest.raises(ValidationError, match="不能重复提交"):
        services.report_resubmit(report=submitted, actor=department_reporter)


def test_a_draft_is_submitted_not_resubmitted(draft, department_reporter):
    with pytest.raises(ValidationError, match="尚未提交过"):
        services.report_resubmit(report=draft, actor=department_reporter)


@pytest.mark.parametrize("persona", ["district_admin", "district_leader", "outsider"])
def test_others_cannot_submit(request, draft, department_reporter, milestone, persona):
    report = fill(draft, department_reporter, milestone)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=request.getfixturevalue(persona))
    assert state(report)[0] == ReportStatus.DRAFT


# ------------------------------------------------------------------ returning and resubmitting


def test_a_return_needs_a_reason(submitted, district_admin):
    with pytest.raises(ValidationError, match="必须填写退回原因"):
        services.report_return(report=submitted, actor=district_admin, reason="  ")
    assert state(submitted)[0] == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    "persona", ["department_reporter", "district_leader", "town_officer", "school_clerk"]
)
def test_only_reviewers_return_or_approve(request, submitted, persona):
    user = request.getfixturevalue(persona)
    before = state(submitted)
    with pytest.raises(PermissionDenied):
        services.report_return(report=submitted, actor=user, reason="不行")
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, actor=user)
    assert state(submitted) == before


def test_the_bureau_returns_then_the_reporter_fixes_and_resubmits(
    submitted,
    district_admin,
    department_reporter,
    milestone,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    department_reporter.email = "health@example.org"
    department_reporter.save()
    # when the bureau returns it
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(
            report=submitted,
            actor=district_admin,
            reason="请补充招聘人数。",
            expected_version=submitted.version,
            address="10.1.2.3",
        )
    # then it is back with the reporter, who is told why
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "请补充招聘人数。")
    notice = Notification.objects.get(recipient=department_reporter)
    assert "请补充招聘人数。" in notice.body
    assert mailoutbox[-1].to == ["health@example.org"]
    returned = AuditEvent.objects.filter(summary__startswith="退回修改").get()
    assert (returned.address, returned.after["status"]) == ("10.1.2.3", "returned")
    # a returned report is not submitted, it is resubmitted
    with pytest.raises(ValidationError, match="重新提交"):
        services.report_submit(report=report, actor=department_reporter)
    # when the reporter fixes and resubmits
    report = services.report_update(
        report=report,
        actor=department_reporter,
        expected_version=report.version,
        work_done="招聘 30 人，已全部到岗。",
        problems="",
        next_steps="",
    )
    report = services.report_resubmit(
        report=report, actor=department_reporter, expected_version=report.version
    )
    # then
    assert report.status == ReportStatus.RESUBMITTED
    assert list(report.events.values_list("kind", flat=True)) == [
        "created",
        "saved",
        "evidence_added",
        "submitted",
        "returned",
        "saved",
        "resubmitted",
    ]


def test_a_second_reviewer_on_a_handled_report_is_told_and_nothing_is_overwritten(
    submitted, district_admin, second_admin
):
    # given both reviewers opened version v
    version = submitted.version
    services.report_approve(report=submitted, actor=district_admin, expected_version=version)
    # when the second one returns it from the same page
    with pytest.raises(ValidationError) as refused:
        services.report_return(
            report=submitted, actor=second_admin, reason="迟到的退回", expected_version=version
        )
    # then
    assert refused.value.messages == [
        "该报告已被其他审核人处理（当前状态：已通过），本次操作未执行。请刷新页面查看。"
    ]
    assert state(submitted) == (ReportStatus.APPROVED, version + 1, "")
    with pytest.raises(ValidationError, match="已被其他审核人处理"):
        services.report_approve(report=submitted, actor=second_admin, expected_version=version)


def test_a_draft_cannot_be_reviewed(draft, district_admin):
    with pytest.raises(ValidationError, match="尚未提交"):
        services.report_approve(report=draft, actor=district_admin)
    with pytest.raises(ValidationError, match="尚未提交"):
        services.report_return(report=draft, actor=district_admin, reason="x")


# ------------------------------------------------------------------ approving and locking


def test_approval_marks_the_milestone_done_and_the_target_state_follows(
    submitted, district_admin, department_reporter, milestone
):
    # when the bureau approves and confirms the milestone
    report = services.report_approve(
        report=submitted,
        actor=district_admin,
        expected_version=submitted.version,
        confirm_done=[milestone.pk],
        comment="同意",
    )
    # then the report is locked and the target is 已完成 for the cockpit
    assert report.status == ReportStatus.APPROVED
    milestone.refresh_from_db()
    assert milestone.milestone_status == MilestoneStatus.DONE
    assert TargetState.objects.get(target=milestone).status == TargetStatus.DONE
    assert report.lines.get(target=milestone).done_confirmed is True
    target_audit = AuditEvent.objects.get(content_type__model="target", object_id=str(milestone.pk))
    assert (target_audit.before, target_audit.after) == (
        {"milestone_status": ""},
        {"milestone_status": "done"},
    )
    assert ReportEvent.objects.filter(report=report, kind=ReportEventKind.MILESTONE_DONE).exists()


def test_an_approved_report_is_locked(submitted, district_admin, department_reporter, milestone):
    services.report_approve(report=submitted, actor=district_admin)
    version = state(submitted)[1]
    with pytest.raises(ValidationError, match="锁定"):
        services.report_update(
            report=submitted,
            actor=department_reporter,
            expected_version=version,
            work_done="改",
            problems="",
            next_steps="",
        )
    with pytest.raises(ValidationError, match="锁定"):
        services.evidence_add(
            report=submitted, actor=department_reporter, data=PDF, filename="a.pdf"
        )
    evidence = EvidenceFile.objects.get(report=submitted)
    with pytest.raises(ValidationError, match="锁定"):
        services.evidence_remove(evidence=evidence, actor=department_reporter)
    with pytest.raises(ValidationError, match="锁定"):
        services.report_submit(report=submitted, actor=department_reporter)
    assert state(submitted) == (ReportStatus.APPROVED, version, "")


def test_only_claimed_milestones_can_be_confirmed(
    draft, department_reporter, milestone, district_admin
):
    report = fill(draft, department_reporter, milestone, progress="in_progress", evidence=False)
    report = services.report_submit(report=report, actor=department_reporter)
    with pytest.raises(ValidationError, match="未填报为已完成"):
        services.report_approve(report=report, actor=district_admin, confirm_done=[milestone.pk])
    # approving without confirming moves a not-started milestone to 推进中
    services.report_approve(report=report, actor=district_admin)
    milestone.refresh_from_db()
    assert milestone.milestone_status == MilestoneStatus.IN_PROGRESS
    assert TargetState.objects.get(target=milestone).status in (
        TargetStatus.IN_PROGRESS,
        TargetStatus.OVERDUE,
    )


def test_only_the_bureau_sets_a_milestone(milestone, department_reporter, district_leader):
    for user in (department_reporter, district_leader):
        with pytest.raises(PermissionDenied):
            services.target_milestone_set(target=milestone, status="done", actor=user)
    milestone.refresh_from_db()
    assert milestone.milestone_status == ""


def test_a_measured_target_has_no_milestone_status(measured, district_admin):
    with pytest.raises(ValidationError, match="只有节点任务"):
        services.target_milestone_set(target=measured, status="done", actor=district_admin)


# ------------------------------------------------------------------ scope


def test_report_scope_per_role(
    period,
    department,
    school_a,
    department_reporter,
    school_clerk,
    town_officer,
    outsider,
    district_leader,
    district_admin,
):
    department_report = start(period, department_reporter, department=department)
    school_report = start(period, school_clerk, org_unit=school_a.org_unit)

    def visible(user, action=Action.VIEW):
        return set(ProgressReport.objects.for_user(user, action).values_list("pk", flat=True))

    both = {department_report.pk, school_report.pk}
    assert visible(department_reporter) == {department_report.pk}
    assert visible(school_clerk) == {school_report.pk}
    assert visible(town_officer) == {school_report.pk}
    assert visible(outsider) == set()
    assert visible(district_leader) == set()  # drafts: authors and reviewers only
    assert visible(district_admin) == both
    assert visible(district_admin, Action.REVIEW) == both
    assert visible(district_leader, Action.REVIEW) == set()
    assert visible(department_reporter, Action.REVIEW) == set()
    assert set(ProgressReport.objects.authored_by(district_admin)) == set()
    # once handed in, the whole view scope sees them
    ProgressReport.objects.update(status=ReportStatus.SUBMITTED)
    assert visible(district_leader) == both
    assert visible(town_officer) == {school_report.pk}
    assert visible(department_reporter) == {department_report.pk}


# ------------------------------------------------------------------ audit of every step


def test_every_step_of_the_workflow_is_audited(
    draft, department_reporter, milestone, district_admin
):
    report = fill(draft, department_reporter, milestone)
    report = services.report_submit(report=report, actor=department_reporter)
    report = services.report_return(report=report, actor=district_admin, reason="补充")
    report = services.report_update(
        report=report,
        actor=department_reporter,
        expected_version=report.version,
        work_done="补充后",
        problems="",
        next_steps="",
    )
    report = services.report_resubmit(report=report, actor=department_reporter)
    services.report_approve(report=report, actor=district_admin, confirm_done=[milestone.pk])
    assert [a for a, _ in audit_actions(report)] == [
        "create",
        "update",
        "upload",
        "transition",
        "transition",
        "update",
        "transition",
        "transition",
    ]
    assert AuditEvent.objects.filter(content_type__model="target").count() == 1


def test_today_fixture_is_in_the_second_quarter():
    assert TODAY.month == 5


@pytest.mark.parametrize(
    ("unit", "value", "problem"),
    [("%", "-5", "不能小于 0"), ("%", "100.5", "不能大于 100%"), ("人", "-1", "不能小于 0")],
)
def test_a_value_no_measure_can_take_is_refused(
    draft, department_reporter, measured, unit, value, problem
):
    measured.unit = unit
    measured.save()

    def save(value):
        return services.report_update(
            report=draft,
            actor=department_reporter,
            expected_version=1,
            work_done="x",
            problems="",
            next_steps="",
            lines={measured.pk: {"value": value, "note": ""}},
        )

    with pytest.raises(ValidationError, match=problem):
        save(value)
    assert draft.lines.get(target=measured).value is None
    # a count has no upper bound; a percentage may be 100
    save("100" if unit == "%" else "2500")
    assert draft.lines.get(target=measured).value == (100 if unit == "%" else 2500)
