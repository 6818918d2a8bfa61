from django.core.management import call_command
from django.urls import reverse

from ruraledu.accounts.models import RoleAssignment, User
from ruraledu.demo.services import DEMO_PASSWORD
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.plans.models import Plan, Project, Section, Target

TOWNS = [
    "般阳路街道",
    "将军路街道",
    "松龄路街道",
    "钟楼街道",
    "岭子镇",
    "双杨镇",
    "罗村镇",
    "龙泉镇",
    "寨里镇",
    "西河镇",
    "太河镇",
    "昆仑镇",
    "洪山镇",
    "经济开发区",
]


def counts():
    return [
        m.objects.count()
        for m in (Plan, Section, Project, Target, OrgUnit, School, User, RoleAssignment)
    ]


def test_setup_demo_builds_the_district_and_prints_logins(db, capsys):
    call_command("setup_demo", scale="tiny")
    out = capsys.readouterr().out
    for username in ("admin", "leader", "dept", "town", "clerk", "inspector", "researcher"):
        assert username in out
    assert DEMO_PASSWORD in out
    assert (Plan.objects.count(), Section.objects.count(), Project.objects.count()) == (1, 13, 41)
    district = OrgUnit.objects.get(parent=None)
    assert list(district.children.order_by("sort_order").values_list("name", flat=True)) == TOWNS
    assert School.objects.rural().exists() and School.objects.urban().exists()
    villages = OrgUnit.objects.filter(kind="village", name__contains="示例")
    assert 9 * 15 <= villages.count() <= 9 * 25 + 4 * 10 + 6
    clerk_unit = RoleAssignment.objects.get(user__username="clerk").org_unit
    assert clerk_unit.parent.name == "昆仑镇" and clerk_unit.school.is_town_seat
    inspected = RoleAssignment.objects.filter(user__username="inspector", role="inspector")
    assert inspected.count() == 2 and all(a.org_unit.school.is_rural for a in inspected)


def test_setup_demo_twice_changes_nothing(db):
    call_command("setup_demo", scale="tiny")
    before = counts()
    call_command("setup_demo", scale="tiny")
    assert counts() == before


def test_every_demo_login_works_and_reaches_the_plan(client, db):
    call_command("setup_demo", scale="tiny")
    for username in ("admin", "leader", "dept", "town", "clerk", "inspector", "researcher"):
        client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.get(reverse("plans:plan_detail")).status_code == 200, username
        client.post(reverse("accounts:logout"))


def test_demo_clerk_cannot_open_another_school(client, db):
    call_command("setup_demo", scale="tiny")
    client.force_login(User.objects.get(username="clerk"))
    own = RoleAssignment.objects.get(user__username="clerk").org_unit
    other = School.objects.exclude(org_unit=own).exclude(org_unit__parent=own).first().org_unit
    assert client.get(reverse("orgunits:unit_detail", args=[own.code])).status_code == 200
    assert client.get(reverse("orgunits:unit_detail", args=[other.code])).status_code == 404


def test_the_demo_is_regenerated_over_its_cases_and_visits(db):
    # given a demo with care cases and supervision visits on its schools and pupils
    from ruraledu.care.models import DropoutCase
    from ruraledu.demo.services import demo_setup
    from ruraledu.supervision.models import Visit

    demo_setup(scale="tiny", years=[2024, 2025])
    assert DropoutCase.objects.exists() and Visit.objects.exists()
    # when the demo is asked for other years, the generator replaces the district
    demo_setup(scale="tiny", years=[2023, 2024, 2025])
    # then it is rebuilt whole, with its cases and visits set up again
    assert DropoutCase.objects.exists() and Visit.objects.exists()
    assert School.objects.filter(org_unit__name__contains="示例").exists()
