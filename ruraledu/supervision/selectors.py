"""Reads for the supervision pages; each takes the user and applies the scope."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from ruraledu.activities.models import LessonObservation, SchoolLink
from ruraledu.orgunits.models import School

from .choices import OPEN_STATUSES
from .conf import observations_per_semester
from .models import InspectorAssignment, RectificationItem, StaffAccount, Visit


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
        items = items.filter(status=status)
    return items.order_by("school__org_unit__code", "deadline", "pk")


# ---------------------------------------------------------------- the bureau's set-up pages
# (bureau only: the views refuse everyone else, so these read the whole district)


def assignment_rows(*, year: int) -> list[dict]:
    """Every school with its current 挂牌 inspector of `year` (None where there is none)."""
    current = {
        a.school_id: a
        for a in InspectorAssignment.objects.filter(
            year=year, ended_on__isnull=True
        ).select_related("inspector", "zone")
    }
    schools = School.objects.select_related("org_unit__parent").order_by("org_unit__code")
    return [{"school": s, "assignment": current.get(s.pk)} for s in schools]


def inspector_accounts():
    """Accounts that are or were 挂牌 inspectors (offered when assigning)."""
    ids = InspectorAssignment.objects.values("inspector_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def researcher_links(*, year: int):
    """包校 links of `year` whose person is an account's staff record (a researcher)."""
    return (
        SchoolLink.objects.filter(year=year, person__account__isnull=False)
        .select_related("person__account__user", "school__org_unit")
        .order_by("person__account__user__username", "school__org_unit__code")
    )


def staff_accounts():
    return StaffAccount.objects.select_related("user", "person").order_by("user__username")


def card_assignment(*, school) -> InspectorAssignment | None:
    """The assignment the school's 挂牌 card shows: the latest current one."""
    return (
        InspectorAssignment.objects.filter(school=school, ended_on__isnull=True)
        .select_related("inspector", "zone")
        .order_by("-year", "-started_on")
        .first()
    )
