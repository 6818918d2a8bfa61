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
