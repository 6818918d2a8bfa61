"""Writes: a district's forecast run (derived data, stored apart from the registry) and the
district's staffing rules (audited). A district's bureau writes its own district's, the city's
bureau each district's; another district does not exist for the writer (404)."""

import time
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.orgunits.districts import districts, districts_covered

from . import engine
from .models import BacktestRow, ForecastCell, ForecastRun, StaffingRule
from .selectors import history_load, latest_roster_year

RULE_FIELDS = (
    "primary_pupils_per_post",
    "junior_pupils_per_post",
    "primary_posts_per_class",
    "junior_posts_per_class",
    "small_school_pupils",
    "teaching_point_pupils",
    "primary_class_size",
    "junior_class_size",
)
SUBJECT_FIELDS = ("lesson_hours", "primary_weekly_lessons", "junior_weekly_lessons")
AUDITED = RULE_FIELDS + SUBJECT_FIELDS
KEEP_RUNS = 5  # older runs are dropped: they are derived and can be recomputed


def writer_unit(actor, unit, denied: str):
    """The district `actor` writes: `unit` if it is one of theirs (else a 404), without one
    their only district. Without any district to write, `denied` is refused; a system job
    (no actor) names its district or takes the install's only one."""
    if actor is None:
        units = districts()
        if unit is None and len(units) != 1:
            raise ValidationError("请指定区县。")
        return unit or units[0]
    units = districts_covered(actor, Action.REVIEW)
    if not units:
        raise PermissionDenied(denied)
    if unit is None:
        if len(units) > 1:
            raise ValidationError("请选择区县。")
        return units[0]
    if unit not in units:
        raise Http404("没有找到该页面。")
    return unit


def _base_year(unit) -> int:
    base_year = latest_roster_year(unit)
    if base_year is None:
        raise ValidationError(f"{unit.name}还没有任何学年的学籍数据，无法预测。")
    return base_year


RUN_DENIED = "只有区教体局可以重新测算生源预测。"


@transaction.atomic
def forecast_run_request(*, actor, unit=None, horizon: int = 5) -> ForecastRun:
    """The page's request: a queued run of the district `unit` (without one, the actor's only
    district), computed by the task worker once this commits (the computation takes over a
    second on the demo district)."""
    from .tasks import run_forecast

    unit = writer_unit(actor, unit, RUN_DENIED)
    base_year = _base_year(unit)
    pending = ForecastRun.objects.filter(
        unit=unit, status__in=[ForecastRun.Status.QUEUED, ForecastRun.Status.RUNNING]
    ).first()
    if pending:
        return pending
    run = ForecastRun.objects.create(
        unit=unit,
        base_year=base_year,
        horizon=horizon,
        created_by=actor,
        status=ForecastRun.Status.QUEUED,
    )
    transaction.on_commit(partial(run_forecast.enqueue, run_id=run.pk))
    return run


def forecast_run_compute(*, run_id: int) -> ForecastRun:
    """The task: fill a queued run; a failure is recorded on the run for the page."""
    ForecastRun.objects.filter(pk=run_id).update(status=ForecastRun.Status.RUNNING)
    try:
        return _fill(ForecastRun.objects.select_related("unit").get(pk=run_id))
    except Exception as exc:  # the run records the failure; the worker logs the traceback
        ForecastRun.objects.filter(pk=run_id).update(
            status=ForecastRun.Status.FAILED, message=f"测算失败：{exc}"[:300]
        )
        raise


@transaction.atomic
def forecast_run_create(*, actor, unit=None, horizon: int = 5) -> ForecastRun:
    """Forecast the district `unit` (without one, the actor's only district) at once (demo
    set-up, benchmarks, tests)."""
    unit = writer_unit(actor, unit, RUN_DENIED)
    base_year = _base_year(unit)
    run = ForecastRun.objects.create(
        unit=unit,
        base_year=base_year,
        horizon=horizon,
        created_by=actor,
        status=ForecastRun.Status.RUNNING,
    )
    return _fill(run)


@transaction.atomic
def _fill(run: ForecastRun) -> ForecastRun:
    """Forecast every school of the run's district `horizon` years past the run's base year
    and backtest that year from the years before it."""
    base_year, horizon = run.base_year, run.horizon
    started = time.perf_counter()
    history = history_load(run.unit)
    result = engine.forecast(history, base_year, horizon)
    check = engine.backtest(history, base_year)
    notes = []
    if not history.births:
        notes.append("尚未导入村居出生人口，一年级按近年平均入学人数推算。")
    if check is None:
        notes.append("只有一个学年的学籍数据，无法回测。")
    run.backtest_year = check.year if check else None
    run.backtest_mape = check.model_mape if check else None
    run.naive_mape = check.naive_mape if check else None
    run.notes = "\n".join(notes)
    ForecastCell.objects.bulk_create(
        (
            ForecastCell(
                run=run,
                school_id=s,
                year=y,
                grade=g,
                expected=round(c.expected, 2),
                low=round(c.low, 2),
                high=round(c.high, 2),
            )
            for (y, s, g), c in result.cells.items()
        ),
        batch_size=2000,
    )
    if check:
        BacktestRow.objects.bulk_create(
            BacktestRow(
                run=run,
                school_id=s,
                year=check.year,
                actual=a,
                forecast=round(f, 2),
                naive=n,
            )
            for s, (a, f, n) in check.per_school.items()
        )
    run.seconds = time.perf_counter() - started
    run.status = ForecastRun.Status.DONE
    run.save()
    done = ForecastRun.objects.filter(unit=run.unit_id, status=ForecastRun.Status.DONE)
    for old in done[KEEP_RUNS:]:
        old.delete()
    return run


@transaction.atomic
def staffing_rule_set(*, actor, unit=None, address: str | None = None, **values) -> StaffingRule:
    """The bureau sets the staffing standards of the district `unit` (without one, of its only
    district); every change is audited."""
    if actor is None:
        raise PermissionDenied("只有区教体局可以修改编制核定标准。")
    unit = writer_unit(actor, unit, "只有区教体局可以修改编制核定标准。")
    rule = StaffingRule.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(rule, AUDITED) if rule else {}
    created = rule is None
    rule = rule or StaffingRule(unit=unit)
    for field in AUDITED:
        if field in values:
            setattr(rule, field, values[field])
    rule.updated_by = actor
    rule.full_clean(exclude=["updated_by"])
    rule.save()
    audit_record(
        actor=actor,
        instance=rule,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        before=before,
        after=snapshot(rule, ("unit", *AUDITED) if created else AUDITED),
        summary="编制核定标准",
        address=address,
    )
    return rule
