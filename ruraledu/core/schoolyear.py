"""The school year (学年): 2025 means 2025-09-01 … 2026-08-31. Semester 1 runs September to
January, semester 2 February to August."""

import datetime as dt
import re


def school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def semester_of(day: dt.date) -> tuple[int, int]:
    year = school_year_of(day)
    return year, (1 if day.month >= 9 or day.month == 1 else 2)


def school_year_label(year: int) -> str:
    return f"{year}—{year + 1}学年"


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def check_day_in_year(on: dt.date, year: int, what: str) -> None:
    """Refuse the date of a record kept for school year `year` when it lies ahead or outside
    that year (ValidationError naming `what`). A date in the year after the current one
    says why it cannot be entered yet: that year has not been started."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    if on > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天。")
    first, last = school_year_bounds(year)
    if first <= on <= last:
        return
    message = f"{what}须在{school_year_label(year)}内（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）。"
    if on > last and school_year_of(on) > current_school_year():
        message += (
            f"{school_year_label(school_year_of(on))}尚未开始，"
            "请区教体局在“学年”页面开始新学年后再登记。"
        )
    raise ValidationError(message)


def form_day(year: int) -> dt.date | None:
    """The date a form for school year `year` starts with: today while the year runs, else
    none, so that a visit made today is never filed silently under the year's last day."""
    from django.utils import timezone

    today = timezone.localdate()
    first, last = school_year_bounds(year)
    return today if first <= today <= last else None


def current_school_year() -> int:
    """The year marked current, else the latest year holding data, else today's."""
    from .models import SchoolYear

    # one query: the marked year sorts first, then the latest
    found = SchoolYear.objects.order_by("-is_current", "-year").values_list("year", flat=True)
    return found.first() or school_year_of(dt.date.today())


def year_not_started() -> dict | None:
    """When today's school year has begun but the platform's current year is an older one
    (nobody has started the new year): both years, for the banner that says so; else None.
    Until then new records are filed under the older year, and pages disagree about "now"."""
    from django.utils import timezone

    current, due = current_school_year(), school_year_of(timezone.localdate())
    if due <= current:
        return None
    return {
        "current": school_year_label(current),
        "due": school_year_label(due),
        "next": school_year_label(current + 1),
    }


def collecting_years() -> list[int]:
    """Years still being collected (填报中): never judged, never a headline figure."""
    from .models import SchoolYear, SchoolYearState

    return list(
        SchoolYear.objects.filter(state=SchoolYearState.COLLECTING).values_list("year", flat=True)
    )


def judged_school_year(years_with_values=None) -> int | None:
    """The latest year that may be judged: of `years_with_values` (or of the registry's years)
    the latest not being collected. A year without a SchoolYear row counts as confirmed."""
    from .models import SchoolYear

    collecting = set(collecting_years())
    if years_with_values is None:
        years_with_values = SchoolYear.objects.values_list("year", flat=True)
    judged = [y for y in years_with_values if y not in collecting]
    return max(judged) if judged else None


def collecting_school_year() -> int:
    """The year uploads go to: the latest year being collected, else the current year."""
    collecting = collecting_years()
    return max(collecting) if collecting else current_school_year()


# How far back an upload may go, before the year being collected (or the current one)
UPLOAD_YEARS_BACK = 5


def upload_years() -> list[int]:
    """The school years data may be uploaded for, newest first: the next year, the year being
    collected (or the current one) and the five before it. The upload page offers these and
    the API accepts these, and no others."""
    current = max(current_school_year(), collecting_school_year())
    return list(range(current + 1, current - UPLOAD_YEARS_BACK - 1, -1))


# Years a page may be asked about; anything else in a query string is treated as absent, so a
# mistyped or hostile `?year=` falls back to the page's default instead of reaching a date
# computation (datetime refuses years outside 1..9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_param(value: str | None) -> int | None:
    """A year from a query-string value: four ASCII digits within FIRST_YEAR..LAST_YEAR, else
    None."""
    if not value or not re.fullmatch(r"[0-9]{4}", value):
        return None
    year = int(value)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def year_from_request(request, default: int | None = None) -> int:
    """`?year=` if valid, else `default`, else the current school year."""
    year = year_param(request.GET.get("year"))
    if year is not None:
        return year
    return default if default is not None else current_school_year()
