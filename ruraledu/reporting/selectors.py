"""Reads for the reporting pages. Every read that serves a user applies the scope."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import user_departments
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import TargetState
from ruraledu.plans.choices import TargetKind
from ruraledu.plans.models import Plan, Project, Target

from .choices import HANDED_IN_STATUSES, WAITING_STATUSES, ReportEventKind, ReportStatus
from .models import (
    EvidenceFile,
    Notification,
    ProgressReport,
    ReportingPeriod,
    ReportingSchedule,
    ReportTargetLine,
    ReportUrge,
)
from .querysets import authoring_paths
from .workdays import missing_years


@dataclass
class ExpectedReport:
    """A report that a unit owes for a period, and the report if it was started."""

    period: ReportingPeriod
    unit: object  # Department or OrgUnit
    report: ProgressReport | None
    last_urge: ReportUrge | None = None  # the latest 催办, where the page reads it

    @property
    def unit_key(self) -> str:
        return f"{'d' if self.is_department else 'u'}{self.unit.pk}"

    @property
    def is_department(self) -> bool:
        return self.unit.__class__.__name__ == "Department"

    @property
    def handed_in(self) -> bool:
        return self.report is not None and self.report.status in HANDED_IN_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return not self.handed_in and self.period.deadline < today

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "未填报"


def _report_key(report: ProgressReport) -> tuple:
    if report.department_id:
        return report.period_id, "d", report.department_id
    return report.period_id, "u", report.org_unit_id


def expected_reports(
    *,
    today: dt.date | None = None,
    department_ids: set[int] | None = None,
    unit_paths: list[str] | None = None,
    project: Project | None = None,
) -> list[ExpectedReport]:
    """Every (period, unit) owed under the active schedules for periods started by `today`,
    optionally only for some departments / org-unit subtrees / one project. A fixed number
    of queries."""
    today = today or timezone.localdate()
    schedules = ReportingSchedule.objects.filter(is_active=True).prefetch_related(
        "departments", "org_units"
    )
    if project is not None:
        schedules = schedules.filter(project=project)
    schedules = {s.project_id: s for s in schedules}
    periods = list(
        ReportingPeriod.objects.filter(project_id__in=schedules, starts_on__lte=today)
        .select_related("project")
        .order_by("project__number", "starts_on")
    )
    reports = {
        _report_key(r): r
        for r in ProgressReport.objects.filter(period__in=periods)
        .with_first_submission()
        .select_related("period", "department", "org_unit")
    }
    rows = []
    for period in periods:
        schedule = schedules[period.project_id]
        if period.frequency != schedule.frequency:
            continue
        for department in schedule.departments.all():
            if department_ids is not None and department.pk not in department_ids:
                continue
            rows.append(
                ExpectedReport(period, department, reports.get((period.pk, "d", department.pk)))
            )
        for unit in schedule.org_units.all():
            if unit_paths is not None and not any(unit.path.startswith(p) for p in unit_paths):
                continue
            rows.append(ExpectedReport(period, unit, reports.get((period.pk, "u", unit.pk))))
    return rows


def my_reports(*, user, today: dt.date | None = None) -> dict:
    """What a reporter owes and has written: to do (with overdue ones first), returned,
    waiting for review, approved."""
    today = today or timezone.localdate()
    departments = {d.pk for d in user_departments(user)}
    paths = authoring_paths(user)
    rows = expected_reports(today=today, department_ids=departments, unit_paths=paths)
    seen = {r.report.pk for r in rows if r.report}
    # Reports of a unit no longer on a schedule still belong to their authors.
    for report in (
        ProgressReport.objects.authored_by(user)
        .exclude(pk__in=seen)
        .select_related("period__project", "department", "org_unit")
    ):
        rows.append(ExpectedReport(report.period, report.reporter, report))
    rows.sort(key=lambda r: (r.period.deadline, r.period.project.number))
    todo = [r for r in rows if r.report is None or r.report.status == ReportStatus.DRAFT]
    return {
        "overdue": [r for r in todo if r.is_overdue(today)],
        "todo": [r for r in todo if not r.is_overdue(today)],
        "returned": [r for r in rows if r.report and r.report.status == ReportStatus.RETURNED],
        "waiting": [r for r in rows if r.report and r.report.status in WAITING_STATUSES],
        "approved": sorted(
            (r for r in rows if r.report and r.report.status == ReportStatus.APPROVED),
            key=lambda r: r.report.reviewed_at or r.report.updated_at,
            reverse=True,
        )[:20],
        "is_reporter": bool(departments or paths),
        "today": today,
    }


def waiting_reports(*, user=None):
    reports = ProgressReport.objects.filter(status__in=WAITING_STATUSES)
    if user is not None:
        reports = reports.for_user(user, Action.REVIEW)
    return (
        reports.with_first_submission()
        .select_related("period__project", "department", "org_unit")
        .order_by("submitted_at", "pk")
    )


def review_queue(*, user, today: dt.date | None = None) -> dict:
    """The bureau's page: reports waiting for review (oldest first), units overdue, units
    that have not yet handed in for a period now being reported on, and years whose holiday
    data is missing."""
    today = today or timezone.localdate()
    rows = expected_reports(today=today)
    open_rows = [r for r in rows if not r.handed_in and r.period.ends_on < today]
    overdue = [r for r in open_rows if r.is_overdue(today)]
    _attach_last_urges(overdue)
    plan = Plan.objects.order_by("-start_year", "-pk").first()
    last_year = max(today.year + 1, plan.end_year if plan else today.year)
    return {
        "waiting": list(waiting_reports(user=user)),
        "overdue": overdue,
        "not_yet": [r for r in open_rows if not r.is_overdue(today)],
        "missing_holiday_years": missing_years(range(today.year, last_year + 1)),
        "today": today,
    }


@dataclass
class EvidenceGroup:
    """The evidence files of one report line (`key` is the target's code), or of the whole
    report (`key` is 其他佐证材料)."""

    key: str
    label: str
    files: list

    GENERAL = "其他佐证材料"


SUBMISSION_KINDS = (ReportEventKind.SUBMITTED, ReportEventKind.RESUBMITTED)


def submission_number(events) -> int:
    """The version users speak of: how many times the report was handed in (submitted or
    resubmitted). Counted from the workflow log, which every submission writes in the same
    transaction, so reports handed in before this rule existed are counted right too.
    `ProgressReport.version` is the optimistic-lock counter and grows on every write."""
    return sum(1 for event in events if event.kind in SUBMISSION_KINDS)


def evidence_groups(lines, evidence) -> list[EvidenceGroup]:
    """Every evidence file under the line it was attached to, in line order; a file on a
    target that has no line in this report (added to the project later) under that target;
    files of the whole report last. Lines without files are left out."""
    by_target = defaultdict(list)
    for item in evidence:
        by_target[item.target_id].append(item)
    groups = []
    for line in lines:
        files = by_target.pop(line.target_id, [])
        if files:
            groups.append(EvidenceGroup(line.target.code, line.target.text, files))
    general = by_target.pop(None, [])
    for files in sorted(by_target.values(), key=lambda f: f[0].target.code):
        groups.append(EvidenceGroup(files[0].target.code, files[0].target.text, files))
    if general:
        groups.append(EvidenceGroup(EvidenceGroup.GENERAL, "整份报告", general))
    return groups


def _attach_last_urges(rows: list[ExpectedReport]) -> None:
    """Set each row's latest 催办 (one query for all rows)."""
    latest: dict[tuple, ReportUrge] = {}
    urges = ReportUrge.objects.filter(period__in={r.period.pk for r in rows}).select_related(
        "urged_by"
    )
    for urge in urges.order_by("urged_at", "pk"):
        latest[(urge.period_id, urge.unit_key)] = urge
    for row in rows:
        row.last_urge = latest.get((row.period.pk, row.unit_key))


def report_get(*, user, pk: int) -> ProgressReport:
    """A report within the user's view scope; 404 outside it."""
    try:
        return (
            ProgressReport.objects.for_user(user, Action.VIEW)
            .select_related(
                "period__project__section",
                "department",
                "org_unit",
                "created_by",
                "submitted_by",
                "reviewed_by",
            )
            .get(pk=pk)
        )
    except ProgressReport.DoesNotExist as exc:
        raise Http404("没有这份报告，或不在您的权限范围内。") from exc


def report_authored(*, user, report: ProgressReport) -> bool:
    """Whether `user` may write `report` (its unit's reporter)."""
    return ProgressReport.objects.authored_by(user).filter(pk=report.pk).exists()


def report_detail(*, user, report: ProgressReport) -> dict:
    """Lines with each target's current state (the indicator's value beside the reporter's
    figure), evidence, the workflow log and what the user may do."""
    lines = list(report.lines.select_related("target").order_by("target__due_date", "target__code"))
    states = {
        s.target_id: s
        for s in TargetState.objects.filter(target__in=[line.target for line in lines])
    }
    evidence = list(report.evidence.select_related("target", "uploaded_by"))
    by_target = defaultdict(list)
    for item in evidence:
        by_target[item.target_id].append(item)
    for line in lines:
        line.state = states.get(line.target_id)
        line.evidence_files = by_target.get(line.target_id, [])
        line.is_milestone = line.target.kind == TargetKind.MILESTONE
    can_author = report_authored(user=user, report=report)
    can_review = ProgressReport.objects.for_user(user, Action.REVIEW).filter(pk=report.pk).exists()
    events = list(report.events.select_related("actor"))
    milestone_lines = [line for line in lines if line.is_milestone]
    measured_lines = [line for line in lines if not line.is_milestone]
    return {
        "lines": lines,
        "milestone_lines": milestone_lines,
        "measured_lines": measured_lines,
        "evidence": evidence,
        "general_evidence": by_target.get(None, []),
        "evidence_groups": evidence_groups([*milestone_lines, *measured_lines], evidence),
        "events": events,
        "submission_number": submission_number(events),
        "can_edit": can_author and report.is_editable,
        "can_submit": can_author and report.status == ReportStatus.DRAFT,
        "can_resubmit": can_author and report.status == ReportStatus.RETURNED,
        "can_review": can_review and report.status in WAITING_STATUSES,
        "is_reviewer": can_review,
    }


def evidence_get(*, user, pk: int) -> EvidenceFile:
    """An evidence file whose report the user may see; 404 otherwise."""
    reports = ProgressReport.objects.for_user(user, Action.VIEW)
    try:
        return EvidenceFile.objects.select_related("report").get(pk=pk, report__in=reports)
    except EvidenceFile.DoesNotExist as exc:
        raise Http404("没有这个文件，或不在您的权限范围内。") from exc


def evidence_deleted_report(*, user, pk: int) -> ProgressReport:
    """The report an evidence file deleted already was on (its deletion is in the report's
    audit trail), if the user may see it; 404 for an id of no file that ever was or of one
    on a report out of scope, as for a file there."""
    deletions = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgressReport),
        action=AuditAction.UPDATE,
        before__evidence_id=pk,
    ).values_list("object_id", flat=True)
    report = (
        ProgressReport.objects.for_user(user, Action.VIEW)
        .filter(pk__in=[int(report_id) for report_id in deletions])
        .first()
    )
    if report is None:
        raise Http404("没有这个文件，或不在您的权限范围内。")
    return report


