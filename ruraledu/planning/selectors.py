"""Reads for planning: the registry's 优质均衡 table of a year, and the bureau's scenarios."""

from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import bureau_units, is_bureau
from ruraledu.indicators.definitions.quality import RESOURCES, school_table, school_threshold
from ruraledu.indicators.engine import REGISTRY, Tree, YearContext
from ruraledu.orgunits.districts import districts_covered

from .models import Scenario

# The districts whose scenarios a user plans are `districts_covered(user, Action.REVIEW)`:
# 优质均衡 is judged per district, so the district's bureau plans its own and the city's bureau
# each of its districts.


def may_plan(user) -> bool:
    """`districts_covered(user, Action.REVIEW)` is not empty, told from the roles alone (the
    menu asks on every page)."""
    return is_bureau(user) or bool(bureau_units(user))


def district_schools(year: int, unit) -> list[dict]:
    """Every compulsory school of the method's scope with students in the district `unit`:
    stage, enrolment, weights, the seven sums and their thresholds (one set-based pass, as
    the indicators compute)."""
    from ruraledu.orgunits.models import OrgUnit

    indicators = [REGISTRY[f"yzjh_{k}"] for k in RESOURCES]
    tree = Tree()
    ctx = YearContext(year, indicators, tree)
    table = {k: row for k, row in school_table(ctx).items() if unit.pk in tree.chain(k)}
    names = dict(OrgUnit.objects.filter(pk__in=table).values_list("pk", "name"))
    codes = dict(OrgUnit.objects.filter(pk__in=table).values_list("pk", "code"))
    schools = []
    for pk, row in sorted(table.items(), key=lambda item: codes.get(item[0], "")):
        if not row["students"]:
            continue
        schools.append(
            {
                "unit": pk,
                "code": codes.get(pk, ""),
                "name": names.get(pk, ""),
                "stage": row["stage"],
                "students": row["students"],
                "weights": row["weights"],
                "sums": dict(row["sums"]),
                "thresholds": {k: school_threshold(row, k) for k in RESOURCES},
            }
        )
    return schools


def scenario_list(*, user):
    """The scenarios of the districts `user` plans; anyone else sees none."""
    units = districts_covered(user, Action.REVIEW)
    if not units:
        return Scenario.objects.none()
    return Scenario.objects.filter(unit__in=units).select_related("created_by", "unit")


def scenario_get(*, user, pk: int) -> Scenario:
    scenario = scenario_list(user=user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("方案不存在")
    return scenario
