"""Deadlines in Chinese working days: holidays skipped, 调休 weekends counted, a year without
holiday data flagged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting import services
from ruraledu.reporting.choices import CalendarDayKind, Frequency
from ruraledu.reporting.models import CalendarDay, ReportingPeriod
from ruraledu.reporting.periods import period_bounds, periods_between
from ruraledu.reporting.workdays import WorkingCalendar, deadline_for, missing_years

D = dt.date


@pytest.fixture
def seeded(db):
    CalendarDay.objects.all().delete()  # start from the package, whatever a migration left
    services.holidays_seed(years=[2024, 2025, 2026])


@pytest.mark.parametrize(
    ("end", "working_days", "expected", "why"),
    [
        # Spring Festival 2026: 2-15…2-23 off, Saturday 2-14 worked.
        (D(2026, 1, 31), 12, D(2026, 2, 24), "Saturday 2-14 counts, the festival does not"),
        (D(2026, 1, 31), 10, D(2026, 2, 13), "before the festival"),
        (D(2026, 1, 31), 11, D(2026, 2, 14), "the 调休 Saturday itself"),
        # Spring Festival 2025: 1-28…2-4 off, Sunday 1-26 and Saturday 2-8 worked.
        (D(2024, 12, 31), 20, D(2025, 2, 5), "New Year's Day, Sunday 1-26 worked, festival"),
        (D(2024, 12, 31), 23, D(2025, 2, 8), "Saturday 2-8 worked"),
        # National Day 2026: 10-1…10-7 off, Saturday 10-10 worked.
        (D(2026, 9, 30), 5, D(2026, 10, 13), "Golden Week then Saturday 10-10"),
        (D(2026, 9, 30), 3, D(2026, 10, 10), "the 调休 Saturday"),
        # National Day 2025 (with Mid-autumn): 10-1…10-8 off, Saturday 10-11 worked.
        (D(2025, 9, 30), 3, D(2025, 10, 11), "eight days off, Saturday 10-11 worked"),
        (D(2025, 9, 26), 1, D(2025, 9, 28), "Sunday 9-28 worked before the holiday"),
        # New Year 2026: 1-1…1-3 off, Sunday 1-4 worked.
        (D(2025, 12, 31), 10, D(2026, 1, 15), "Sunday 1-4 worked"),
    ],
)
def test_it_counts_working_days_across_holidays_and_swapped_weekends(
    seeded, end, working_days, expected, why
):
    # when
    deadline, provisional = deadline_for(end, working_days)
    # then
    assert (deadline, provisional) == (expected, False), why


def test_it_counts_only_weekends_and_flags_a_year_without_holiday_data(db):
    # given an empty holiday table
    CalendarDay.objects.all().delete()
    # when
    deadline, provisional = deadline_for(D(2026, 1, 31), 12)
    # then the Spring Festival is not known: Monday to Friday only, flagged provisional
    assert (deadline, provisional) == (D(2026, 2, 17), True)


def test_a_year_the_package_does_not_know_is_reported_missing(seeded):
    # the package stops at 2026; the plan runs to 2027
    assert missing_years(range(2025, 2028)) == [2027]
    deadline, provisional = deadline_for(D(2026, 12, 31), 10)
    assert (deadline, provisional) == (D(2027, 1, 14), True)


def test_the_bureau_fills_a_missing_year_and_deadlines_move(
    seeded, project, milestone, measured, department, district_admin
):
    # given a Q4 2026 period whose deadline counts into 2027 (no data yet)
    services.schedule_set(
        project=project,
        actor=district_admin,
        frequency=Frequency.QUARTERLY,
        deadline_working_days=10,
        starts_on=D(2026, 10, 1),
        departments=[department],
        today=D(2026, 12, 1),
    )
    period = ReportingPeriod.objects.get(project=project, starts_on=D(2026, 10, 1))
    assert (period.deadline, period.deadline_provisional) == (D(2027, 1, 14), True)
    # when the bureau enters New Year's Day 2027 (a Friday)
    services.calendar_day_set(
        date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦", actor=district_admin
    )
    # then the deadline moves one working day and is no longer provisional
    period.refresh_from_db()
    assert (period.deadline, period.deadline_provisional) == (D(2027, 1, 15), False)
    assert missing_years([2027]) == []
    event = AuditEvent.objects.get(object_repr__startswith="2027-01-01")
    assert event.actor == district_admin
    assert event.after["kind"] == "holiday"


def test_seeding_twice_adds_nothing_and_keeps_the_bureaus_corrections(seeded, district_admin):
    # given the bureau corrected a day the package had
    services.calendar_day_set(
        date=D(2026, 10, 10), kind=CalendarDayKind.HOLIDAY, name="更正", actor=district_admin
    )
    # when the package is seeded again
    added = services.holidays_seed(years=[2026])
    # then nothing is added and the correction stays
    assert added == 0
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (day.kind, day.name, day.source) == ("holiday", "更正", "manual")


def test_a_day_loaded_before_someone_else_deleted_it_is_not_deleted_again(db, district_admin):
    # given two bureau users with the same day of the table on their screens
    services.calendar_day_set(
        date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦", actor=district_admin
    )
    seen_first, seen_second = (CalendarDay.objects.get(date=D(2027, 1, 1)) for _ in range(2))
    services.calendar_day_delete(day=seen_first, actor=district_admin)
    # when the second deletes it from what it loaded earlier
    services.calendar_day_delete(day=seen_second, actor=district_admin)
    # then the day is gone and its deletion audited once
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    deleted = AuditEvent.objects.filter(content_type__model="calendarday", action="delete")
    assert deleted.count() == 1


def test_only_the_bureau_edits_the_holiday_table(seeded, department_reporter, district_leader):
    for user in (department_reporter, district_leader):
        with pytest.raises(PermissionDenied):
            services.calendar_day_set(
                date=D(2026, 3, 2), kind=CalendarDayKind.HOLIDAY, name="", actor=user
            )
    assert not CalendarDay.objects.filter(date=D(2026, 3, 2)).exists()


@pytest.mark.parametrize("day", [D(1900, 1, 1), D(2999, 10, 1)])
def test_a_day_in_no_year_the_table_shows_is_refused(seeded, district_admin, day):
    with pytest.raises(ValidationError, match="日期须在 2000 至 2100 年之间"):
        services.calendar_day_set(
            date=day, kind=CalendarDayKind.HOLIDAY, name="", actor=district_admin
        )
    assert not CalendarDay.objects.filter(date=day).exists()


def test_working_days_between_skips_holidays(seeded):
    calendar = WorkingCalendar.load([2026])
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert calendar.working_days_between(D(2026, 10, 13), D(2026, 10, 13)) == 0


@pytest.mark.parametrize(
    ("frequency", "day", "bounds"),
    [
        (Frequency.MONTHLY, D(2026, 2, 14), (D(2026, 2, 1), D(2026, 2, 28))),
        (Frequency.QUARTERLY, D(2026, 5, 10), (D(2026, 4, 1), D(2026, 6, 30))),
        (Frequency.HALF_YEARLY, D(2026, 7, 1), (D(2026, 7, 1), D(2026, 12, 31))),
        (Frequency.YEARLY, D(2028, 2, 29), (D(2028, 1, 1), D(2028, 12, 31))),
    ],
)
def test_periods_follow_the_calendar(frequency, day, bounds):
    assert period_bounds(frequency, day) == bounds


def test_periods_between_covers_every_quarter():
    quarters = list(periods_between(Frequency.QUARTERLY, D(2025, 11, 5), D(2026, 4, 1)))
    assert quarters == [
        (D(2025, 10, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
    ]