def project_reports(*, user, project: Project, today: dt.date | None = None) -> dict:
    """A project's reports the user may see, newest period first, with its schedule and
    the units still owing a report."""
    today = today or timezone.localdate()
    schedule = (
        ReportingSchedule.objects.filter(project=project)
        .prefetch_related("departments", "org_units")
        .first()
    )
    reports = list(
        ProgressReport.objects.for_user(user, Action.VIEW)
        .filter(period__project=project)
        .with_first_submission()
        .select_related("period", "department", "org_unit")
        .order_by("-period__starts_on", "department__sort_order", "org_unit__path")
    )
    periods = list(
        ReportingPeriod.objects.filter(project=project, starts_on__lte=today).order_by("-starts_on")
    )
    return {"schedule": schedule, "reports": reports, "periods": periods}


def milestone_list(*, user, plan: Plan) -> list[Target]:
    """Every milestone target with its evaluated state and the latest report line on it among
    the reports `user` may see (so no one reads another unit's draft here)."""
    visible = ProgressReport.objects.for_user(user, Action.VIEW)
    targets = list(
        Target.objects.filter(plan=plan, kind=TargetKind.MILESTONE)
        .select_related("project", "state")
        .prefetch_related(
            Prefetch(
                "report_lines",
                queryset=ReportTargetLine.objects.exclude(progress="")
                .filter(report__in=visible)
                .select_related("report__period", "report__department", "report__org_unit")
                .order_by("-report__period__starts_on", "-report__updated_at"),
            )
        )
        .order_by("due_date", "code")
    )
    for target in targets:
        lines = list(target.report_lines.all())
        target.latest_line = lines[0] if lines else None
        target.current_state = getattr(target, "state", None)
    return targets


def notifications_for(*, user, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user)[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
