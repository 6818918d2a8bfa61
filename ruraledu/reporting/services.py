"""Writes of the reporting app: the holiday table, schedules and periods, progress reports and
their review, evidence files and milestone status. Every change writes an audit row (and a
ReportEvent for report steps) in the same transaction; notices go out after commit."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import user_departments
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record, snapshot
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.choices import MilestoneStatus, TargetKind
from ruraledu.plans.models import Project, Target

from . import reminders
from .choices import (
    EDITABLE_STATUSES,
    WAITING_STATUSES,
    CalendarDayKind,
    CalendarDaySource,
    NotificationKind,
    ReportEventKind,
    ReportStatus,
)
from .evidence import EvidenceRefused, check_evidence
from .models import (
    CalendarDay,
    EvidenceFile,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ReportingSchedule,
    ReportTargetLine,
)
from .periods import periods_between
from .querysets import authoring_paths
from .workdays import WorkingCalendar

STALE = (
    "该报告在您打开之后已被他人修改，为避免覆盖，本次操作未执行。请刷新页面，查看最新内容后再操作。"
)
LOCKED = "该报告已审核通过并锁定，不能再修改。"
NOT_AUTHOR = "只有本单位的填报员可以修改或提交这份报告。"
NOT_REVIEWER = "只有区教体局的审核人员可以审核报告。"
NOT_BUREAU = "只有区教体局可以进行此项设置。"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def bureau_department_code() -> str:
    """The reviewing bureau's own department, which does not report to itself."""
    return getattr(settings, "REPORTING_BUREAU_DEPARTMENT_CODE", "education")


def _ensure_bureau(actor) -> None:
    if not is_bureau(actor):
        raise PermissionDenied(NOT_BUREAU)


# ------------------------------------------------------------------ holiday table


@transaction.atomic
def holidays_seed(*, years: Iterable[int] | None = None, actor=None) -> int:
    """Copy the chinese-calendar package's holidays and 调休 working days of `years` (default:
    every year it knows) into the table. Days already in the table are left as they are, so
    the bureau's corrections win and a second run adds nothing. Returns the rows added."""
    from chinese_calendar.constants import holidays, workdays

    wanted = set(years) if years is not None else None
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = []
    for days, kind in ((holidays, CalendarDayKind.HOLIDAY), (workdays, CalendarDayKind.WORKDAY)):
        for day, name in sorted(days.items()):
            if (wanted is not None and day.year not in wanted) or day in existing:
                continue
            rows.append(
                CalendarDay(
                    date=day,
                    kind=kind,
                    name=HOLIDAY_NAMES.get(name, name or ""),
                    source=CalendarDaySource.PACKAGE,
                )
            )
    CalendarDay.objects.bulk_create(rows)
    if rows:
        created = CalendarDay.objects.filter(date__in=[r.date for r in rows])
        audit_bulk(
            actor=actor,
            entries=[AuditEntry.of(day, AuditAction.CREATE) for day in created],
            summary=f"从 chinese-calendar 导入节假日安排 {len(rows)} 天",
        )
        period_deadlines_refresh(years={r.date.year for r in rows})
    return len(rows)


@transaction.atomic
def calendar_day_set(
    *, date: dt.date, kind: str, name: str, actor, address: str | None = None
) -> CalendarDay:
    """Add or change one day of the holiday table; deadlines that count through it move."""
    _ensure_bureau(actor)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = snapshot(day) if day else {}
    if day is None:
        day = CalendarDay(date=date)
    day.kind = kind
    day.name = name.strip()
    day.source = CalendarDaySource.MANUAL
    day.full_clean()
    day.save()
    audit_record(
        actor=actor,
        instance=day,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(day),
        summary=f"节假日安排：{day}",
        address=address,
    )
    period_deadlines_refresh(years={date.year})
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor, address: str | None = None) -> None:
    _ensure_bureau(actor)
    audit_record(
        actor=actor,
        instance=day,
        action=AuditAction.DELETE,
        before=snapshot(day),
        summary=f"删除节假日安排：{day}",
        address=address,
    )
    year = day.date.year
    day.delete()
    period_deadlines_refresh(years={year})


