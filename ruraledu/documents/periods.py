"""Report periods named by a short key: "2026-Q1" (a quarter) or "2025-Y" (a year)."""

import datetime as dt
from dataclasses import dataclass

from ruraledu.reporting.periods import period_bounds

from .choices import PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.YEARLY:
            return f"{self.start.year}-Y"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEARLY:
            return f"{self.start.year}年度"
        return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"


def period_parse(key: str) -> Period | None:
    """The period a key names, or None for anything malformed."""
    try:
        year_text, part = (key or "").split("-", 1)
        year = int(year_text)
    except ValueError:
        return None
    if not 2000 <= year <= 2100:
        return None
    if part == "Y":
        return Period(PeriodKind.YEARLY, *period_bounds(PeriodKind.YEARLY, dt.date(year, 1, 1)))
    if part in ("Q1", "Q2", "Q3", "Q4"):
        month = (int(part[1]) - 1) * 3 + 1
        day = dt.date(year, month, 1)
        return Period(PeriodKind.QUARTERLY, *period_bounds(PeriodKind.QUARTERLY, day))
    return None


def period_choices(today: dt.date, years: int = 3) -> list[Period]:
    """Recent quarters and years, newest first: the current quarter and year included."""
    choices = []
    for year in range(today.year, today.year - years, -1):
        for quarter in (4, 3, 2, 1):
            period = period_parse(f"{year}-Q{quarter}")
            if period and period.start <= today:
                choices.append(period)
        choices.append(period_parse(f"{year}-Y"))
    return choices


def period_default(today: dt.date) -> Period:
    """The last quarter that has ended."""
    start, _ = period_bounds(PeriodKind.QUARTERLY, today)
    return Period(
        PeriodKind.QUARTERLY, *period_bounds(PeriodKind.QUARTERLY, start - dt.timedelta(days=1))
    )
