"""Progress reports: start, edit, hand in, return and approve, with their events."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ruraledu.accounts.scoping import user_departments
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.versions import check_version
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.choices import MilestoneStatus, TargetKind

from .. import reminders
from ..bounds import value_problem
from ..choices import (
    EDITABLE_STATUSES,
    WAITING_STATUSES,
    NotificationKind,
    ReportEventKind,
    ReportStatus,
)
from ..models import (
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ReportTargetLine,
)
from ..querysets import authoring_paths
from .common import LOCKED, NOT_AUTHOR, NOT_REVIEWER, STALE
from .milestones import target_milestone_set


def report_event_create(
    *, report: ProgressReport, actor, kind: str, from_status: str = "", message: str = ""
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=report.status,
        message=message,
    )


def _authors(actor, *, department: Department | None, org_unit: OrgUnit | None) -> bool:
    if department is not None:
        return department.pk in {d.pk for d in user_departments(actor)}
    return any(org_unit.path.startswith(p) for p in authoring_paths(actor))


@transaction.atomic
def report_start(
    *,
    period: ReportingPeriod,
    actor,
    department: Department | None = None,
    org_unit: OrgUnit | None = None,
    address: str | None = None,
    today: dt.date | None = None,
) -> ProgressReport:
    """The draft report of a department or a school for a period, created if missing."""
    today = today or timezone.localdate()
    if (department is None) == (org_unit is None):
        raise ValidationError("报告必须属于一个部门或一个单位。")
    if not _authors(actor, department=department, org_unit=org_unit):
        raise PermissionDenied("您不是该单位的填报员，不能填报这份报告。")
    schedule = getattr(period.project, "reporting_schedule", None)
    listed = schedule is not None and (
        schedule.departments.filter(pk=department.pk).exists()
        if department is not None
        else schedule.org_units.filter(pk=org_unit.pk).exists()
    )
    if not listed:
        raise ValidationError("该单位不在这个项目的填报单位名单中。")
    if period.starts_on > today:
        raise ValidationError("该报告期尚未开始，不能填报。")
    unit_filter = {"department": department} if department else {"org_unit": org_unit}
    existing = ProgressReport.objects.filter(period=period, **unit_filter).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = ProgressReport(period=period, created_by=actor, **unit_filter)
            # the one-report rule is the database's: a report started since the look-up above
            # is returned below (checked here, its message named the rule to the reporter)
            report.full_clean(validate_constraints=False)
            report.save()
    except IntegrityError:  # a second click created it in the meantime
        return ProgressReport.objects.get(period=period, **unit_filter)
    ReportTargetLine.objects.bulk_create(
        ReportTargetLine(report=report, target=target) for target in period.project.targets.all()
    )
    report_event_create(report=report, actor=actor, kind=ReportEventKind.CREATED)
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.CREATE,
        after=snapshot(report, ["period", "department", "org_unit", "status"]),
        summary="创建报告草稿",
        address=address,
    )
    return report


def _lock(report: ProgressReport) -> ProgressReport:
    """The report's row, locked until the transaction ends (a competing reviewer waits)."""
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("period__project", "department", "org_unit")
        .get(pk=report.pk)
    )


def _ensure_author(actor, report: ProgressReport) -> None:
    if not ProgressReport.objects.authored_by(actor).filter(pk=report.pk).exists():
        raise PermissionDenied(NOT_AUTHOR)


def _ensure_reviewer(actor, report: ProgressReport) -> None:
    if not ProgressReport.objects.for_user(actor, "review").filter(pk=report.pk).exists():
        raise PermissionDenied(NOT_REVIEWER)


def _ensure_editable(report: ProgressReport) -> None:
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(LOCKED)
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError("报告已提交，正在审核中，不能修改。如需修改，请联系区教体局退回。")


def _report_values(report: ProgressReport) -> dict:
    """The reporter's content, flat ("P25-1.progress") so that an audit row shows each change."""
    values = snapshot(report, ["work_done", "problems", "next_steps"])
    for line in report.lines.select_related("target"):
        if line.target.kind == TargetKind.MILESTONE:
            values[f"{line.target.code}.progress"] = line.progress
        else:
            values[f"{line.target.code}.value"] = snapshot(line, ["value"])["value"]
        values[f"{line.target.code}.note"] = line.note
    return values


