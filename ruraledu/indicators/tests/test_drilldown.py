"""Drill-downs list exactly what the engine counted (campuses included), the ones short of the
numerator with the reasons, and nothing outside the user's scope."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute

from ._people_data import YEAR, campus, pupils, teacher


def stored(code: str, unit: str = "D") -> IndicatorValue:
    return IndicatorValue.objects.get(code=code, unit__code=unit, year=YEAR)


def listed(client, code: str, part: str, unit: str = "D") -> list[tuple]:
    """The rows of the page's Excel export (every row, not one page), headers first."""
    url = reverse("indicators:indicator_records", args=[code])
    response = client.get(f"{url}?unit={unit}&year={YEAR}&part={part}&format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def teaching_point(school_a):
    point = campus(school_a, "SA-P")
    point.org_unit.name = "甲镇示例教学点"
    point.org_unit.save()
    return point


def test_staff_of_a_teaching_point_are_listed_as_counted(
    client, district_admin, school_a, teaching_point
):
    # given: one teacher at the school, one at its 教学点 (not yet health-checked)
    teacher(school_a, health_check=True)
    teacher(teaching_point, health_check=False)
    recompute(years=[YEAR])
    client.force_login(district_admin)

    # when
    rows = listed(client, "rural_teacher_health_check_rate", "denominator")

    # then
    assert stored("rural_teacher_health_check_rate").denominator == 2
    assert len(rows) - 1 == 2
    assert sorted(r[1] for r in rows[1:]) == ["甲镇中心小学", "甲镇示例教学点"]
    short = listed(client, "rural_teacher_health_check_rate", "short")
    assert [(r[1], r[2]) for r in short[1:]] == [("甲镇示例教学点", "甲镇")]
    assert short[0][-1] == "本年度已健康体检" and short[1][-1] == "否"


def test_classrooms_short_of_the_standard_are_listed_with_the_gap(
    client, district_admin, school_a, teaching_point
):
    # given
    FacilityRecord.objects.create(
        school=school_a, year=YEAR, classrooms=4, classrooms_lighting_ok=3
    )
    FacilityRecord.objects.create(
        school=teaching_point, year=YEAR, classrooms=2, classrooms_lighting_ok=0
    )
    FacilityRecord.objects.create(
        school=campus(school_a, "SA-Q"), year=YEAR, classrooms=1, classrooms_lighting_ok=1
    )
    recompute(years=[YEAR])
    client.force_login(district_admin)
    value = stored("rural_classroom_lighting_rate")

    # when
    denominator = listed(client, "rural_classroom_lighting_rate", "denominator")
    short = listed(client, "rural_classroom_lighting_rate", "short")

    # then
    assert (value.numerator, value.denominator) == (4, 7)
    assert sum(r[-1] for r in denominator[1:]) == 7
    assert short[0][-3:] == ("合计", "已达到", "差额")
    assert sorted((r[0], r[-1]) for r in short[1:]) == [("甲镇中心小学", 1), ("甲镇示例教学点", 2)]


@pytest.fixture
def priority_pupils(school_a, school_b):
    pupils(school_a, 1, left_behind=True, aid_received=True)
    (missed,) = pupils(school_a, 1, left_behind=True, aid_received=False)
    missed.person.name = "张小明"
    missed.person.save()
    pupils(school_b, 1, orphan=True, aid_received=False)
    pupils(school_b, 2)  # no care category: in neither part
    recompute(years=[YEAR])


def test_pupils_short_of_aid_are_the_priority_pupils_without_it_with_their_category(
    client, district_admin, priority_pupils
):
    # given
    client.force_login(district_admin)
    value = stored("priority_student_aid_rate")

    # when
    rows = listed(client, "priority_student_aid_rate", "short")

    # then
    header = rows[0]
    assert value.denominator - value.numerator == len(rows) - 1 == 2
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name["张小明"]["关注类别"] == "留守儿童"
    assert by_name["张小明"]["镇街"] == "甲镇" and by_name["张小明"]["已获资助"] == "否"
    assert by_name["SB-0"]["关注类别"] == "孤儿" and by_name["SB-0"]["镇街"] == "乙镇"


def test_read_only_roles_see_short_lists_without_names_or_care_categories(
    client, district_leader, priority_pupils
):
    # given
    client.force_login(district_leader)

    # when
    url = reverse("indicators:indicator_records", args=["priority_student_aid_rate"])
    body = client.get(f"{url}?unit=D&year={YEAR}&part=short").content.decode()

    # then
    assert "张*明" in body and "张小明" not in body
    assert "（无权查看）" in body and "留守儿童" not in body
    # and the other categories the shortfall names (已获资助 here) are withheld too, on the page
    # and in its export
    rows = listed(client, "priority_student_aid_rate", "short")
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["张*明"]["已获资助"] == by_name["张*明"]["关注类别"] == "（无权查看）"


@pytest.mark.parametrize(
    ("code", "part"),
    [
        ("yzjh_cv_r4_primary", "table"),
        ("priority_student_aid_rate", "short"),
        ("yzjh_school_compliance_rate", "numerator"),
        ("xqpjph_p2", "denominator"),
    ],
)
def test_a_unit_out_of_scope_is_404_and_an_own_unit_answers(
    client, town_officer, priority_pupils, code, part
):
    # given
    client.force_login(town_officer)
    url = reverse("indicators:indicator_records", args=[code])

    # when / then
    assert client.get(f"{url}?unit=TB&year={YEAR}&part={part}").status_code == 404
    assert client.get(f"{url}?unit=D&year={YEAR}&part={part}").status_code == 404
    assert client.get(f"{url}?unit=TA&year={YEAR}&part={part}").status_code == 200


def test_a_part_an_indicator_does_not_have_is_404(client, district_admin, priority_pupils):
    client.force_login(district_admin)
    url = reverse("indicators:indicator_records", args=["rural_provincial_scholarly_campus_count"])
    assert client.get(f"{url}?unit=D&year={YEAR}&part=short").status_code == 404
    assert client.get(f"{url}?unit=D&year={YEAR}&part=numerator").status_code == 200


def test_every_indicator_has_a_drill_down(district_admin, priority_pupils):
    from ruraledu.orgunits.models import OrgUnit

    district = OrgUnit.objects.get(code="D")
    for indicator in REGISTRY.values():
        found = [
            drill_records(
                indicator=indicator, part=part, unit=district, year=YEAR, user=district_admin
            )
            for part in ("numerator", "denominator", "short", "table")
        ]
        assert any(found), indicator.code
