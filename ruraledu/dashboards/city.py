"""Reads for the city page: the districts under a city (or province) side by side — one
indicator across them, each district's target status — and the city's own plan. A fixed number
of queries whatever the number of districts; every unit read goes through the user's scope."""

from collections import Counter, defaultdict

from django.http import Http404

from ruraledu.core.schoolyear import collecting_years, judged_school_year
from ruraledu.indicators.choices import STATUS_SEVERITY, TargetStatus
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue, TargetState
from ruraledu.orgunits.choices import BUREAU_KINDS, OrgUnitKind
from ruraledu.orgunits.models import OrgUnit
from ruraledu.plans.models import Plan, Target

from .selectors import HEADLINES


def city_districts(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """The districts at or below `unit` that the user sees (a district account: itself)."""
    return list(
        OrgUnit.objects.for_user(user)
        .filter(kind=OrgUnitKind.DISTRICT, path__startswith=unit.path)
        .order_by("sort_order", "code")
    )


def city_page(*, user, unit: OrgUnit, code: str | None, year: int | None) -> dict:
    if unit.kind not in BUREAU_KINDS:
        raise Http404("市级对比页只适用于区县、市或省。")
    districts = city_districts(user=user, unit=unit)
    code = code or HEADLINES[0][0]
    indicator = REGISTRY.get(code)
    if indicator is None:
        raise Http404("没有这个指标。")
    units = [unit, *(d for d in districts if d.pk != unit.pk)]
    values = list(
        IndicatorValue.objects.filter(code=code, unit__in=units).exclude(
            year__in=collecting_years()
        )
    )
    years = sorted({v.year for v in values})
    year = year if year in years else judged_school_year(years)
    by_unit = {v.unit_id: v for v in values if v.year == year}
    plans = list(
        Plan.objects.filter(org_unit__in=units).select_related("org_unit").order_by("-start_year")
    )
    plan_of = {}
    for plan in plans:  # the latest plan of each unit
        plan_of.setdefault(plan.org_unit_id, plan)
    counts = defaultdict(Counter)
    targets_of = defaultdict(list)
    for state in TargetState.objects.filter(target__plan__in=plan_of.values()).select_related(
        "target"
    ):
        counts[state.target.plan_id][state.status] += 1
        if state.target.indicator_code == code:
            targets_of[state.target.plan_id].append(state)
    statuses = [s for s in TargetStatus.values if any(c.get(s) for c in counts.values())]
    statuses.sort(key=lambda s: STATUS_SEVERITY.get(s, 9))
    rows = []
    for district in units:
        plan = plan_of.get(district.pk)
        tally = counts.get(plan.pk, Counter()) if plan else Counter()
        rows.append(
            {
                "unit": district,
                "is_self": district.pk == unit.pk,
                "value": by_unit.get(district.pk),
                "plan": plan,
                "counts": [tally.get(s, 0) for s in statuses],
                "targets": targets_of.get(plan.pk, []) if plan else [],
            }
        )
    own_plan = plan_of.get(unit.pk)
    own_targets = (
        list(
            Target.objects.filter(plan=own_plan)
            .select_related("state")
            .order_by("due_date", "code")
        )
        if own_plan
        else []
    )
    return {
        "indicator": indicator,
        "code": code,
        "year": year,
        "years": years,
        "rows": rows,
        "statuses": [(s, TargetStatus(s).label) for s in statuses],
        "choices": [(c, label) for c, label, _ in HEADLINES]
        + sorted((c, i.name) for c, i in REGISTRY.items() if c not in {h[0] for h in HEADLINES}),
        "own_plan": own_plan,
        "own_targets": own_targets,
    }
