import datetime as dt
from decimal import Decimal

import pytest

from ruraledu.indicators.choices import TargetStatus
from ruraledu.indicators.engine import PENDING
from ruraledu.indicators.evaluation import evaluate_targets, judge, projection
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.plans.models import Plan, Target

TODAY = dt.date(2026, 11, 29)


def target(**fields) -> Target:
    values = {
        "kind": "measured",
        "comparator": "gte",
        "threshold": Decimal(100),
        "due_date": dt.date(2027, 12, 31),
        "recurrence": "once",
        "indicator_code": "rural_sanitary_toilet_rate",
    }
    values.update(fields)
    return Target(**values)


def test_met_latest_value_is_achieved():
    assert judge(target(), [(2024, 90.0), (2025, 100.0)], TODAY)[0] == TargetStatus.ACHIEVED


def test_past_due_and_not_met_is_overdue():
    assert (
        judge(target(due_date=dt.date(2025, 12, 31)), [(2024, 90.0), (2025, 95.0)], TODAY)[0]
        == TargetStatus.OVERDUE
    )


def test_trend_reaching_the_threshold_is_on_track():
    # +10 points a year from 80 (2024) and 90 (2025): the line passes 100 before 2027-12-31
    status, projected, _ = judge(target(), [(2024, 80.0), (2025, 90.0)], TODAY)
    assert status == TargetStatus.ON_TRACK
    assert projected == pytest.approx(
        90 + 10 * (dt.date(2027, 12, 31) - dt.date(2025, 9, 30)).days / 365, rel=1e-3
    )


def test_trend_falling_short_is_at_risk():
    assert judge(target(), [(2024, 80.0), (2025, 81.0)], TODAY)[0] == TargetStatus.AT_RISK


def test_a_single_value_close_to_the_due_date_is_at_risk():
    assert (
        judge(target(due_date=dt.date(2027, 6, 30)), [(2025, 50.0)], TODAY)[0]
        == TargetStatus.AT_RISK
    )
    assert (
        judge(target(due_date=dt.date(2028, 12, 31)), [(2025, 50.0)], TODAY)[0]
        == TargetStatus.ON_TRACK
    )


def test_lower_is_better_and_bands():
    ratio = target(comparator="lte", threshold=Decimal("1.05"))
    assert judge(ratio, [(2025, 1.04)], TODAY)[0] == TargetStatus.ACHIEVED
    band = target(
        comparator="between", threshold=Decimal(27), threshold_max=Decimal(33), recurrence="yearly"
    )
    assert judge(band, [(2025, 30.0)], TODAY)[0] == TargetStatus.ACHIEVED
    # a yearly requirement missed in a finished school year is overdue for that year
    assert judge(band, [(2025, 35.0)], TODAY)[0] == TargetStatus.OVERDUE


def test_increase_compares_with_the_year_before():
    rising = target(comparator="increase", threshold=None, recurrence="yearly")
    assert judge(rising, [(2024, 60.0), (2025, 61.0)], TODAY)[0] == TargetStatus.ACHIEVED
    assert judge(rising, [(2024, 60.0), (2025, 59.0)], TODAY)[0] == TargetStatus.OVERDUE
    assert judge(rising, [(2025, 59.0)], TODAY)[0] == TargetStatus.ON_TRACK


def test_projection_is_a_least_squares_line():
    assert projection(
        [(2023, 10.0), (2024, 20.0), (2025, 30.0)], dt.date(2026, 9, 30)
    ) == pytest.approx(40.0, abs=0.05)
    assert projection([(2025, 10.0)], dt.date(2026, 9, 30)) is None


@pytest.fixture
def plan(db):
    return Plan.objects.create(code="p", title="测试方案", start_year=2023, end_year=2027)


