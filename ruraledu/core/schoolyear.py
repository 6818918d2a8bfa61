"""The school year (学年): 2025 means 2025-09-01 … 2026-08-31. Semester 1 runs September to
January, semester 2 February to August."""

import datetime as dt


def school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def semester_of(day: dt.date) -> tuple[int, int]:
    year = school_year_of(day)
    return year, (1 if day.month >= 9 or day.month == 1 else 2)


def school_year_label(year: int) -> str:
    return f"{year}—{year + 1}学年"


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def current_school_year() -> int:
    """The year marked current, else the latest year holding data, else today's."""
    from .models import SchoolYear

    marked = SchoolYear.objects.filter(is_current=True).values_list("year", flat=True).first()
    if marked:
        return marked
    latest = SchoolYear.objects.values_list("year", flat=True).first()
    return latest or school_year_of(dt.date.today())


def year_from_request(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_school_year()
    return year if 2000 <= year <= 2100 else current_school_year()
