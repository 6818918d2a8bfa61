"""The plan from real registry rows (enrolments and a facility record, no teachers), read by
the same set-based table the indicators use."""

from ruraledu.indicators.tests._people_data import YEAR, facility, pupils, school
from ruraledu.planning import services
from ruraledu.planning.selectors import district_schools

from .conftest import inputs


def test_a_school_without_teachers_gets_the_cheapest_posts(district, town_a):
    s = school(town_a, "P1")
    pupils(s, 100, year=YEAR)
    facility(
        s,
        year=YEAR,
        teaching_area=450,
        gym_area=150,
        sports_ground_area=600,
        equipment_value=200000,
        multimedia_classrooms=3,
    )
    (row,) = district_schools(YEAR, district)
    assert row["students"] == 100
    assert row["sums"] == {
        "r1": 0,
        "r2": 0,
        "r3": 0,
        "r4": 450,
        "r5": 750,
        "r6": 200000,
        "r7": 3,
    }
    assert row["thresholds"]["r4"] == 4.5
    # By hand: 骨干 and 体育艺术 need 1 each (85 % of 1 and of 0.9 still round up to one post);
    # both count for r1, which may stay at 85 % of 4.2 (3.57): 2 more posts make 4.
    # With a 体育艺术 post dearer than a plain one (130,000 against 120,000), the two extra
    # posts are plain ones: 150,000 + 130,000 + 2 × 120,000 = 520,000.
    costs = {**inputs()["costs"], "r3": 130000}
    result = services.plan_result(year=YEAR, inputs=inputs(costs=costs), unit=district)
    assert result["passes"]
    (planned,) = result["schools"]
    assert planned["adds"] == {"r1": 2, "r2": 1, "r3": 1}
    assert result["cost"] == 520000
    assert planned["after"]["short"] == ["r1"]
