"""Writes: a forecast run (derived data, stored apart from the registry) and the bureau's
staffing rules (audited)."""

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

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
KEEP_RUNS = 5  # older runs are dropped: they are derived and can be recomputed


@transaction.atomic
def forecast_run_create(*, actor, horizon: int = 5) -> ForecastRun:
    """Forecast every school of the district `horizon` years past the latest rosters and
    backtest the latest year from the years before it."""
    if actor is not None and not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以重新测算生源预测。")
    base_year = latest_roster_year()
    if base_year is None:
        raise ValidationError("还没有任何学年的学籍数据，无法预测。")
    started = time.perf_counter()
    history = history_load()
    result = engine.forecast(history, base_year, horizon)
    check = engine.backtest(history, base_year)
    notes = []
    if not history.births:
        notes.append("尚未导入村居出生人口，一年级按近年平均入学人数推算。")
    if check is None:
        notes.append("只有一个学年的学籍数据，无法回测。")
    run = ForecastRun.objects.create(
        base_year=base_year,
        horizon=horizon,
        created_by=actor,
        backtest_year=check.year if check else None,
        backtest_mape=check.model_mape if check else None,
        naive_mape=check.naive_mape if check else None,
        notes="\n".join(notes),
    )
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
    run.save(update_fields=["seconds"])
    for old in ForecastRun.objects.all()[KEEP_RUNS:]:
        old.delete()
    return run


@transaction.atomic
def staffing_rule_set(*, actor, address: str | None = None, **values) -> StaffingRule:
    """The bureau sets the staffing standards; every change is audited."""
    if not is_bureau(actor):
        raise PermissionDenied("只有区教体局可以修改编制核定标准。")
    rule = StaffingRule.objects.select_for_update().first()
    before = snapshot(rule, RULE_FIELDS) if rule else {}
    rule = rule or StaffingRule()
    for field in RULE_FIELDS:
        if field in values:
            setattr(rule, field, values[field])
    rule.updated_by = actor
    rule.full_clean(exclude=["updated_by"])
    rule.save()
    audit_record(
        actor=actor,
        instance=rule,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
        summary="编制核定标准",
        address=address,
    )
    return rule
