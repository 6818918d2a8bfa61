from decimal import Decimal

import pytest
from django.urls import reverse, reverse_lazy

from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.services import recompute
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson


def pupils(school, n):
    for i in range(n):
        p = StudentPerson(name=f"学生{i}", sex="1")
        p.set_id_number(new_id())
        p.save()
        Enrolment.objects.create(person=p, school=school, year=2024, grade=1 + i % 6)


def teachers(school, n, **post):
    for _ in range(n):
        p = StaffPerson(name="教师", sex="2")
        p.set_id_number(new_id())
        p.save()
        Post.objects.create(person=p, school=school, year=2024, degree="2", **post)


@pytest.fixture
def schools(zichuan_plan, school_a, school_b):
    # A: 100 pupils, meets every 优质均衡 standard; B: 100 pupils, short of rooms and equipment
    for school, area, equipment in ((school_a, 600, 300000), (school_b, 300, 100000)):
        pupils(school, 100)
        teachers(school, 6)
        teachers(school, 1, subject="pe", honour="backbone", honour_level="county")
        FacilityRecord.objects.create(
            school=school,
            year=2024,
            teaching_area=Decimal(area),
            gym_area=Decimal(900),
            equipment_value=Decimal(equipment),
            multimedia_classrooms=3,
            sanitary_toilets=school == school_a,
        )
    recompute(years=[2024])


def test_school_profile_marks_pass_and_fail_and_lists_gaps(client, district_admin, schools):
    client.force_login(district_admin)
    body = client.get(reverse("dashboards:unit_profile", args=["SB"])).content.decode()
    figures = body.split('data-testid="profile-figures"')[1].split("</table>")[0]
    assert "乡村学校卫生厕所改造完成率" in figures and "未达标" in figures
    assert 'data-chart="radar-data"' in body
    gaps = body.split('data-testid="gaps"')[1].split("</ul>")[0]
    assert "乡村学校卫生厕所全部改造完成：还需 <strong>1</strong> 个" in gaps


def test_town_profile_is_scoped(client, town_officer, schools):
    client.force_login(town_officer)
    assert client.get(reverse("dashboards:unit_profile", args=["TA"])).status_code == 200
    assert client.get(reverse("dashboards:unit_profile", args=["TB"])).status_code == 404


def test_yzjh_page_colours_each_school_and_shows_the_coefficients(client, district_leader, schools):
    client.force_login(district_leader)
    body = client.get(reverse("dashboards:yzjh")).content.decode()
    table = body.split('data-testid="yzjh-schools"')[1].split("</table>")[0]
    row_a = table.split("甲镇中心小学")[1].split("</tr>")[0]
    row_b = table.split("乙镇中心小学")[1].split("</tr>")[0]
    # A: 6.00 m² and 3000 元 per pupil → pass; B: 3.00 m² (67 % of 4.5) and 1000 元 (50 %) → two fail
    assert "达标" in row_a and "未达标" not in row_a
    assert row_b.count("yz-fail") == 2 and "未达标" in row_b
    cv = body.split('data-testid="cv-table"')[1].split("</table>")[0]
    # rooms per pupil 6 and 3 with equal enrolment: X̄ = 4.5, S = 1.5, CV = 0.333 ≤ 0.5
    assert "0.333 / 0.5" in cv


def test_project_page_shows_status_and_where_it_lags(client, district_leader, schools):
    client.force_login(district_leader)
    body = client.get(reverse("dashboards:project_detail", args=[13])).content.decode()
    targets = body.split('data-testid="project-targets"')[1].split("</table>")[0]
    assert "已逾期" in targets
    assert "乙镇中心小学" in targets and "甲镇中心小学" not in targets


@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("dashboards:project_detail", args=[13]),
        reverse_lazy("dashboards:unit_profile", args=["TA"]),
        reverse_lazy("dashboards:yzjh"),
    ],
)
def test_page_query_counts_do_not_grow_with_schools(client, district_admin, schools, town_a, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ruraledu.orgunits.tests.factories import SchoolFactory

    client.force_login(district_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for i in range(6):
        school = SchoolFactory(org_unit__code=f"Q{i}", org_unit__parent=town_a)
        pupils(school, 2)
        FacilityRecord.objects.create(school=school, year=2024, teaching_area=Decimal(10))
    recompute(years=[2024])
    assert queries() == before