def period_deadlines_refresh(*, years: Iterable[int] = (), projects=None) -> int:
    """Recompute the deadlines of the periods whose deadline may count through `years` (or of
    the periods of `projects`). Returns how many moved."""
    periods = ReportingPeriod.objects.select_related("project__reporting_schedule")
    if projects is not None:
        periods = periods.filter(project__in=projects)
    else:
        years = set(years)
        periods = periods.filter(ends_on__year__in=years | {y - 1 for y in years})
    moved = []
    calendars: dict[int, WorkingCalendar] = {}
    for period in periods:
        schedule = getattr(period.project, "reporting_schedule", None)
        if schedule is None:
            continue
        year = period.ends_on.year
        if year not in calendars:
            calendars[year] = WorkingCalendar.load(range(year, year + 2))
        deadline, provisional = calendars[year].add_working_days(
            period.ends_on, schedule.deadline_working_days
        )
        if (deadline, provisional) != (period.deadline, period.deadline_provisional):
            period.deadline, period.deadline_provisional = deadline, provisional
            moved.append(period)
    ReportingPeriod.objects.bulk_update(moved, ["deadline", "deadline_provisional"])
    return len(moved)


# ------------------------------------------------------------------ schedules and periods


def _schedule_values(schedule: ReportingSchedule | None) -> dict:
    if schedule is None or schedule.pk is None:
        return {}
    values = snapshot(
        schedule, ["frequency", "deadline_working_days", "starts_on", "ends_on", "is_active"]
    )
    values["departments"] = sorted(d.name for d in schedule.departments.all())
    values["org_units"] = sorted(u.name for u in schedule.org_units.all())
    return values


@transaction.atomic
def schedule_set(
    *,
    project: Project,
    actor,
    frequency: str,
    deadline_working_days: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    departments: Iterable[Department] = (),
    org_units: Iterable[OrgUnit] = (),
    is_active: bool = True,
    expected_version: int | None = None,
    address: str | None = None,
    today: dt.date | None = None,
) -> ReportingSchedule:
    """Create or change a project's reporting schedule and bring its periods up to date."""
    _ensure_bureau(actor)
    schedule = ReportingSchedule.objects.select_for_update().filter(project=project).first()
    if (
        schedule is not None
        and expected_version is not None
        and schedule.version != expected_version
    ):
        raise ValidationError(
            "报告安排在您打开之后已被他人修改，本次修改未保存。请刷新页面后重新设置。"
        )
    before = _schedule_values(schedule)
    if schedule is None:
        schedule = ReportingSchedule(project=project)
    else:
        schedule.version += 1
    schedule.frequency = frequency
    schedule.deadline_working_days = deadline_working_days
    schedule.starts_on = starts_on
    schedule.ends_on = ends_on
    schedule.is_active = is_active
    schedule.full_clean()
    schedule.save()
    schedule.departments.set(departments)
    schedule.org_units.set(org_units)
    audit_record(
        actor=actor,
        instance=schedule,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=_schedule_values(schedule),
        summary=f"报告安排：{project}",
        address=address,
    )
    periods_sync(schedule=schedule, today=today)
    period_deadlines_refresh(projects=[project])
    return schedule


