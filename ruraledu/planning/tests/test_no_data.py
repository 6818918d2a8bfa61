"""A year without registry data: the real loader finds no school and the scenario says so."""

from ruraledu.planning.choices import ScenarioStatus
from ruraledu.planning.inputs import DEFAULTS
from ruraledu.planning.selectors import district_schools
from ruraledu.planning.services import scenario_create, scenario_solve


def test_a_year_without_data_fails_with_a_chinese_message(district, district_admin, school_a):
    assert district_schools(2031, district) == []
    scenario = scenario_create(actor=district_admin, name="空年份", year=2031, inputs=DEFAULTS)
    scenario = scenario_solve(scenario_id=scenario.pk)
    assert scenario.status == ScenarioStatus.FAILED
    assert scenario.message == "2031 学年没有参评学校的数据（在校生、设施、教师），无法求解。"
