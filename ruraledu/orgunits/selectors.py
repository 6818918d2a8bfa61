"""Reads of the org tree, always scoped to the user."""

from django.db.models import Count, Q

from .choices import OrgUnitKind
from .models import OrgUnit, School


def unit_roots(*, user) -> list[OrgUnit]:
    """The highest units the user may see (their assignment points)."""
    visible = OrgUnit.objects.for_user(user).order_by("path")
    roots: list[OrgUnit] = []
    for unit in visible.only("pk", "code", "name", "kind", "path", "depth")[:500]:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def unit_children(*, user, unit: OrgUnit, query: str = "", kind: str = "") -> list[OrgUnit]:
    children = OrgUnit.objects.for_user(user).filter(parent=unit)
    if query:
        children = children.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if kind:
        children = children.filter(kind=kind)
    return list(
        children.select_related("school")
        .annotate(child_count=Count("children", filter=Q(children__is_active=True)))
        .order_by("kind", "sort_order", "name")
    )


def unit_breadcrumbs(*, user, unit: OrgUnit) -> list[OrgUnit]:
    visible = OrgUnit.objects.for_user(user)
    return list(visible.filter(pk__in=unit.ancestors().values("pk")).order_by("depth"))


def unit_summary(*, user, unit: OrgUnit) -> dict:
    """Counts of schools by stage and of villages inside the unit."""
    schools = School.objects.for_user(user).filter(
        org_unit__path__startswith=unit.path, org_unit__kind=OrgUnitKind.SCHOOL
    )
    by_stage = schools.values("stage").annotate(n=Count("pk")).order_by("stage")
    villages = (
        OrgUnit.objects.for_user(user)
        .filter(path__startswith=unit.path, kind=OrgUnitKind.VILLAGE)
        .count()
    )
    return {
        "school_count": sum(row["n"] for row in by_stage),
        "rural_school_count": schools.rural().count(),
        "by_stage": [
            (dict(School._meta.get_field("stage").choices)[row["stage"]], row["n"])
            for row in by_stage
        ],
        "village_count": villages,
    }