@transaction.atomic
def report_update(
    *,
    report: ProgressReport,
    actor,
    expected_version: int | None,
    work_done: str,
    problems: str,
    next_steps: str,
    lines: dict[int, dict] | None = None,
    address: str | None = None,
) -> ProgressReport:
    """Save the reporter's text and target lines. `lines` maps a target id to its
    `progress` (milestones), `value` (measured targets) and `note`."""
    report = _lock(report)
    _ensure_author(actor, report)
    _ensure_editable(report)
    check_version(STALE, what="报告", seen=expected_version, now=report.version)
    before = _report_values(report)
    report.work_done = work_done.strip()
    report.problems = problems.strip()
    report.next_steps = next_steps.strip()
    changed_lines = []
    for line in report.lines.select_related("target"):
        given = (lines or {}).get(line.target_id)
        if given is None:
            continue
        if line.target.kind == TargetKind.MILESTONE:
            progress = given.get("progress") or ""
            if progress and progress not in MilestoneStatus.values:
                raise ValidationError(f"节点任务“{line.target.code}”的进展不正确。")
            line.progress = progress
        else:
            value = given.get("value")
            line.value = Decimal(value) if value not in (None, "") else None
            if line.value is not None and (problem := value_problem(line.target, line.value)):
                raise ValidationError(f"目标“{line.target.code}”的本期填报数值{problem}。")
        line.note = (given.get("note") or "").strip()
        line.full_clean()
        changed_lines.append(line)
    ReportTargetLine.objects.bulk_update(changed_lines, ["progress", "value", "note"])
    after = _report_values(report)
    if after == before:
        return report
    report.version += 1
    report.full_clean()
    report.save()
    report_event_create(
        report=report, actor=actor, kind=ReportEventKind.SAVED, from_status=report.status
    )
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.UPDATE,
        before=before,
        after=after,
        summary="修改报告内容",
        address=address,
    )
    return report


def _check_complete(report: ProgressReport) -> None:
    problems = []
    if not report.work_done.strip():
        problems.append("请填写“本期工作完成情况”。")
    evidence_targets = set(report.evidence.values_list("target_id", flat=True))
    for line in report.lines.select_related("target"):
        if line.target.kind != TargetKind.MILESTONE:
            continue
        if not line.progress:
            problems.append(f"请选择节点任务“{line.target.code}”的进展。")
        elif line.progress == MilestoneStatus.DONE and line.target_id not in evidence_targets:
            problems.append(f"节点任务“{line.target.code}”填报为已完成，须上传对应的佐证材料。")
    if problems:
        raise ValidationError(problems)


def _hand_in(
    *,
    report: ProgressReport,
    actor,
    expected_version: int | None,
    address: str | None,
    from_status: str,
    to_status: str,
    kind: str,
) -> ProgressReport:
    report = _lock(report)
    _ensure_author(actor, report)
    if report.status != from_status:
        raise ValidationError(_hand_in_refusal(report.status, from_status))
    check_version(STALE, what="报告", seen=expected_version, now=report.version)
    _check_complete(report)
    report.status = to_status
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.version += 1
    report.full_clean()
    report.save()
    report_event_create(report=report, actor=actor, kind=kind, from_status=from_status)
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.TRANSITION,
        before={"status": from_status},
        after={"status": to_status},
        summary=ReportEventKind(kind).label,
        address=address,
    )
    transaction.on_commit(partial(reminders.notify_reviewers_of_report, report_id=report.pk))
    return report


def _hand_in_refusal(status: str, wanted_from: str) -> str:
    if status == ReportStatus.APPROVED:
        return "该报告已审核通过并锁定，不能再提交。"
    if status in WAITING_STATUSES:
        return "该报告已提交，正在等待审核，不能重复提交。"
    if status == ReportStatus.RETURNED:
        return "该报告已被退回，请修改后“重新提交”。"
    return "该报告还是草稿，尚未提交过，请使用“提交”。"


@transaction.atomic
def report_submit(
    *,
    report: ProgressReport,
    actor,
    expected_version: int | None = None,
    address: str | None = None,
) -> ProgressReport:
    """Submit a draft for the bureau's review; reviewers are notified after commit."""
    return _hand_in(
        report=report,
        actor=actor,
        expected_version=expected_version,
        address=address,
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.SUBMITTED,
        kind=ReportEventKind.SUBMITTED,
    )


@transaction.atomic
def report_resubmit(
    *,
    report: ProgressReport,
    actor,
    expected_version: int | None = None,
    address: str | None = None,
) -> ProgressReport:
    """Submit a returned report again after fixing it."""
    return _hand_in(
        report=report,
        actor=actor,
        expected_version=expected_version,
        address=address,
        from_status=ReportStatus.RETURNED,
        to_status=ReportStatus.RESUBMITTED,
        kind=ReportEventKind.RESUBMITTED,
    )


