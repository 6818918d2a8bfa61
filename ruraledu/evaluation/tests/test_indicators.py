"""G04 学校规模 and G05 班额 computed from the registry, on hand-made enrolments (year 2024).

D → TA (SA), TB (SB)."""

from ruraledu.indicators.tests._people_data import absent, at, details, pupils, school
from ruraledu.orgunits.choices import SchoolStage

from .test_registry_items import compute


def test_school_size_limit_is_2000_for_a_primary_and_2500_for_a_nine_year_school(
    district, town_a, town_b, school_a
):
    # given SA (primary) with 2001 pupils and N9 (nine-year, under TB) with 2001, of whom the
    # 60 senior-high students do not count; P2000 (primary, TB) with exactly 2000
    code = "evaluation_school_size_rate"
    pupils(school_a, 2001, grade=3)
    nine = school(town_b, "N9", stage=SchoolStage.NINE_YEAR)
    pupils(nine, 1941, grade=8)
    pupils(nine, 60, grade=10)
    at_limit = school(town_b, "P2000")
    pupils(at_limit, 2000, grade=1)
    # when
    rows = compute(code)
    # then
    assert at(rows, code, school_a) == (0.0, 0.0, 1.0)  # 2001 > 2000
    assert details(rows, code, school_a) == {"students": 2001, "limit": 2000, "mark": "fail"}
    assert at(rows, code, nine) == (100.0, 1.0, 1.0)  # 1941 ≤ 2500
    assert details(rows, code, nine)["students"] == 1941
    assert at(rows, code, at_limit) == (100.0, 1.0, 1.0)  # 2000 is at the limit
    assert at(rows, code, town_a) == (0.0, 0.0, 1.0)
    assert at(rows, code, town_b) == (100.0, 2.0, 2.0)
    assert at(rows, code, district) == (round(200 / 3, 9), 2.0, 3.0)


def test_class_size_limit_is_45_in_primary_and_50_in_junior_grades(
    district, town_a, town_b, school_a
):
    # given SA: 一年级1班 46 (over), 一年级2班 45 (at the limit), 3 pupils without a class;
    # J (junior, TB): 七年级1班 50 (at the limit), 七年级2班 51 (over), 八年级1班 51 (over)
    code = "evaluation_class_size_rate"
    pupils(school_a, 46, grade=1, class_name="1班")
    pupils(school_a, 45, grade=1, class_name="2班")
    pupils(school_a, 3, grade=1)
    junior = school(town_b, "J", stage=SchoolStage.JUNIOR)
    pupils(junior, 50, grade=7, class_name="1班")
    pupils(junior, 51, grade=7, class_name="2班")
    pupils(junior, 51, grade=8, class_name="1班")
    empty = school(town_b, "E")
    # when
    rows = compute(code)
    # then
    assert at(rows, code, school_a) == (50.0, 1.0, 2.0)
    assert details(rows, code, school_a) == {"oversized": 1}
    assert at(rows, code, junior) == (round(100 / 3, 9), 1.0, 3.0)
    assert details(rows, code, junior) == {"oversized": 2}
    assert at(rows, code, district) == (40.0, 2.0, 5.0)
    assert absent(rows, code, empty)
