"""Reporting schedules and the periods they open."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.versions import check_version
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.models import Project

from ..models import (
    ReportingPeriod,
    ReportingSchedule,
)
from ..periods import periods_between
from ..workdays import WorkingCalendar
from .common import _ensure_bureau
from .holidays import period_deadlines_refresh

SCHEDULE_STALE = "报告安排在您打开之后已被他人修改，本次修改未保存。请刷新页面后重新设置。"


def schedule_values(schedule: ReportingSchedule | None) -> dict:
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
    if schedule is not None:
        check_version(SCHEDULE_STALE, what="报告安排", seen=expected_version, now=schedule.version)
    before = schedule_values(schedule)
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
        after=schedule_values(schedule),
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
