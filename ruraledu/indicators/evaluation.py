"""Target status from stored values (rules in PLAN_TARGETS.md), with every change recorded."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ruraledu.core.schoolyear import collecting_years
from ruraledu.plans.choices import (
    YEAR_ON_YEAR,
    Comparator,
    MilestoneStatus,
    Recurrence,
    TargetKind,
)
from ruraledu.plans.models import Plan, Target

from .choices import TargetStatus
from .compare import above, at_least, at_most, equal
from .engine import PENDING, REGISTRY
from .models import IndicatorValue, TargetState, TargetStatusChange


def value_date(year: int) -> dt.date:
    """A school year's figures describe the registry at the start of that year (the 教育事业统计 date)."""
    return dt.date(year, 9, 30)


def meets(target: Target, value: float, previous: float | None = None) -> bool | None:
    threshold = float(target.threshold) if target.threshold is not None else None
    match target.comparator:
        case Comparator.GTE:
            return at_least(value, threshold)
        case Comparator.LTE:
            return at_most(value, threshold)
        case Comparator.EQ:
            return equal(value, threshold)
        case Comparator.BETWEEN:
            return at_least(value, threshold) and at_most(value, float(target.threshold_max))
        case Comparator.INCREASE:  # 逐步提升: not lower than the year before
            return None if previous is None else at_least(value, previous)
        case Comparator.RISE:  # 逐年提升: higher than the year before
            return None if previous is None else above(value, previous)
    return None


def projection(series: list[tuple[int, float]], due: dt.date) -> float | None:
    """Least-squares line through the yearly values, read at the due date."""
    if len(series) < 2:
        return None
    xs = [value_date(year).toordinal() for year, _ in series]
    ys = [value for _, value in series]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y + slope * (due.toordinal() - mean_x)


def judge(
    target: Target, series: list[tuple[int, float]], today: dt.date
) -> tuple[str, float | None, str]:
    """(status, projected value, note) for a measured target given its yearly district values."""
    latest_year, latest = series[-1]
    previous = series[-2][1] if len(series) > 1 else None
    met = meets(target, latest, previous)
    if target.comparator in YEAR_ON_YEAR and met is None:
        return TargetStatus.ON_TRACK, None, "只有一个学年的数据，尚无法比较逐年变化"
    if met:
        return TargetStatus.ACHIEVED, None, f"{latest_year}学年已达到目标"
    if target.recurrence != Recurrence.ONCE:
        year_over = today > dt.date(latest_year + 1, 8, 31)
        if year_over or today > target.due_date:
            return TargetStatus.OVERDUE, None, f"{latest_year}学年未达到本年度要求"
        return TargetStatus.AT_RISK, None, f"{latest_year}学年尚未达到本年度要求"
    if today > target.due_date:
        return TargetStatus.OVERDUE, None, f"已过完成时限（{target.due_date}），最新值未达标"
    projected = projection(series, target.due_date)
    if projected is None:
        if (target.due_date - today).days < 365:
            return TargetStatus.AT_RISK, None, "只有一个学年的数据且距完成时限不足一年"
        return TargetStatus.ON_TRACK, None, "只有一个学年的数据，距完成时限一年以上"
    if meets(target, projected, latest):
        return TargetStatus.ON_TRACK, projected, "按近年趋势可在完成时限前达标"
    return TargetStatus.AT_RISK, projected, "按近年趋势到完成时限仍不能达标"


def plan_root_unit():
    from ruraledu.orgunits.models import OrgUnit

    roots = OrgUnit.objects.filter(parent=None)
    return (
        roots.filter(code=getattr(settings, "PLAN_DISTRICT_CODE", "")).first()
        or roots.order_by("path").first()
    )


def plan_unit(plan):
    """The unit whose stored values judge a plan's targets: the district (or city) that owns
    the plan — a city's values are its districts' rolled up the tree — else the install's root."""
    return plan.org_unit if plan.org_unit_id else plan_root_unit()


def evaluate_target(
    target: Target, root, today: dt.date, collecting: tuple[int, ...] = ()
) -> tuple[str, float | None, int | None, float | None, str]:
    """A target's status from its district values, leaving out years still being collected
    (a nearly empty new year is not a year to judge)."""
    if target.kind == TargetKind.MILESTONE:
        status = {
            MilestoneStatus.DONE: TargetStatus.DONE,
            MilestoneStatus.IN_PROGRESS: TargetStatus.IN_PROGRESS,
        }.get(target.milestone_status, TargetStatus.NOT_STARTED)
        if status != TargetStatus.DONE and today > target.due_date:
            status = TargetStatus.OVERDUE
        return status, None, None, None, "节点任务，依据进展报告审核结果"
    indicator = REGISTRY.get(target.indicator_code)
    if indicator is None:
        return (
            TargetStatus.NO_DATA,
            None,
            None,
            None,
            PENDING.get(target.indicator_code, f"平台没有指标 {target.indicator_code}"),
        )
    series = (
        list(
            IndicatorValue.objects.filter(
                code=target.indicator_code, unit=root, value__isnull=False
            )
            .exclude(year__in=collecting)
            .order_by("year")
            .values_list("year", "value")
        )
        if root
        else []
    )
    if not series:
        return TargetStatus.NO_DATA, None, None, None, indicator.missing_data()
    status, projected, note = judge(target, series, today)
    return status, series[-1][1], series[-1][0], projected, note


@transaction.atomic
def evaluate_targets(
    today: dt.date | None = None,
    codes: set[str] | None = None,
    *,
    at: dt.datetime | None = None,
    last_year: int | None = None,
) -> int:
    """Evaluate every target (only those of the indicators `codes`, whose stored values
    changed, after an incremental recompute); returns how many changed status. `at` and
    `last_year` replay an evaluation of the past: made at `at`, on the figures of the school
    years up to `last_year`."""
    now = at or timezone.now()
    today = today or timezone.localdate(now)
    units = {plan.pk: plan_unit(plan) for plan in Plan.objects.select_related("org_unit")}
    if last_year is None:
        collecting = tuple(collecting_years())
    else:
        later = IndicatorValue.objects.filter(year__gt=last_year).values_list("year", flat=True)
        collecting = tuple(later.distinct().order_by())
    states = {s.target_id: s for s in TargetState.objects.all()}
    changes = 0
    targets = Target.objects.all()
    if codes is not None:
        targets = targets.filter(indicator_code__in=codes)
    for target in targets:
        root = units[target.plan_id]
        status, value, year, projected, note = evaluate_target(target, root, today, collecting)
        state = states.get(target.pk)
        if state is None:
            state = TargetState(target=target, status=status)
            previous = ""
        else:
            previous = state.status
        fields = {
            "status": status,
            "value": value,
            "value_year": year,
            "projected": projected,
            "note": note[:300],
        }
        if state.pk and all(getattr(state, k) == v for k, v in fields.items()):
            continue
        for k, v in fields.items():
            setattr(state, k, v)
        state.evaluated_at = now
        state.save()
        if previous != status:
            TargetStatusChange.objects.create(
                target=target, previous=previous, status=status, value=value, changed_at=now
            )
            changes += 1
    return changes