def test_statuses_are_stored_and_every_change_is_recorded(plan, district, monkeypatch):
    # an indicator the plan names that the platform does not compute yet
    monkeypatch.setitem(PENDING, "pending_indicator", "该项数据尚未纳入平台")
    measured = Target.objects.create(
        plan=plan,
        code="T1",
        text="厕所",
        **{
            k: v
            for k, v in target().__dict__.items()
            if k in ("kind", "comparator", "threshold", "due_date", "recurrence", "indicator_code")
        },
    )
    milestone = Target.objects.create(
        plan=plan, code="T2", text="制度", kind="milestone", due_date=dt.date(2030, 12, 31)
    )
    missing = Target.objects.create(
        plan=plan,
        code="T3",
        text="个案",
        kind="measured",
        comparator="eq",
        threshold=0,
        due_date=dt.date(2030, 12, 31),
        indicator_code="pending_indicator",
    )
    # given no values yet
    evaluate_targets(TODAY)
    assert TargetState.objects.get(target=measured).status == TargetStatus.NO_DATA
    assert "缺少办学条件数据" in TargetState.objects.get(target=measured).note
    assert TargetState.objects.get(target=milestone).status == TargetStatus.NOT_STARTED
    assert "尚未纳入平台" in TargetState.objects.get(target=missing).note
    # when values arrive
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    IndicatorValue.objects.create(
        code="rural_sanitary_toilet_rate", unit=district, year=2025, value=100.0, computed_at=now
    )
    assert evaluate_targets(TODAY) == 1
    # then the change is recorded once, and re-evaluating records nothing new
    assert TargetState.objects.get(target=measured).status == TargetStatus.ACHIEVED
    change = TargetStatusChange.objects.filter(target=measured).order_by("changed_at").last()
    assert (change.previous, change.status, change.value) == (
        TargetStatus.NO_DATA,
        TargetStatus.ACHIEVED,
        100.0,
    )
    assert evaluate_targets(TODAY) == 0
    assert TargetStatusChange.objects.filter(target=measured).count() == 2


def test_rise_needs_a_higher_value_than_last_year_and_increase_only_no_lower():
    # P24-1 says 逐年提升 (higher than last year); P26-2 says 逐步提升 (not lower)
    flat = [(2024, 60.0), (2025, 60.0)]
    assert judge(target(comparator="rise", threshold=None), flat, TODAY)[0] != (
        TargetStatus.ACHIEVED
    )
    assert judge(target(comparator="increase", threshold=None), flat, TODAY)[0] == (
        TargetStatus.ACHIEVED
    )
    rising = [(2024, 60.0), (2025, 60.5)]
    assert judge(target(comparator="rise", threshold=None), rising, TODAY)[0] == (
        TargetStatus.ACHIEVED
    )


def test_the_zichuan_plan_follows_each_targets_wording(zichuan_plan):
    assert Target.objects.get(code="P24-1").comparator == "rise"  # 逐年提升
    assert Target.objects.get(code="P26-2").comparator == "increase"  # 逐步提升


def test_a_past_evaluation_is_replayed_on_the_figures_of_its_years(plan, district):
    measured = Target.objects.create(
        plan=plan, code="T1", text="厕所", due_date=dt.date(2027, 12, 31), **_measured()
    )
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for year, value in ((2023, 80.0), (2024, 90.0), (2025, 100.0)):
        IndicatorValue.objects.create(
            code="rural_sanitary_toilet_rate",
            unit=district,
            year=year,
            value=value,
            computed_at=now,
        )
    # judged at 2024-12-01 on 2023 and 2024 only: the trend reaches 100 before the due date
    at = dt.datetime(2024, 12, 1, 9, tzinfo=dt.UTC)
    assert evaluate_targets(at=at, last_year=2024) == 1
    state = TargetState.objects.get(target=measured)
    assert (state.status, state.value, state.value_year) == (TargetStatus.ON_TRACK, 90.0, 2024)
    assert state.evaluated_at == at
    assert TargetStatusChange.objects.get(target=measured).changed_at == at
    # today, on every year: achieved
    assert evaluate_targets(TODAY) == 1
    assert TargetState.objects.get(target=measured).status == TargetStatus.ACHIEVED


def _measured() -> dict:
    keys = ("kind", "comparator", "threshold", "recurrence", "indicator_code")
    return {k: v for k, v in target().__dict__.items() if k in keys}