def periods_sync(*, schedule: ReportingSchedule, today: dt.date | None = None) -> int:
    """Create the schedule's periods that have started by `today` (with their deadlines) and
    drop unused periods that no longer fit it. Returns the number created."""
    today = today or timezone.localdate()
    last = min(today, schedule.ends_on) if schedule.ends_on else today
    wanted = (
        list(periods_between(schedule.frequency, schedule.starts_on, last))
        if schedule.starts_on <= last
        else []
    )
    existing = {(p.starts_on, p.ends_on): p for p in schedule.project.reporting_periods.all()}
    unused = [
        p.pk for key, p in existing.items() if key not in set(wanted) and not p.reports.exists()
    ]
    ReportingPeriod.objects.filter(pk__in=unused).delete()
    calendar = None
    created = []
    for start, end in wanted:
        if (start, end) in existing:
            continue
        if calendar is None:
            calendar = WorkingCalendar.load(range(start.year, today.year + 3))
        deadline, provisional = calendar.add_working_days(end, schedule.deadline_working_days)
        created.append(
            ReportingPeriod(
                project=schedule.project,
                frequency=schedule.frequency,
                starts_on=start,
                ends_on=end,
                deadline=deadline,
                deadline_provisional=provisional,
            )
        )
    ReportingPeriod.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


def periods_ensure_current(*, today: dt.date | None = None) -> int:
    """Create the current period of every active schedule that lacks it (one query when none
    does), so that pages show a new quarter even where the daily job is not scheduled."""
    today = today or timezone.localdate()
    behind = (
        ReportingSchedule.objects.filter(is_active=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(
            project__reporting_periods__starts_on__lte=today,
            project__reporting_periods__ends_on__gte=today,
        )
        .select_related("project")
    )
    created = 0
    for schedule in behind:
        with transaction.atomic():
            created += periods_sync(schedule=schedule, today=today)
    return created


def periods_sync_all(*, today: dt.date | None = None) -> int:
    """Bring every active schedule's periods up to `today` (run daily by send_reminders)."""
    created = 0
    for schedule in ReportingSchedule.objects.filter(is_active=True).select_related("project"):
        with transaction.atomic():
            created += periods_sync(schedule=schedule, today=today)
    return created


# ------------------------------------------------------------------ reports


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
            report.full_clean()
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


def _ensure_version(report: ProgressReport, expected_version: int | None) -> None:
    if expected_version is not None and report.version != expected_version:
        raise ValidationError(STALE)


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
    _ensure_version(report, expected_version)
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
    _ensure_version(report, expected_version)
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
    if expected_version is not None and report.version != expected_version:
        raise ValidationError(
            "该报告在您打开之后已有新的处理或修改，本次操作未执行。请刷新页面查看最新内容后再审核。"
        )
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


# ------------------------------------------------------------------ milestones


@transaction.atomic
def target_milestone_set(
    *,
    target: Target,
    status: str,
    actor,
    report: ProgressReport | None = None,
    note: str = "",
    address: str | None = None,
    evaluate: bool = True,
) -> bool:
    """Set a milestone target's status (the bureau only); returns whether it changed.
    With `evaluate`, target states are recomputed so the cockpit shows it at once."""
    _ensure_bureau(actor)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.kind != TargetKind.MILESTONE:
        raise ValidationError("只有节点任务可以设置完成情况。")
    if status not in MilestoneStatus.values:
        raise ValidationError("节点任务的进展不正确。")
    old = target.milestone_status
    if old == status:
        return False
    target.milestone_status = status
    target.full_clean()
    target.save(update_fields=["milestone_status"])
    old_label = MilestoneStatus(old).label if old else "未设置"
    source = f"，依据进展报告：{report}" if report is not None else ""
    extra = f"。说明：{note.strip()}" if note.strip() else ""
    audit_record(
        actor=actor,
        instance=target,
        action=AuditAction.UPDATE,
        before={"milestone_status": old},
        after={"milestone_status": status},
        summary=f"节点任务 {target.code}：{old_label} → {MilestoneStatus(status).label}{source}{extra}",
        address=address,
    )
    if evaluate:
        evaluate_targets()
    return True


# ------------------------------------------------------------------ evidence


@transaction.atomic
def evidence_add(
    *,
    report: ProgressReport,
    actor,
    data: bytes,
    filename: str,
    target: Target | None = None,
    address: str | None = None,
) -> EvidenceFile:
    """Check and store an evidence file for an editable report (under MEDIA_ROOT)."""
    try:
        checked = check_evidence(data, filename)
    except EvidenceRefused as exc:
        raise ValidationError(exc.message) from exc
    report = _lock(report)
    _ensure_author(actor, report)
    _ensure_editable(report)
    if target is not None and target.project_id != report.period.project_id:
        raise ValidationError("佐证材料只能对应本项目的目标。")
    evidence = EvidenceFile(
        report=report,
        target=target,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"upload{checked.suffix}", ContentFile(data), save=False)
    stored = evidence.file.name
    try:
        evidence.full_clean()
        evidence.save()
        report.version += 1
        report.save(update_fields=["version", "updated_at"])
        report_event_create(
            report=report,
            actor=actor,
            kind=ReportEventKind.EVIDENCE_ADDED,
            from_status=report.status,
            message=checked.name,
        )
        audit_record(
            actor=actor,
            instance=report,
            action=AuditAction.UPLOAD,
            after={
                "evidence": checked.name,
                "target": target.code if target else "",
                "size": checked.size,
                "sha256": checked.sha256,
            },
            summary=f"上传佐证材料：{checked.name}",
            address=address,
        )
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, actor, address: str | None = None) -> None:
    """Remove an evidence file from a report that is still editable."""
    report = _lock(evidence.report)
    _ensure_author(actor, report)
    _ensure_editable(report)
    name, stored, storage = evidence.original_name, evidence.file.name, evidence.file.storage
    audit_record(
        actor=actor,
        instance=report,
        action=AuditAction.UPDATE,
        before={"evidence": name, "sha256": evidence.sha256},
        after={},
        summary=f"删除佐证材料：{name}",
        address=address,
    )
    evidence.delete()
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    report_event_create(
        report=report,
        actor=actor,
        kind=ReportEventKind.EVIDENCE_REMOVED,
        from_status=report.status,
        message=name,
    )
    transaction.on_commit(partial(storage.delete, stored))


