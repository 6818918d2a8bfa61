"""Chinese working days: Monday to Friday, minus public holidays, plus the weekend days worked
in exchange (调休). Read from the CalendarDay table, which the bureau edits."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .choices import CalendarDayKind
from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


@dataclass
class WorkingCalendar:
    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    known_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, years: Iterable[int]) -> "WorkingCalendar":
        """The table's days of `years`; a year is "known" when it has at least one holiday."""
        years = sorted(set(years))
        calendar = cls()
        if not years:
            return calendar
        rows = CalendarDay.objects.filter(date__year__gte=years[0], date__year__lte=years[-1])
        for day, kind in rows.values_list("date", "kind"):
            if kind == CalendarDayKind.HOLIDAY:
                calendar.holidays.add(day)
                calendar.known_years.add(day.year)
            else:
                calendar.workdays.add(day)
        return calendar

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, count: int) -> tuple[dt.date, bool]:
        """The `count`-th working day after `start` (not counting `start` itself), and whether
        the answer is provisional because a year it counted through has no holiday data."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = start
        found = 0
        provisional = False
        while found < count:
            day += ONE_DAY
            if day.year not in self.known_years:
                provisional = True
            if self.is_working_day(day):
                found += 1
        return day, provisional

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def deadline_for(end: dt.date, working_days: int) -> tuple[dt.date, bool]:
    """The deadline `working_days` working days after a period ending on `end`."""
    # 60 working days never reach past the next year's spring.
    calendar = WorkingCalendar.load(range(end.year, end.year + 2))
    return calendar.add_working_days(end, working_days)


def package_years() -> list[int]:
    """The years that the installed chinese-calendar package knows."""
    try:
        from chinese_calendar.constants import holidays
    except ImportError:  # pragma: no cover - the package is a declared dependency
        return []
    return sorted({day.year for day in holidays})


def missing_years(years: Iterable[int]) -> list[int]:
    """Those of `years` with no holiday in the table: their deadlines cannot be trusted."""
    years = sorted(set(years))
    if not years:
        return []
    known = {
        day.year
        for day in CalendarDay.objects.filter(
            kind=CalendarDayKind.HOLIDAY, date__year__gte=years[0], date__year__lte=years[-1]
        ).dates("date", "year")
    }
    return [year for year in years if year not in known]
