"""Reads of the gap list, always through the user's scope: counts per school for every role
that sees it; the lists with names for care roles only (names in clear where the role holds
personal-data rights at the pupil's school, masked elsewhere)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.core.templatetags.privacy import person_name
from ruraledu.orgunits.models import OrgUnit
from ruraledu.students.models import Enrolment

from .choices import GapKind
from .models import AidGrant, AidKind, AidPublicity
from .rules import NOTHING, categories_of, category_names, eligible_condition, kind_condition


def unit_path(user, unit_id: int | None) -> str:
    """The path of a unit the user sees (a school or town to narrow the list), else ""."""
    if not unit_id:
        return ""
    unit = OrgUnit.objects.for_user(user).filter(pk=unit_id).values_list("path", flat=True)
    return unit.first() or ""


def granted_persons(year: int, semester: int | None = None):
    """Ids of the children holding any grant in the year (or the term), wherever paid."""
    grants = AidGrant.objects.filter(year=year)
    if semester:
        grants = grants.filter(semester=semester)
    return grants.values("person_id")


def unaided(enrolments, year: int, semester: int):
    """Enrolments that qualify for aid and received nothing in the term."""
    return enrolments.filter(eligible_condition()).exclude(
        person_id__in=granted_persons(year, semester)
    )


def not_eligible_condition(year: int) -> Q:
    """Grants whose child's enrolment of the year does not qualify for the grant's kind."""
    condition = Q()
    kinds = AidKind.objects.prefetch_related("categories", "amounts")
    for kind in kinds:
        qualifies = kind_condition(kind) if kind.is_active else NOTHING
        eligible = Enrolment.objects.filter(year=year).filter(qualifies).values("person_id")
        condition |= Q(kind=kind) & ~Q(person_id__in=eligible)
    return condition or NOTHING


def duplicate_condition(year: int, semester: int) -> Q:
    """Grants of a child and kind paid more than once in the term (by any schools)."""
    twice = (
        AidGrant.objects.filter(year=year, semester=semester)
        .values("person_id", "kind_id")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .values_list("person_id", "kind_id")
    )
    condition = NOTHING
    for person, kind in twice:
        condition |= Q(person_id=person, kind_id=kind)
    return condition


def _scoped(user, action, year, unit_path_: str):
    enrolments = Enrolment.objects.for_user(user, action).filter(year=year)
    grants = AidGrant.objects.for_user(user, action).filter(year=year)
    if unit_path_:
        enrolments = enrolments.filter(school__org_unit__path__startswith=unit_path_)
        grants = grants.filter(unit__path__startswith=unit_path_)
    return enrolments, grants


def gap_querysets(*, user, year: int, semester: int, unit_id: int | None = None, action=None):
    """The three gap lists as querysets within the user's reach for `action` (care by default)."""
    enrolments, grants = _scoped(user, action or Action.CARE, year, unit_path(user, unit_id))
    grants = grants.filter(semester=semester)
    return {
        GapKind.UNAIDED: unaided(enrolments, year, semester),
        GapKind.NOT_ELIGIBLE: grants.filter(not_eligible_condition(year)),
        GapKind.DUPLICATE: grants.filter(duplicate_condition(year, semester)),
    }


def gap_counts(*, user, year: int, semester: int, unit_id: int | None = None) -> list[dict]:
    """Per school the size of each list: numbers only, for every role that sees the school."""
    lists = gap_querysets(user=user, year=year, semester=semester, unit_id=unit_id, action="view")
    rows: dict[int, dict] = {}

    def add(queryset, unit_field: str, key: str):
        found = queryset.values(unit_field).annotate(n=Count("pk")).order_by()
        for item in found:
            rows.setdefault(item[unit_field], {})[key] = item["n"]

    add(lists[GapKind.UNAIDED], "school_id", GapKind.UNAIDED)
    add(lists[GapKind.NOT_ELIGIBLE], "unit_id", GapKind.NOT_ELIGIBLE)
    add(lists[GapKind.DUPLICATE], "unit_id", GapKind.DUPLICATE)
    units = OrgUnit.objects.filter(pk__in=rows).select_related("parent").order_by("path")
    return [
        {
            "unit": unit,
            "town": unit.parent.name if unit.parent_id else "",
            **{kind: rows[unit.pk].get(kind, 0) for kind in GapKind.values},
        }
        for unit in units
    ]


@dataclass
class GapRow:
    """One line of a gap list as shown or exported (the name already masked or not)."""

    person_id: int
    name: str
    masked_id: str
    school: str
    town: str
    grade: int | None
    clear: bool
    categories: list[str] = field(default_factory=list)
    kind: str = ""
    amount: object = None


def gap_rows(*, user, year: int, semester: int, unit_id: int | None = None, limit=None):
    """The three lists as `GapRow`s, names in clear only where the user holds personal-data
    rights at the pupil's school (hardship categories likewise)."""
    lists = gap_querysets(user=user, year=year, semester=semester, unit_id=unit_id)
    personal = Reach(user, Action.VIEW_PERSONAL)
    names = category_names()
    grades = {}
    result = {}
    enrolments = lists[GapKind.UNAIDED].select_related("person", "school__org_unit__parent")
    rows = []
    for e in enrolments.order_by("school__org_unit__path", "grade", "class_name", "pk")[:limit]:
        unit = e.school.org_unit
        clear = personal.covers(unit.path)
        rows.append(
            GapRow(
                e.person_id,
                person_name(e.person.name, clear),
                e.person.masked_id,
                unit.name,
                unit.parent.name if unit.parent_id else "",
                e.grade,
                clear,
                categories_of(e, names) if clear else [],
            )
        )
    result[GapKind.UNAIDED] = rows
    for kind in (GapKind.NOT_ELIGIBLE, GapKind.DUPLICATE):
        grants = lists[kind].select_related("person", "unit__parent", "kind")
        grants = list(grants.order_by("unit__path", "person_id", "kind_id", "pk")[:limit])
        missing = {g.person_id for g in grants} - set(grades)
        grades.update(
            Enrolment.objects.filter(year=year, person_id__in=missing)
            .values_list("person_id", "grade")
            .order_by()
        )
        result[kind] = [
            GapRow(
                g.person_id,
                person_name(g.person.name, personal.covers(g.unit.path)),
                g.person.masked_id,
                g.unit.name,
                g.unit.parent.name if g.unit.parent_id else "",
                grades.get(g.person_id),
                personal.covers(g.unit.path),
                kind=g.kind.name,
                amount=g.amount,
            )
            for g in grants
        ]
    return result


def publicity_list(*, user):
    return AidPublicity.objects.for_user(user, Action.CARE).select_related("school__org_unit")


def publicity_by_token(token: str):
    """The publicity list behind a public link, whatever its dates (the view decides)."""
    return AidPublicity.objects.select_related("school__org_unit").filter(token=token).first()
