"""Reads for the supervision pages; each takes the user and applies the scope."""

from django.db.models import Count, Q

from ruraledu.activities.models import LessonObservation, SchoolLink

from .choices import OPEN_STATUSES
from .conf import observations_per_semester
from .models import RectificationItem, StaffAccount, Visit


def observation_progress(*, user, year: int, semester: int) -> list[dict]:
    """The user's (a researcher's) linked schools this year with their 听课 count this
    semester, whichever way the records came in, against the required number."""
    account = StaffAccount.objects.filter(user=user).first()
    if account is None:
        return []
    required = observations_per_semester()
    links = (
        SchoolLink.objects.filter(person=account.person, year=year)
        .select_related("school__org_unit")
        .order_by("school__org_unit__code")
    )
    counts = dict(
        LessonObservation.objects.filter(observer=account.person, year=year, semester=semester)
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    rows = []
    for link in links:
        count = counts.get(link.school_id, 0)
        rows.append(
            {
                "school": link.school,
                "count": count,
                "required": required,
                "percent": min(100, round(count * 100 / required)) if required else 100,
            }
        )
    return rows


def visit_list(*, user):
    return Visit.objects.for_user(user).select_related("school__org_unit", "kind", "inspector")


def item_list(*, user, status: str = ""):
    items = RectificationItem.objects.for_user(user).select_related(
        "school__org_unit__parent", "notice"
    )
    if status == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif status:
        items = items.filter(Q(status=status))
    return items.order_by("school__org_unit__code", "deadline", "pk")
