"""The term (学期) a contact counts for: semester 1 runs from 1 September, semester 2 from
1 February (as `core.schoolyear.semester_of` splits the year)."""

import datetime as dt

from ruraledu.core.schoolyear import semester_of


def term_start(day: dt.date) -> dt.date:
    year, semester = semester_of(day)
    return dt.date(year, 9, 1) if semester == 1 else dt.date(year + 1, 2, 1)


def term_label(day: dt.date) -> str:
    year, semester = semester_of(day)
    return f"{year}—{year + 1}学年第{'一' if semester == 1 else '二'}学期"


def as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's list describes: the year's last day, or today while the year runs."""
    from django.utils import timezone

    from ruraledu.core.schoolyear import school_year_bounds

    return min(today or timezone.localdate(), school_year_bounds(year)[1])
