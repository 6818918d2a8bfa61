"""The plan from registry rows with the inputs read from the registry: a teacher the bureau
lists as movable, and the pupils of the target year taken from the enrolment forecast."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ruraledu.forecast.models import ForecastCell, ForecastRun
from ruraledu.indicators.tests._people_data import YEAR, facility, pupils, school, staff
from ruraledu.planning import services
from ruraledu.planning.inputs import inputs_clean
from ruraledu.planning.plan_data import inputs_check
from ruraledu.workforce.choices import BackboneLevel, Degree, Honour, Subject
from ruraledu.workforce.models import Post

from .conftest import inputs

FULL = {
    "teaching_area": 450,
    "gym_area": 150,
    "sports_ground_area": 600,
    "equipment_value": 200000,
    "multimedia_classrooms": 3,
}


def _teachers(at, count: int, *, backbone: int = 0, names=()) -> None:
    """`count` bachelor teachers, one of PE, the first `backbone` of them county 骨干."""
    for i in range(count):
        person = staff(name=names[i] if i < len(names) else f"教师{i}")
        Post.objects.create(
            person=person,
            school=at,
            year=YEAR,
            degree=Degree.BACHELOR,
            subject=Subject.PE if i == count - 1 else Subject.CHINESE,
            honour=Honour.BACKBONE if i < backbone else Honour.NONE,
            honour_level=BackboneLevel.COUNTY if i < backbone else BackboneLevel.NONE,
        )


@pytest.fixture
def two_schools(district, town_a):
    # P1: 100 pupils, 5 teachers, no 骨干; P2: 100 pupils, 6 teachers of whom 2 are 骨干
    p1, p2 = school(town_a, "P1"), school(town_a, "P2")
    for s in (p1, p2):
        pupils(s, 100, year=YEAR)
        facility(s, year=YEAR, **FULL)
    _teachers(p1, 5)
    _teachers(p2, 6, backbone=2, names=("王老师",))
    return p1, p2


def test_a_listed_teacher_moves_rather_than_a_hire(district, two_schools):
    # By hand: P1 needs one 骨干 (150,000 to hire); 王老师 moving from P2 costs 20,000 and leaves
    # P2 with one 骨干 and 5 teachers above the degree (4.2 needed): the plan moves him.
    raw = inputs(movers_source="list", movers="王老师,P2", move_cost=20000)
    result = services.plan_result(year=YEAR, inputs=inputs_clean(raw), unit=district)
    assert result["passes"] and result["cost"] == 20000 and result["moves"] == 1
    by_code = {row["code"]: row for row in result["schools"]}
    assert by_code["P1"]["adds"] == {}
    assert by_code["P1"]["moves_in"] == [{"name": "王老师", "from": "P2", "cost": 20000.0}]
    assert by_code["P2"]["moves_out"] == [{"name": "王老师", "to": "P1"}]
    assert by_code["P1"]["after"]["values"]["r2"] == 1.0
    # without the list the same plan hires
    hired = services.plan_result(year=YEAR, inputs=inputs_clean(inputs()), unit=district)
    assert hired["cost"] == 150000 and hired["moves"] == 0


def test_a_listed_teacher_not_on_the_roster_is_refused_naming_the_line(district, two_schools):
    raw = inputs_clean(inputs(movers_source="list", movers="王老师,P2\n李老师,P1"))
    with pytest.raises(ValidationError) as error:
        inputs_check(YEAR, raw, district)
    assert error.value.messages == [
        f"可调动教师第 2 行：{YEAR} 学年学校代码“P1”没有名为“李老师”的专任教师。"
    ]


def _forecast(at, pupils_next_year: int, unit) -> ForecastRun:
    run = ForecastRun.objects.create(unit=unit, base_year=YEAR, horizon=5)
    ForecastCell.objects.create(
        run=run, school=at, year=YEAR + 1, grade=1, expected=pupils_next_year, low=0, high=0
    )
    return run


def test_projected_pupils_feed_the_target_year(district, town_a):
    # P1 today: 100 pupils, no teachers (hand-worked in test_registry: 520,000). The forecast
    # says 50 next year. By hand with 50 pupils: 骨干 0.5 and 体育艺术 0.45 still need one post
    # each; those two count for r1 (2 of 2.1 needed: 95 %, the one indicator left under the
    # standard); space, equipment and rooms per pupil double and pass. 150,000 + 130,000.
    p1 = school(town_a, "P1")
    pupils(p1, 100, year=YEAR)
    facility(p1, year=YEAR, **FULL)
    run = _forecast(p1, 50, district)
    # made at 01:30 on 7 December in Beijing (17:30 on the 6th in UTC)
    made = dt.datetime(2026, 12, 6, 17, 30, tzinfo=dt.UTC)
    ForecastRun.objects.filter(pk=run.pk).update(created_at=made)
    costs = {**inputs()["costs"], "r3": 130000}
    result = services.plan_result(
        year=YEAR + 1,
        inputs=inputs_clean(inputs(costs=costs, enrolment="forecast")),
        unit=district,
    )
    (planned,) = result["schools"]
    assert planned["students"] == 50
    assert planned["adds"] == {"r2": 1, "r3": 1}
    assert result["cost"] == 280000 and result["passes"]
    assert planned["before"]["values"]["r4"] == 9.0  # 450 m² over 50 projected pupils
    assert f"{YEAR + 1} 学年预测在校生" in result["basis"]
    assert "（预测于 2026-12-07）" in result["basis"]
    # a target year the forecast does not cover is refused in Chinese
    with pytest.raises(ValidationError) as error:
        inputs_check(YEAR + 6, inputs_clean(inputs(enrolment="forecast")), district)
    assert "目标学年 2030 不在其中" in error.value.messages[0]


def test_no_forecast_yet_says_so(district):
    with pytest.raises(ValidationError) as error:
        inputs_check(YEAR + 1, inputs_clean(inputs(enrolment="forecast")), district)
    assert "还没有完成的生源预测" in error.value.messages[0]


def test_the_demo_adds_a_solved_plan_over_three_years_once(district, two_schools, district_admin):
    from ruraledu.planning.demo import MULTI_YEAR, planning_demo_setup
    from ruraledu.planning.models import Scenario

    p1, p2 = two_schools
    run = ForecastRun.objects.create(unit=district, base_year=YEAR, horizon=5)
    for at in (p1, p2):
        ForecastCell.objects.create(
            run=run, school=at, year=YEAR + 3, grade=1, expected=100, low=90, high=110
        )
    planning_demo_setup(actor=district_admin, year=YEAR)
    planning_demo_setup(actor=district_admin, year=YEAR)
    assert Scenario.objects.count() == 3
    multi = Scenario.objects.get(name=MULTI_YEAR[0])
    assert multi.year == YEAR + 3 and multi.status == "done"
    assert [y["year"] for y in multi.result["year_costs"]] == [YEAR + 1, YEAR + 2, YEAR + 3]
    assert multi.result["passes"] and "预测在校生" in multi.result["basis"]


def test_the_page_and_the_export_say_who_moves(client, two_schools, district_admin):
    import io

    import openpyxl
    from django.urls import reverse

    from ruraledu.planning.services import scenario_create, scenario_solve

    raw = inputs(movers_source="list", movers="王老师,P2", move_cost=20000)
    scenario = scenario_create(actor=district_admin, name="调动", year=YEAR, inputs=raw)
    scenario = scenario_solve(scenario_id=scenario.pk)
    client.force_login(district_admin)
    page = client.get(reverse("planning:scenario_detail", args=[scenario.pk])).content.decode()
    assert "调入：王老师（来自 P2）" in page and "调出：王老师（至 P1）" in page
    assert "可调动教师 1 名，方案调动 1 名" in page
    export = client.get(reverse("planning:scenario_export", args=[scenario.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(export))["逐校方案"]
    header = [c.value for c in sheet[1]]
    moves = {
        row[1]: row[header.index("教师调动")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert moves["P1"] == "调入：王老师（来自 P2）"


def test_a_scenario_edited_while_it_is_solved_keeps_the_edit_and_asks_to_solve_again(
    district_admin, two_schools, monkeypatch
):
    from ruraledu.planning.choices import ScenarioStatus
    from ruraledu.planning.models import Scenario

    raw = inputs(movers_source="list", movers="王老师,P2", move_cost=20000)
    scenario = services.scenario_create(actor=district_admin, name="调动", year=YEAR, inputs=raw)
    solve = services.plan_result

    def edited_meanwhile(**kwargs):
        # the bureau saves new inputs while the job computes from the old ones
        result = solve(**kwargs)
        stale = Scenario.objects.get(pk=scenario.pk)
        services.scenario_update(
            actor=district_admin, scenario=stale, name="不调动", year=YEAR, inputs=inputs()
        )
        return result

    monkeypatch.setattr(services, "plan_result", edited_meanwhile)
    solved = services.scenario_solve(scenario_id=scenario.pk)
    # the edit stays, no result from the old inputs is shown as its, and the user is told
    assert solved.name == "不调动" and solved.inputs == inputs_clean(inputs())
    assert solved.result is None and solved.gap is None
    assert solved.status == ScenarioStatus.FAILED
    assert solved.message == "求解期间方案的输入已修改，本次结果未保存，请重新求解。"