# ------------------------------------------------------------------ demo


@transaction.atomic
def reporting_demo_setup(*, today: dt.date | None = None) -> int:
    """Demo data for reporting, safe to call on every start: the holiday table, and quarterly
    schedules (deadline 10 working days after each quarter) for every project that a
    department other than the bureau takes part in — the 区人力资源社会保障局's projects
    among them — plus project 1 reported by the demo clerk's school. A project that already
    has a schedule is left alone, so the bureau's later changes survive. Returns the number of
    schedules created."""
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.models import RoleAssignment

    today = today or timezone.localdate()
    holidays_seed()
    plan = Project.objects.order_by("-plan__start_year").values_list("plan", flat=True).first()
    if plan is None:
        return 0
    bureau = bureau_department_code()
    clerk_units = [
        a.org_unit
        for a in RoleAssignment.objects.filter(
            user__username="clerk", role=Role.SCHOOL_CLERK
        ).select_related("org_unit")
    ]
    created = 0
    projects = Project.objects.filter(plan_id=plan).prefetch_related("responsibilities__department")
    for project in projects:
        if ReportingSchedule.objects.filter(project=project).exists():
            continue
        departments = [
            r.department for r in project.responsibilities.all() if r.department.code != bureau
        ]
        units = clerk_units if project.number == 1 else []
        if not departments and not units:
            continue
        schedule = ReportingSchedule(
            project=project,
            frequency="quarterly",
            deadline_working_days=10,
            starts_on=dt.date(today.year, 1, 1),
        )
        schedule.full_clean()
        schedule.save()
        schedule.departments.set(departments)
        schedule.org_units.set(units)
        audit_record(
            actor=None,
            instance=schedule,
            action=AuditAction.CREATE,
            after=_schedule_values(schedule),
            summary=f"示例数据：报告安排 {project}",
        )
        periods_sync(schedule=schedule, today=today)
        created += 1
    return created
