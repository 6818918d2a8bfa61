"""Visits against the bureau's plan. Each active kind of visit says how many visits each school
should get per month (VisitKind.visits_per_month); a school is on the plan in the months it has
a 挂牌 inspector. A visit counts once it is signed off (a correction does not count again), and
only up to the kind's number per month: two visits in March do not make up for none in April.

The months of the plan are the teaching months: September to June (no visits are expected in
the summer holidays of July and August)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from ruraledu.core.schoolyear import school_year_bounds, semester_of

from .choices import VisitStatus
from .models import InspectorAssignment, Visit, VisitKind

HOLIDAY_MONTHS = (7, 8)


@dataclass
class Progress:
    """One school's (or a sum of schools') visits against plan over some months."""

    expected: int = 0
    done: int = 0  # visits counted against the plan (capped per kind and month)
    visits: int = 0  # every signed-off visit of a planned kind, uncapped

    @property
    def short(self) -> int:
        return self.expected - self.done

    @property
    def percent(self) -> int:
        return min(100, round(self.done * 100 / self.expected)) if self.expected else 100

    def add(self, other: "Progress") -> None:
        self.expected += other.expected
        self.done += other.done
        self.visits += other.visits


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The plan's months (first days) from `first`'s month to `last`'s, holidays left out."""
    months, month = [], _month(first)
    while month <= last:
        if month.month not in HOLIDAY_MONTHS:
            months.append(month)
        month = _next_month(month)
    return months


def year_months(year: int, as_of: dt.date) -> list[dt.date]:
    """The plan's months of school year `year` up to and including `as_of`'s month."""
    first, last = school_year_bounds(year)
    return months_between(first, min(last, as_of))


def term_months(day: dt.date) -> list[dt.date]:
    """The plan's months of the semester holding `day`, up to and including its month."""
    year, semester = semester_of(day)
    first = dt.date(year, 9, 1) if semester == 1 else dt.date(year + 1, 2, 1)
    return months_between(first, day)


def planned_kinds() -> dict[int, int]:
    """kind id -> visits each school should get per month (kinds without a number left out)."""
    return dict(
        VisitKind.objects.filter(active=True, visits_per_month__gt=0).values_list(
            "pk", "visits_per_month"
        )
    )


def _covered(assignments, months: list[dt.date]) -> dict[int, set[dt.date]]:
    """school id -> the months in which it had a 挂牌 inspector at some point."""
    covered: dict[int, set[dt.date]] = defaultdict(set)
    for school_id, started, ended in assignments:
        for month in months:
            if started < _next_month(month) and (ended is None or ended >= month):
                covered[school_id].add(month)
    return covered


def plan_progress(*, schools, months: list[dt.date], inspector=None) -> dict[int, Progress]:
    """school id -> Progress over `months`, for the schools of the queryset `schools` that are
    on the plan. With `inspector`, only the months of that inspector's assignments count.
    Three queries whatever the number of schools."""
    if not months:
        return {}
    kinds = planned_kinds()
    assignments = InspectorAssignment.objects.filter(
        school__in=schools, started_on__lt=_next_month(months[-1])
    ).exclude(ended_on__lt=months[0])
    if inspector is not None:
        assignments = assignments.filter(inspector=inspector)
    covered = _covered(assignments.values_list("school_id", "started_on", "ended_on"), months)
    if not covered or not kinds:
        return {pk: Progress() for pk in covered}
    counts = (
        Visit.objects.filter(
            school_id__in=list(covered),
            status=VisitStatus.SIGNED_OFF,
            corrects__isnull=True,
            kind_id__in=list(kinds),
            visited_on__gte=months[0],
            visited_on__lt=_next_month(months[-1]),
        )
        .annotate(month=TruncMonth("visited_on"))
        .values("school_id", "kind_id", "month")
        .order_by()
        .annotate(n=Count("pk"))
    )
    progress = {pk: Progress() for pk in covered}
    per_month = sum(kinds.values())
    for pk, school_months in covered.items():
        progress[pk].expected = per_month * len(school_months)
    for row in counts:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        if month not in covered[row["school_id"]]:
            continue
        entry = progress[row["school_id"]]
        entry.visits += row["n"]
        entry.done += min(row["n"], kinds[row["kind_id"]])
    return progress
