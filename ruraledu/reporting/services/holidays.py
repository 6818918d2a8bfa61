"""The holiday table and the deadlines it moves."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record, snapshot
from ruraledu.core.schoolyear import FIRST_YEAR, LAST_YEAR

from ..choices import (
    CalendarDayKind,
    CalendarDaySource,
)
from ..models import (
    CalendarDay,
    ReportingPeriod,
)
from ..workdays import WorkingCalendar
from .common import HOLIDAY_NAMES, _ensure_bureau


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
    if not FIRST_YEAR <= date.year <= LAST_YEAR:  # the table's page shows no other year
        raise ValidationError(f"日期须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。")
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
def calendar_day_delete(*, day: CalendarDay, actor, address: str | None = None) -> bool:
    """Delete one day of the table; False when it was deleted already (nothing is done)."""
    _ensure_bureau(actor)
    # the row as it is now: the page may predate another user's change or deletion of it
    day = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if day is None:
        return False  # deleted meanwhile: nothing left to delete or to audit
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
    return True


def calendar_day_was_deleted(pk: int) -> bool:
    """Whether the day with this id was deleted (its deletion is in the audit trail): a second
    click is told so, while an id that never was stays a 404."""
    return (
        AuditEvent.objects.for_record(
            content_type=ContentType.objects.get_for_model(CalendarDay), object_id=str(pk)
        )
        .filter(action=AuditAction.DELETE)
        .exists()
    )


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
