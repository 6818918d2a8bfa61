"""The demo: the Zichuan plan and org tree, a generated district registry (fictional schools
and people, marked 示例) and one account per role. `make run` calls `demo_setup` every time;
it generates the district only when it is not there yet, so a second run changes nothing."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment, User
from ruraledu.aid.demo import aid_demo_setup, aid_demo_wipe
from ruraledu.demo.care import care_demo_setup, care_demo_wipe, growth_demo_setup
from ruraledu.demo.care_lists import lists_demo_setup
from ruraledu.demo.hotline import hotline_demo_setup, hotline_demo_wipe
from ruraledu.demo.reporting import progress_reports_demo_setup, reporting_demo_setup
from ruraledu.demo.supervision import supervision_demo_setup, supervision_demo_wipe
from ruraledu.evaluation.demo import evaluation_demo_setup, evaluation_demo_wipe
from ruraledu.forecast.demo import forecast_demo_setup, forecast_demo_wipe
from ruraledu.inclusion.demo import inclusion_demo_setup, inclusion_demo_wipe
from ruraledu.leftbehind.demo import leftbehind_demo_setup, leftbehind_demo_wipe
from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.orgunits.models import Department, OrgUnit, School
from ruraledu.orgunits.services import orgunits_load
from ruraledu.planning.demo import planning_demo_setup
from ruraledu.plans.loader import department_code, load_plan

from .generator.district import ZICHUAN
from .generator.runner import ORG_FILE, demo_complete, demo_generate, parse_years

__all__ = ["DEMO_PASSWORD", "DemoLogin", "demo_generate", "demo_setup"]

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "zichuan-2023.yaml"
DEMO_PASSWORD = "Demo@2026"
DEMO_SEED = 1


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


def _account(
    username: str,
    full_name: str,
    role: str,
    *,
    units: list[OrgUnit] = (),
    department: Department | None = None,
    superuser: bool = False,
) -> User:
    """A demo user holding exactly these assignments (earlier demo assignments are dropped)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "is_staff": superuser,
            "is_superuser": superuser,
            # in production a set-up account's printed password is changed at the first login
            "must_change_password": settings.PASSWORD_CHANGE_FIRST_LOGIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    wanted = [(role, unit, None) for unit in units] or [(role, None, department)]
    keep = []
    for role_value, unit, dept in wanted:
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=user, role=role_value, org_unit=unit, department=dept
        )
        keep.append(assignment.pk)
    RoleAssignment.objects.filter(user=user).exclude(pk__in=keep).delete()
    return user


def _schools(town: OrgUnit, **filters) -> list[OrgUnit]:
    rows = School.objects.filter(
        org_unit__parent=town, org_unit__kind=OrgUnitKind.SCHOOL, org_unit__name__contains="示例"
    )
    return [
        s.org_unit
        for s in rows.filter(**filters).select_related("org_unit").order_by("org_unit__code")
    ]


