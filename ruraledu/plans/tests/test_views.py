import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.models import Department
from ruraledu.plans.models import Responsibility


def ours(body: str) -> list[int]:
    """Project numbers marked 本部门 on the plan page."""
    return [
        int(n)
        for n in re.findall(
            r'projects/(\d+)/" class="fw-semibold">[^<]*</a>\s*<span class="badge badge-ours', body
        )
    ]


def test_plan_page_shows_sections_projects_and_targets(client, zichuan_plan, district_leader):
    client.force_login(district_leader)
    body = client.get(reverse("plans:plan_detail")).content.decode()
    assert body.count('class="card section-card"') == 13
    assert len(set(re.findall(r"/plan/projects/(\d+)/", body))) == 41
    assert "城市与农村义务教育教师本科及以上学历比例之比" in body


def test_department_reporter_sees_only_its_projects_as_ours(client, zichuan_plan):
    # given a reporter of 区人社局
    department = Department.objects.get(code="human-resources")
    reporter = UserFactory(username="hr")
    RoleAssignmentFactory(user=reporter, role=Role.DEPARTMENT_REPORTER, department=department)
    expected = sorted(
        Responsibility.objects.filter(department=department, project__isnull=False).values_list(
            "project__number", flat=True
        )
    )
    client.force_login(reporter)
    # then exactly its projects carry the 本部门 mark
    body = client.get(reverse("plans:plan_detail")).content.decode()
    assert sorted(ours(body)) == expected == [6, 20, 22, 24, 25, 26, 27]
    # and its department page lists them as supported, with their targets
    page = client.get(reverse("plans:department_detail", args=["human-resources"])).content.decode()
    assert "本部门" in page
    assert "参与的重点项目（7）" in page
    assert "牵头的重点项目（0）" in page


def test_other_roles_see_no_project_as_ours(client, zichuan_plan, school_clerk):
    client.force_login(school_clerk)
    assert ours(client.get(reverse("plans:plan_detail")).content.decode()) == []


def test_department_page_lists_lead_and_partner_work(client, zichuan_plan, district_leader):
    client.force_login(district_leader)
    page = client.get(
        reverse("plans:department_detail", args=["development-reform"])
    ).content.decode()
    assert "牵头的重点项目（1）" in page  # project 29
    assert "29. 乡村教师住房改善计划" in page
    assert "牵头的方案条目" not in page
    assert "参与的方案条目" in page


def test_project_page(client, zichuan_plan, district_leader):
    client.force_login(district_leader)
    page = client.get(reverse("dashboards:project_detail", args=[23])).content.decode()
    assert "大学生实习支教计划" in page
    assert "27–33人" in page
    assert client.get(reverse("dashboards:project_detail", args=[99])).status_code == 404
    assert client.get(reverse("plans:department_detail", args=["nope"])).status_code == 404


def test_plan_page_without_a_plan_is_404(client, district_leader):
    client.force_login(district_leader)
    assert client.get(reverse("plans:plan_detail")).status_code == 404


def test_plan_page_query_count_is_fixed(client, zichuan_plan, district_leader):
    client.force_login(district_leader)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("plans:plan_detail")).status_code == 200
    # session, user, roles, plan, sections + 4 prefetches, projects + 3 prefetches, general targets
    assert len(captured) <= 16