# a review is a decision on what was read: the reviewer reads the change before deciding again
REVIEW_STALE = (
    "该报告在您打开之后已有新的处理或修改，本次操作未执行。请刷新页面查看最新内容后再审核。"
)


def _review_refusal(report: ProgressReport) -> str:
    if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
        return (
            f"该报告已被其他审核人处理（当前状态：{report.get_status_display()}），"
            "本次操作未执行。请刷新页面查看。"
        )
    return "该报告尚未提交，不能审核。"


def _lock_for_review(report: ProgressReport, actor, expected_version: int | None) -> ProgressReport:
    report = _lock(report)
    _ensure_reviewer(actor, report)
    if report.status not in WAITING_STATUSES:
        raise ValidationError(_review_refusal(report))
    check_version(REVIEW_STALE, what="报告", seen=expected_version, now=report.version)
    return report


@transaction.atomic
def report_return(
    *,
    report: ProgressReport,
    actor,
    reason: str,
    expected_version: int | None = None,
    address: str | None = None,
) -> ProgressReport:
    """Send a submitted report back to its authors with the reason; they are notified."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("退回时必须填写退回原因。")
    report = _lock_for_review(report, actor, expected_version)
    from_status = report.status
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.version += 1
    report.full_clean()
    report.save()
    report_event_create(
        report=report,
        actor=actor,
        kind=ReportEventKind.RETURNED,
        from_status=from_status,
        message=reason,
    )
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.TRANSITION,
        before={"status": from_status},
        after={"status": report.status, "return_reason": reason},
        summary=f"退回修改：{reason}",
        address=address,
    )
    transaction.on_commit(
        partial(
            reminders.notify_reporters_of_report,
            report_id=report.pk,
            kind=NotificationKind.RETURNED,
        )
    )
    return report


@transaction.atomic
def report_approve(
    *,
    report: ProgressReport,
    actor,
    expected_version: int | None = None,
    confirm_done: Iterable[int] = (),
    comment: str = "",
    address: str | None = None,
) -> ProgressReport:
    """Approve and lock a submitted report. The milestone targets in `confirm_done` (ids of
    targets the report claims 已完成) become 已完成 on the plan; a milestone reported 推进中
    that had not started becomes 推进中. Targets are re-evaluated for the cockpit."""
    report = _lock_for_review(report, actor, expected_version)
    lines = {line.target_id: line for line in report.lines.select_related("target")}
    confirmed = []
    for target_id in sorted({int(t) for t in confirm_done}):
        line = lines.get(target_id)
        if line is None or line.target.kind != TargetKind.MILESTONE:
            raise ValidationError("只能确认本报告中的节点任务。")
        if line.progress != MilestoneStatus.DONE:
            raise ValidationError(f"节点任务“{line.target.code}”未填报为已完成，不能确认完成。")
        confirmed.append(line)
    from_status = report.status
    report.status = ReportStatus.APPROVED
    report.review_comment = (comment or "").strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.version += 1
    report.full_clean()
    report.save()
    report_event_create(
        report=report,
        actor=actor,
        kind=ReportEventKind.APPROVED,
        from_status=from_status,
        message=report.review_comment,
    )
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.TRANSITION,
        before={"status": from_status},
        after={"status": report.status, "review_comment": report.review_comment},
        summary="审核通过（报告已锁定）",
        address=address,
    )
    moved = False
    for line in confirmed:
        line.done_confirmed = True
        line.save(update_fields=["done_confirmed"])
        moved |= target_milestone_set(
            target=line.target,
            status=MilestoneStatus.DONE,
            actor=actor,
            report=report,
            address=address,
            evaluate=False,
        )
        report_event_create(
            report=report,
            actor=actor,
            kind=ReportEventKind.MILESTONE_DONE,
            from_status=report.status,
            message=f"{line.target.code} {line.target.text}",
        )
    for line in lines.values():
        if (
            line.target.kind == TargetKind.MILESTONE
            and line.progress == MilestoneStatus.IN_PROGRESS
            and line.target.milestone_status in ("", MilestoneStatus.NOT_STARTED)
        ):
            moved |= target_milestone_set(
                target=line.target,
                status=MilestoneStatus.IN_PROGRESS,
                actor=actor,
                report=report,
                address=address,
                evaluate=False,
            )
    if moved:
        evaluate_targets()
    transaction.on_commit(
        partial(
            reminders.notify_reporters_of_report,
            report_id=report.pk,
            kind=NotificationKind.APPROVED,
        )
    )
    return report
