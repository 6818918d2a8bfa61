"""Demo data for the reporting app: the holiday table and quarterly schedules."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.plans.models import Project
from ruraledu.reporting.models import ReportingSchedule
from ruraledu.reporting.services import (
    bureau_department_code,
    holidays_seed,
    periods_sync,
    schedule_values,
)


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
            after=schedule_values(schedule),
            summary=f"示例数据：报告安排 {project}",
        )
        periods_sync(schedule=schedule, today=today)
        created += 1
    return created


# the reports the demo department hands in: (days from the deadline, what the bureau does)
HANDED_IN = ((-3, "approve"), (4, None), (-1, "return"))


@transaction.atomic
def progress_reports_demo_setup(*, reporter, reviewer, today: dt.date | None = None) -> int:
    """Once: the demo department's reports for the last ended quarter of up to three of its
    projects (project 25 is left for the reporter to try): one handed in on time and approved,
    one handed in four days late and waiting for review, one returned to be fixed. Written
    through the services, with the hand-in moved to its day. Returns the reports made."""
    from ruraledu.plans.choices import MilestoneStatus, TargetKind
    from ruraledu.reporting.choices import ReportEventKind
    from ruraledu.reporting.models import ProgressReport, ReportEvent, ReportingPeriod
    from ruraledu.reporting.services import (
        report_approve,
        report_return,
        report_start,
        report_submit,
        report_update,
    )

    today = today or timezone.localdate()
    assignment = reporter.role_assignments.filter(department__isnull=False).first()
    if assignment is None or ProgressReport.objects.exists():
        return 0
    department = assignment.department
    periods = (
        ReportingPeriod.objects.filter(
            project__reporting_schedule__departments=department, ends_on__lt=today
        )
        .exclude(project__number=25)
        .order_by("project__number", "-starts_on")
    )
    latest = {}
    for period in periods:
        latest.setdefault(period.project_id, period)
    made = 0
    for period, (late_by, decision) in zip(latest.values(), HANDED_IN, strict=False):
        report = report_start(period=period, actor=reporter, department=department, today=today)
        milestones = period.project.targets.filter(kind=TargetKind.MILESTONE)
        report = report_update(
            report=report,
            actor=reporter,
            expected_version=report.version,
            work_done=f"{period.label}按计划推进{period.project.name}，完成了阶段性工作。",
            problems="部分学校配套条件仍需完善。",
            next_steps="下季度继续推进，按期报送进展。",
            lines={t.pk: {"progress": MilestoneStatus.IN_PROGRESS} for t in milestones},
        )
        report = report_submit(report=report, actor=reporter, expected_version=report.version)
        day = period.deadline + dt.timedelta(days=late_by)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))
        ReportEvent.objects.filter(report=report, kind=ReportEventKind.SUBMITTED).update(at=at)
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)
        report.refresh_from_db()
        if decision == "approve":
            report_approve(
                report=report, actor=reviewer, expected_version=report.version, comment="同意。"
            )
        elif decision == "return":
            report_return(
                report=report,
                actor=reviewer,
                reason="请补充本季度完成的具体数量和佐证材料。",
                expected_version=report.version,
            )
        made += 1
    return made
