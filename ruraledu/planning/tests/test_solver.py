"""The exact checker on hand-made schools, and least-cost plans whose optimum is known."""

import pytest

from ruraledu.indicators.definitions.quality import weighted_cv
from ruraledu.planning import plan_data, services
from ruraledu.planning.checker import plan_check, rules
from ruraledu.planning.solver import naive_plan, plan_cost, solve

from .conftest import COSTS, inputs, school


def _solve(schools, **changes):
    partial, limits = rules()
    return solve(schools, inputs(**changes), partial=partial, cv_limits=limits)


def test_checker_applies_six_of_seven_with_the_rest_at_85_percent():
    schools = [
        school(1),  # all seven at the standard
        school(2, r5=700),  # r5 at 93 %: partial, still complies
        school(3, r5=700, r4=400),  # two under the standard
        school(4, r5=600),  # r5 at 80 %: under 85 %
        school(5, r2=0.85),  # r2 exactly at 85 %
    ]
    judged = plan_check(schools, {})["schools"]
    assert {u: j["verdict"] for u, j in judged.items()} == {
        1: True,
        2: True,
        3: False,
        4: False,
        5: True,
    }
    assert judged[3]["short"] == ["r4", "r5"]
    # the plan's additions count: 38 m² of sports space lifts school 4 to 85 %
    assert plan_check(schools, {4: {"r5": 38}})["schools"][4]["verdict"] is True
    assert plan_check(schools, {4: {"r5": 37}})["schools"][4]["verdict"] is False


def test_tiny_case_optimum_worked_by_hand():
    # 100 pupils: 3.5 teachers above the required degree (needs 4.2), no 骨干 (needs 1),
    # 600 m² of sports space (needs 750; 85 % is 637.5).
    # By hand: one 骨干 teacher (150,000) also counts for r1 (4.5 ≥ 4.2); r2 cannot stay short
    # (85 % of 1 teacher still needs 1); r5 may stay short at 85 %: 38 m² × 1,200 = 45,600.
    # Optimum 195,600. Naive: r1 1 teacher + r2 1 teacher + r5 150 m² = 450,000.
    schools = [school(1, r1=3.5, r2=0, r5=600)]
    result = _solve(schools)
    assert result["mode"] == "full"
    assert result["plan"] == {1: {"r2": 1, "r5": 38}}
    assert result["cost"] == 195600
    assert plan_check(schools, result["plan"])["passes"]
    naive = naive_plan(schools, failing={1})
    assert naive == {1: {"r1": 1, "r2": 1, "r5": 150}}
    assert plan_cost(naive, COSTS) == 450000


def test_cv_limit_binds_and_the_plan_raises_the_low_schools():
    # three schools that each meet the rule; one has ten times the equipment per pupil, so the
    # primary 差异系数 of r6 is over 0.50. By hand: raising both low schools to f gives
    # CV = √2 (20000 − f) / (2f + 20000) ≤ 0.5, so f ≥ 18284 / 2.4142 ≈ 7573.6 yuan per pupil:
    # about 2 × 557,360 yuan.
    schools = [school(1), school(2), school(3, r6=2_000_000)]
    before = plan_check(schools, {})
    r6 = next(c for c in before["coefficients"] if c["key"] == "r6")
    assert r6["cv"] > 0.5 and not before["passes"]
    assert all(j["verdict"] for j in before["schools"].values())
    result = _solve(schools)
    checked = plan_check(schools, result["plan"])
    assert checked["passes"]
    after = next(c for c in checked["coefficients"] if c["key"] == "r6")
    assert after["cv"] <= 0.5
    assert set(result["plan"]) == {1, 2}
    assert result["cost"] == pytest.approx(2 * (7573.6 - 2000) * 100, rel=0.01)
    # the naive plan raises no one (every school complies) and so leaves the CV over the limit
    assert naive_plan(schools, failing=set()) == {}


def test_budget_too_small_gives_the_best_partial_plan(monkeypatch):
    # two failing schools: school 1 needs 45,600 (38 m²), school 2 needs a 骨干 teacher
    # (150,000) and 45,600; a budget of 100,000 can bring only school 1 to the standard
    schools = [school(1, r5=600), school(2, r2=0, r5=600), school(3)]
    monkeypatch.setattr(plan_data, "district_schools", lambda year, unit: schools)
    result = services.plan_result(year=2025, inputs=inputs(budget=100000), unit=None)
    assert result["mode"] == "partial"
    assert result["passes"] is False
    assert result["cost"] <= 100000
    assert result["still_failing"] == ["学校2"]
    assert "预算" in result["message"]
    by_unit = {row["unit"]: row for row in result["schools"]}
    assert by_unit[1]["adds"] == {"r5": 38} and by_unit[1]["after"]["verdict"]
    # with enough money both pass, at the worked cost, and the saving against naive shows
    full = services.plan_result(year=2025, inputs=inputs(budget=500000), unit=None)
    assert full["passes"] and full["cost"] == 45600 + 195600
    assert full["naive_cost"] == 2 * 180000 + 150000
    assert full["saving"] == full["naive_cost"] - full["cost"]


def test_limit_per_school_blocks_the_plan_and_says_so(monkeypatch):
    schools = [school(1, r5=600), school(2, r5=600)]
    monkeypatch.setattr(plan_data, "district_schools", lambda year, unit: schools)
    limits = {"S2": {"area": 10, "posts": 0}}
    result = services.plan_result(year=2025, inputs=inputs(limits=limits), unit=None)
    assert result["mode"] == "partial" and not result["passes"]
    assert result["still_failing"] == ["学校2"]


def test_weighted_cv_is_the_indicators_own():
    assert weighted_cv([(1, 1), (1, 1)]) == 0
