"""Reads for planning: the registry's 优质均衡 table of a year, and the bureau's scenarios."""

from django.http import Http404

from ruraledu.accounts.policy import is_bureau
from ruraledu.indicators.definitions.quality import RESOURCES, school_table, school_threshold
from ruraledu.indicators.engine import REGISTRY, Tree, YearContext

from .models import Scenario


def district_schools(year: int) -> list[dict]:
    """Every compulsory school of the method's scope with students: stage, enrolment, weights,
    the seven sums and their thresholds (one set-based pass, as the indicators compute)."""
    from ruraledu.orgunits.models import OrgUnit

    indicators = [REGISTRY[f"yzjh_{k}"] for k in RESOURCES]
    ctx = YearContext(year, indicators, Tree())
    table = school_table(ctx)
    names = dict(OrgUnit.objects.filter(pk__in=table).values_list("pk", "name"))
    codes = dict(OrgUnit.objects.filter(pk__in=table).values_list("pk", "code"))
    schools = []
    for unit, row in sorted(table.items(), key=lambda item: codes.get(item[0], "")):
        if not row["students"]:
            continue
        schools.append(
            {
                "unit": unit,
                "code": codes.get(unit, ""),
                "name": names.get(unit, ""),
                "stage": row["stage"],
                "students": row["students"],
                "weights": row["weights"],
                "sums": dict(row["sums"]),
                "thresholds": {k: school_threshold(row, k) for k in RESOURCES},
            }
        )
    return schools


def scenario_list(*, user):
    """Scenarios are the bureau's alone; anyone else sees none."""
    if not is_bureau(user):
        return Scenario.objects.none()
    return Scenario.objects.select_related("created_by")


def scenario_get(*, user, pk: int) -> Scenario:
    scenario = scenario_list(user=user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("方案不存在")
    return scenario