@transaction.atomic
def demo_setup(*, scale: str = "district", years: list[int] | None = None) -> list[DemoLogin]:
    """Load the plan and org tree, generate the demo district if missing, create the accounts."""
    # under a city (the city demo) Zichuan's plan and departments are Zichuan's own
    zichuan = OrgUnit.objects.filter(code=ZICHUAN, parent__isnull=False).first()
    load_plan(PLAN_FILE, zichuan)
    orgunits_load(ORG_FILE)
    years = years or parse_years(None, scale)
    if not demo_complete(ZICHUAN, years):
        demo_schools = School.objects.filter(
            Q(org_unit__path__startswith=f"{ZICHUAN}/")
            | Q(org_unit__path__contains=f"/{ZICHUAN}/"),
            org_unit__name__contains="示例",
        )
        hotline_demo_wipe(demo_schools)  # first: its 问责 steps hold supervision items
        supervision_demo_wipe(demo_schools)
        inclusion_demo_wipe(demo_schools)  # before care's: decisions hold list entries
        care_demo_wipe(demo_schools)
        aid_demo_wipe(demo_schools)
        leftbehind_demo_wipe(demo_schools)
        forecast_demo_wipe()  # births hold on to the demo villages
        evaluation_demo_wipe(demo_schools)  # survey answers and evidence hold on to schools
        # Replaces leftovers of an older or partial demo (only rows the generator marks 示例).
        demo_generate(scale=scale, years=years, seed=DEMO_SEED, replace=True)
    district = OrgUnit.objects.get(code=ZICHUAN)
    kunlun = district.children.get(name="昆仑镇")
    shuangyang = district.children.get(name="双杨镇")
    clerk_school = _schools(kunlun, stage=SchoolStage.PRIMARY, is_town_seat=True)[0]
    inspected = [
        _schools(town, stage=SchoolStage.PRIMARY, is_town_seat=False)[0]
        for town in (kunlun, shuangyang)
    ]
    researched = [
        _schools(shuangyang, stage=stage, is_town_seat=True)[0]
        for stage in (SchoolStage.PRIMARY, SchoolStage.JUNIOR)
    ]
    department = Department.objects.get(code=department_code("human-resources", zichuan))
    admin = _account(
        "admin", "区教体局管理员（示例）", Role.DISTRICT_ADMIN, units=[district], superuser=True
    )
    _account("leader", "区领导（示例）", Role.DISTRICT_LEADER, units=[district])
    dept = _account(
        "dept", "区人社局填报员（示例）", Role.DEPARTMENT_REPORTER, department=department
    )
    _account("town", "昆仑镇教育办（示例）", Role.TOWN_OFFICER, units=[kunlun])
    _account("clerk", "昆仑镇中心小学填报员（示例）", Role.SCHOOL_CLERK, units=[clerk_school])
    inspector = _account("inspector", "责任督学（示例）", Role.INSPECTOR, units=inspected)
    researcher = _account("researcher", "教研员（示例）", Role.RESEARCHER, units=researched)
    _account(
        "care", "昆仑镇中心小学控辍保学专干（示例）", Role.SCHOOL_CARE_OFFICER, units=[clerk_school]
    )
    reporting_demo_setup()  # holidays and quarterly reporting schedules, never overwritten
    # the last quarter's reports of three projects: approved, late, returned; once
    progress_reports_demo_setup(reporter=dept, reviewer=admin)
    care_demo_setup(actor=admin, clerk_school=clerk_school)  # once: cases keep their history
    lists_demo_setup(actor=admin)  # partner lists and a cross-check, once a school year
    growth_demo_setup(actor=admin, school=clerk_school)  # 学困生成长档案, once per school
    leftbehind_demo_setup(actor=admin)  # mentors, a term of contacts, 关爱室; once a year
    aid_demo_setup(actor=admin, school=clerk_school)  # a term of grants with gaps; once a year
    evaluation_demo_setup(
        actor=admin, year=max(years), unit=district
    )  # 优质均衡/普及普惠 evaluation, once
    supervision_demo_setup(  # zones, assignments, a year of visits and 听课; adds nothing twice
        admin=admin,
        inspector=inspector,
        inspected=inspected,
        researcher=researcher,
        researched=researched,
    )
    hotline_demo_setup(actor=admin, school=clerk_school)  # a year of calls; 问责 steps
    # last: adds to the 残联 list the partner-list demo writes (which skips a year with lists)
    inclusion_demo_setup(actor=admin, clerk_school=clerk_school)  # 安置, 送教; once a year
    forecast_demo_setup(actor=admin)  # a births list and one forecast run; once
    planning_demo_setup(actor=admin, year=max(years))  # one solved least-cost scenario; once

    return [
        DemoLogin("admin", Role.DISTRICT_ADMIN.label, "淄川区（可进入管理后台）"),
        DemoLogin("leader", Role.DISTRICT_LEADER.label, "淄川区"),
        DemoLogin("dept", Role.DEPARTMENT_REPORTER.label, department.name),
        DemoLogin("town", Role.TOWN_OFFICER.label, "昆仑镇"),
        DemoLogin("clerk", Role.SCHOOL_CLERK.label, clerk_school.name),
        DemoLogin("care", Role.SCHOOL_CARE_OFFICER.label, clerk_school.name),
        DemoLogin("inspector", Role.INSPECTOR.label, "、".join(u.name for u in inspected)),
        DemoLogin("researcher", Role.RESEARCHER.label, "、".join(u.name for u in researched)),
    ]
