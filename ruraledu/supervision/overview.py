"""Reads of the supervision pages per zone, per inspector and per school: visits against plan
this month and term, open and overdue items, 听课 this term. Each takes the user and keeps
only the schools in the user's view; a fixed number of queries whatever the schools."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from ruraledu.activities.models import LessonObservation, SchoolLink
from ruraledu.core.schoolyear import current_school_year, school_year_of, semester_of
from ruraledu.orgunits.models import School
from ruraledu.workforce.models import Post

from .choices import PENDING_STATUSES, ItemStatus, VisitStatus
from .conf import observations_per_semester
from .models import InspectorAssignment, RectificationItem, Visit, Zone
from .plan import Progress, months_between, plan_progress, term_months


@dataclass
class SchoolRow:
    school: School
    inspector: object = None
    month: Progress = field(default_factory=Progress)
    term: Progress = field(default_factory=Progress)
    open_items: int = 0
    overdue_items: int = 0
    observations: int = 0  # 听课 this term by the school's linked researchers
    observations_required: int = 0  # linked researchers × the rule (8 a semester)

    @property
    def observation_percent(self) -> int:
        if not self.observations_required:
            return 100
        return min(100, round(self.observations * 100 / self.observations_required))


@dataclass
class Totals:
    month: Progress = field(default_factory=Progress)
    term: Progress = field(default_factory=Progress)
    open_items: int = 0
    overdue_items: int = 0
    observations: int = 0
    observations_required: int = 0


def visible_schools(user):
    return School.objects.for_user(user)


def _years(today: dt.date) -> set[int]:
    # the assignments of the school year running today, and of the platform's current one
    return {school_year_of(today), current_school_year()}


def current_assignments(schools, today: dt.date):
    return InspectorAssignment.objects.current().filter(school__in=schools, year__in=_years(today))


def school_rows(*, schools, today: dt.date, inspector=None) -> tuple[list[SchoolRow], Totals]:
    """One row per school of the queryset `schools` (already scoped by the caller)."""
    schools = list(schools.select_related("org_unit__parent").order_by("org_unit__code"))
    ids = [s.pk for s in schools]
    month = plan_progress(schools=ids, months=months_between(today, today), inspector=inspector)
    term = plan_progress(schools=ids, months=term_months(today), inspector=inspector)
    inspectors = {
        a.school_id: a.inspector
        for a in current_assignments(ids, today).select_related("inspector").order_by("year")
    }
    items = {
        row["school_id"]: row
        for row in RectificationItem.objects.filter(school_id__in=ids)
        .values("school_id")
        .order_by()
        .annotate(
            open=Count("pk", filter=~Q(status=ItemStatus.CLOSED)),
            overdue=Count("pk", filter=Q(status__in=PENDING_STATUSES, deadline__lt=today)),
        )
    }
    observed, required = observation_counts(ids, today)
    rows, totals = [], Totals()
    for school in schools:
        item = items.get(school.pk, {})
        row = SchoolRow(
            school=school,
            inspector=inspectors.get(school.pk),
            month=month.get(school.pk, Progress()),
            term=term.get(school.pk, Progress()),
            open_items=item.get("open", 0),
            overdue_items=item.get("overdue", 0),
            observations=observed.get(school.pk, 0),
            observations_required=required.get(school.pk, 0),
        )
        rows.append(row)
        totals.month.add(row.month)
        totals.term.add(row.term)
        totals.open_items += row.open_items
        totals.overdue_items += row.overdue_items
        totals.observations += row.observations
        totals.observations_required += row.observations_required
    return rows, totals


def observation_counts(ids, today: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """school id -> 听课 this semester by its linked researchers (each up to the rule's number,
    so one busy researcher does not hide another's shortfall), and the number required."""
    year, semester = semester_of(today)
    rule = observations_per_semester()
    # researchers: a researcher's post on the roster, or an account recording 听课 here
    researchers = Post.objects.filter(year=year, is_researcher=True).values("person_id")
    links = list(
        SchoolLink.objects.filter(school_id__in=ids, year=year)
        .filter(Q(person__in=researchers) | Q(person__account__isnull=False))
        .values_list("school_id", "person_id")
        .distinct()
    )
    counts = {
        (row["school_id"], row["observer_id"]): row["n"]
        for row in LessonObservation.objects.filter(school_id__in=ids, year=year, semester=semester)
        .values("school_id", "observer_id")
        .order_by()
        .annotate(n=Count("pk"))
    }
    observed: dict[int, int] = {}
    required: dict[int, int] = {}
    for school_id, person_id in links:
        observed[school_id] = observed.get(school_id, 0) + min(
            counts.get((school_id, person_id), 0), rule
        )
        required[school_id] = required.get(school_id, 0) + rule
    return observed, required


# ---------------------------------------------------------------- the pages' school sets


def zone_schools(*, user, zone: Zone):
    return zone.schools.filter(pk__in=visible_schools(user).values("pk"))


def inspector_schools(*, user, inspector, today: dt.date):
    assigned = current_assignments(visible_schools(user), today).filter(inspector=inspector)
    return School.objects.filter(pk__in=assigned.values("school_id"))


def zones_in_view(*, user):
    """Zones holding at least one school in the user's view, with how many."""
    visible = visible_schools(user).values("pk")
    return (
        Zone.objects.filter(schools__in=visible)
        .annotate(n=Count("schools", distinct=True))
        .select_related("town")
        .order_by("name")
        .distinct()
    )


def inspectors_in_view(*, user, today: dt.date) -> list[dict]:
    """Current 挂牌 inspectors of schools in the user's view, with how many of those schools."""
    rows = (
        current_assignments(visible_schools(user), today)
        .values("inspector_id", "inspector__full_name", "inspector__username")
        .order_by("inspector__username")
        .annotate(n=Count("school_id", distinct=True))
    )
    return [
        {
            "pk": r["inspector_id"],
            "name": r["inspector__full_name"] or r["inspector__username"],
            "n": r["n"],
        }
        for r in rows
    ]


def school_panel(*, user, school, today: dt.date) -> dict | None:
    """The school profile's supervision panel: last visits, open items, visits against plan
    and 听课 this term; None when the school is outside the user's view."""
    if not visible_schools(user).filter(pk=school.pk).exists():
        return None
    rows, _ = school_rows(schools=School.objects.filter(pk=school.pk), today=today)
    visits = (
        Visit.objects.filter(school=school)
        .select_related("kind")
        .order_by("-visited_on", "-pk")[:5]
    )
    items = (
        RectificationItem.objects.filter(school=school)
        .exclude(status=ItemStatus.CLOSED)
        .order_by("deadline", "pk")[:10]
    )
    return {
        "row": rows[0],
        "visits": list(visits),
        "items": list(items),
        "today": today,
        "signed_off": VisitStatus.SIGNED_OFF,
    }
