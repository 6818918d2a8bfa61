"""A forecast run stored from the database, the staffing rules by hand, and who may change them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ruraledu.audit.models import AuditEvent
from ruraledu.forecast.models import BacktestRow, ForecastCell, StaffingRule
from ruraledu.forecast.selectors import posts_needed, staffing
from ruraledu.forecast.services import forecast_run_create, staffing_rule_set


def test_a_run_forecasts_from_births_and_backtests_the_latest_year(
    rosters, district_admin, school_a
):
    # when
    run = forecast_run_create(actor=district_admin)

    # then school A takes 8 of its village's 20 births; the cohort moves up intact
    assert run.base_year == 2024
    cell = ForecastCell.objects.get(run=run, school=school_a, year=2025, grade=1)
    assert cell.expected == pytest.approx(8)
    assert ForecastCell.objects.filter(run=run, school=school_a).count() == 5 * 2
    backtest = BacktestRow.objects.get(run=run, school=school_a)
    assert (backtest.year, backtest.actual, backtest.forecast, backtest.naive) == (2024, 16, 16, 16)
    assert run.backtest_mape == pytest.approx(0)


def test_only_the_bureau_runs_a_forecast(rosters, town_officer):
    with pytest.raises(PermissionDenied):
        forecast_run_create(actor=town_officer)


def test_posts_by_pupil_teacher_ratio_round_up():
    rule = StaffingRule()
    # 270 junior pupils at 13.5 per post: exactly 20
    assert posts_needed({7: 135, 8: 135}, rule, small=False) == (6, 20, 0, 20)
    # a nine-year school: 190 / 19 + 27 / 13.5 = 12; classes 5 + 1
    assert posts_needed({1: 190, 7: 27}, rule, small=False) == (6, 12, 0, 12)
    # 20 primary pupils: 2 posts by ratio (1.05 → 2)
    assert posts_needed({1: 10, 2: 10}, rule, small=False)[1] == 2


def test_a_small_school_gets_posts_by_class_teacher_ratio():
    # 16 pupils in two classes: 1 post by ratio, 2 × 1.7 = 3.4 → 4 by class
    assert posts_needed({1: 8, 2: 8}, StaffingRule(), small=True) == (2, 1, 4, 4)


def test_staffing_sets_needs_against_posts_held(rosters, district_admin, school_a, school_b):
    # given
    run = forecast_run_create(actor=district_admin)

    # when
    year, lines, towns = staffing(run=run, user=district_admin)

    # then A: 16 pupils, 2 classes → 4 posts, holds 3; B: 60 pupils → 60/19 → 4, holds 2
    by_school = {line.school.pk: line for line in lines}
    assert year == 2025
    a, b = by_school[school_a.pk], by_school[school_b.pk]
    assert (a.pupils, a.needed, a.held, a.gap, a.small) == (16, 4, 3, 1, True)
    assert (b.pupils, b.by_ratio, b.needed, b.held, b.gap) == (60, 4, 4, 2, 2)
    assert {t["name"]: (t["needed"], t["held"], t["short"]) for t in towns} == {
        "甲镇": (4, 3, 1),
        "乙镇": (4, 2, 2),
    }


def test_the_bureau_edits_the_rules_and_the_change_is_audited(rosters, district_admin, school_b):
    # given
    run = forecast_run_create(actor=district_admin)

    # when 生师比 becomes 1:15 for primary
    staffing_rule_set(actor=district_admin, primary_pupils_per_post=Decimal("15"))

    # then the change is in the audit trail
    event = AuditEvent.objects.get(summary="编制核定标准")
    assert event.after["primary_pupils_per_post"] == "15"

    # when it becomes 1:12, B needs 60/12 = 5 posts by ratio
    staffing_rule_set(actor=district_admin, primary_pupils_per_post=Decimal("12"))
    line = next(
        line for line in staffing(run=run, user=district_admin)[1] if line.school == school_b
    )
    assert line.by_ratio == 5
    changed = AuditEvent.objects.filter(summary="编制核定标准").order_by("pk").last()
    assert changed.before == {"primary_pupils_per_post": "15"}


def test_a_town_cannot_edit_the_rules(town_officer):
    with pytest.raises(PermissionDenied):
        staffing_rule_set(actor=town_officer, primary_pupils_per_post=Decimal("15"))
    assert not StaffingRule.objects.exists()
