"""Calendar-aligned reporting periods: months, quarters, half years, years."""

import datetime as dt
from collections.abc import Iterator

from .choices import Frequency

MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def period_bounds(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of `frequency` that contains `day`."""
    length = MONTHS[frequency]
    first_month = (day.month - 1) // length * length + 1
    start = dt.date(day.year, first_month, 1)
    next_year, next_month = _add_months(day.year, first_month, length)
    return start, dt.date(next_year, next_month, 1) - dt.timedelta(days=1)


def periods_between(
    frequency: str, first: dt.date, last: dt.date
) -> Iterator[tuple[dt.date, dt.date]]:
    """Every period from the one containing `first` to the one containing `last`."""
    start, end = period_bounds(frequency, first)
    while start <= last:
        yield start, end
        start, end = period_bounds(frequency, end + dt.timedelta(days=1))
