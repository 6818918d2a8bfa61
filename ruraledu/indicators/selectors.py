"""Reads for indicator and target pages, scoped to the user."""

import datetime as dt

from django.http import Http404

from ruraledu.accounts.scoping import scope_paths
from ruraledu.orgunits.models import OrgUnit

from .engine import REGISTRY, Indicator
from .evaluation import plan_root_unit  # noqa: F401  (re-exported for views)
from .models import IndicatorValue, TargetState, TargetStatusChange


def indicator_get(code: str) -> Indicator:
    try:
        return REGISTRY[code]
    except KeyError as exc:
        raise Http404("没有这个指标。") from exc


def home_unit(user) -> OrgUnit | None:
    """Where a user's view starts: the district for the bureau, the town, the school …"""
    if user.is_superuser:
        return plan_root_unit()
    paths = scope_paths(user, "view")
    if not paths:
        return None
    return OrgUnit.objects.filter(path=min(paths, key=len)).first()


def unit_for_user(user, code: str | None) -> OrgUnit:
    if not code:
        unit = home_unit(user)
        if unit is None:
            raise Http404("您的角色不涉及单位数据。")
        return unit
    try:
        return OrgUnit.objects.for_user(user).get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404("没有这个单位，或不在您的权限范围内。") from exc


def value_trend(*, code: str, unit: OrgUnit) -> list[IndicatorValue]:
    return list(IndicatorValue.objects.filter(code=code, unit=unit).order_by("year"))


def child_values(
    *, code: str, unit: OrgUnit, year: int, user
) -> list[tuple[OrgUnit, IndicatorValue]]:
    """The value of each child unit (towns of a district, schools of a town …) the user may see."""
    children = OrgUnit.objects.for_user(user).filter(parent=unit)
    values = (
        IndicatorValue.objects.filter(code=code, year=year, unit__in=children)
        .select_related("unit")
        .order_by("unit__kind", "unit__sort_order", "unit__name")
    )
    return [(v.unit, v) for v in values]


def years_of(code: str) -> list[int]:
    return sorted(
        IndicatorValue.objects.filter(code=code).values_list("year", flat=True).distinct(),
        reverse=True,
    )


def target_states():
    return TargetState.objects.select_related("target__project").order_by(
        "target__due_date", "target__code"
    )


def target_statuses_at(*, plan, at: dt.datetime) -> dict[int, str]:
    """Each target's status as it stood just before `at`, from the status history (every
    evaluation that changed a status, the first one included); a target not yet evaluated
    then is left out."""
    statuses = {}
    for target_id, status in (
        TargetStatusChange.objects.filter(target__plan=plan, changed_at__lt=at)
        .order_by("changed_at", "pk")
        .values_list("target_id", "status")
    ):
        statuses[target_id] = status
    return statuses
