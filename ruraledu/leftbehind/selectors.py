"""Reads of the care list, always through the user's scope: the children with names (care
roles only) and the counts per town and school (every role that sees the unit)."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from ruraledu.accounts.choices import Action
from ruraledu.students.models import Enrolment

from .choices import cared_for
from .models import CareContact, RoomActivity
from .terms import as_of, term_start


def term_contacts(day: dt.date):
    """Contacts of the term holding `day`, up to that day."""
    return CareContact.objects.filter(on__gte=term_start(day), on__lte=day)


def _own_school_contacts(day: dt.date):
    """The enrolment's child's contacts this term (up to `day`) made by the school the
    enrolment is at. Each school answers for its own children: a contact the child's former
    school made before a transfer does not count for the new one, whoever is looking."""
    return term_contacts(day).filter(
        person_id=OuterRef("person_id"), school_id=OuterRef("school_id")
    )


def contacted_here(day: dt.date) -> Exists:
    """Whether the enrolment's child was contacted this term by its school."""
    return Exists(_own_school_contacts(day))


def last_contact_here(day: dt.date) -> Subquery:
    """The date of that school's latest contact with the enrolment's child this term."""
    return Subquery(_own_school_contacts(day).order_by("-on").values("on")[:1])


def _in_unit(queryset, unit_id: int | None):
    if not unit_id:
        return queryset
    return queryset.filter(Q(school__org_unit_id=unit_id) | Q(school__org_unit__parent_id=unit_id))


def child_list(*, user, year: int, unit_id: int | None = None, today: dt.date | None = None):
    """The children on the care list in `year` at the schools where the user works care, with
    `last_contact` (the latest contact of the term the year's list describes, made by the
    child's school, as `contacted_here` counts them)."""
    enrolments = (
        Enrolment.objects.for_user(user, Action.CARE)
        .filter(cared_for(), year=year)
        .select_related("person", "school__org_unit", "mentor")
        .annotate(last_contact=last_contact_here(as_of(year, today)))
    )
    return _in_unit(enrolments, unit_id).order_by(
        "school__org_unit__path", "grade", "class_name", "pk"
    )


def child_get(*, user, pk: int):
    return (
        Enrolment.objects.for_user(user, Action.CARE)
        .filter(cared_for(), pk=pk)
        .select_related("person", "school__org_unit", "mentor")
        .first()
    )


def contacts_of(*, user, person_id: int):
    """The child's contacts recorded at schools within the user's care reach."""
    return (
        CareContact.objects.for_user(user, Action.CARE)
        .filter(person_id=person_id)
        .select_related("unit", "recorded_by")
    )


def dashboard_contacts(*, user, year: int, today: dt.date | None = None) -> dict:
    """Counts only, per school and rolled up per town: children on the list, with a mentor,
    contacted this term and not contacted. One grouped query."""
    day = as_of(year, today)
    contacted = contacted_here(day)
    rows = (
        Enrolment.objects.for_user(user, Action.VIEW)
        .filter(cared_for(), year=year)
        .values(
            "school__org_unit_id",
            "school__org_unit__name",
            "school__org_unit__path",
            "school__org_unit__parent_id",
            "school__org_unit__parent__name",
        )
        .order_by("school__org_unit__path")
        .annotate(
            total=Count("pk"),
            left_behind=Count("pk", filter=Q(left_behind=True)),
            mentored=Count("pk", filter=Q(mentor__isnull=False)),
            contacted=Count("pk", filter=contacted),
        )
    )
    towns: dict[int, dict] = {}
    keys = ("total", "left_behind", "mentored", "contacted", "missing")
    for row in rows:
        school = {
            "id": row["school__org_unit_id"],
            "name": row["school__org_unit__name"],
            "total": row["total"],
            "left_behind": row["left_behind"],
            "mentored": row["mentored"],
            "contacted": row["contacted"],
            "missing": row["total"] - row["contacted"],
        }
        town = towns.setdefault(
            row["school__org_unit__parent_id"],
            {
                "id": row["school__org_unit__parent_id"],
                "name": row["school__org_unit__parent__name"],
                "schools": [],
                **dict.fromkeys(keys, 0),
            },
        )
        town["schools"].append(school)
        for key in keys:
            town[key] += school[key]
    totals = {key: sum(t[key] for t in towns.values()) for key in keys}
    return {"towns": list(towns.values()), "totals": totals, "as_of": day}


def activity_list(*, user, year: int, unit_id: int | None = None):
    """关爱室 activities in `year` at the units the user sees (no child is named in them)."""
    activities = (
        RoomActivity.objects.for_user(user, Action.VIEW)
        .filter(year=year)
        .select_related("unit", "recorded_by")
    )
    return _in_unit(activities, unit_id)
