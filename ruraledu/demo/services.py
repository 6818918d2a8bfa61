"""A small demo district on the real Zichuan org tree: fictional schools (marked 示例) and
one account per role. The full synthetic registry comes with the demo generator."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment, User
from ruraledu.orgunits.choices import CampusType, OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.models import Department, OrgUnit, SchoolDistrict
from ruraledu.orgunits.services import orgunit_upsert, orgunits_load, school_upsert
from ruraledu.plans.loader import load_plan

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "zichuan-2023.yaml"
ORG_FILE = Path(settings.BASE_DIR) / "data" / "zichuan" / "orgunits.yaml"
DEMO_PASSWORD = "Demo@2026"

# (suffix, name, stage, ownership, inclusive, urban-rural code, town seat)
URBAN_SCHOOLS = [
    ("01", "实验小学", SchoolStage.PRIMARY, Ownership.PUBLIC, False, "111", False),
    ("02", "初级中学", SchoolStage.JUNIOR, Ownership.PUBLIC, False, "111", False),
    ("03", "实验幼儿园", SchoolStage.KINDERGARTEN, Ownership.PUBLIC, False, "111", False),
    ("04", "童心幼儿园", SchoolStage.KINDERGARTEN, Ownership.PRIVATE, True, "112", False),
]
TOWN_SCHOOLS = [
    ("01", "中心小学", SchoolStage.PRIMARY, Ownership.PUBLIC, False, "121", True),
    ("02", "中学", SchoolStage.JUNIOR, Ownership.PUBLIC, False, "121", True),
    ("03", "中心幼儿园", SchoolStage.KINDERGARTEN, Ownership.PUBLIC, False, "121", True),
    ("04", "村完全小学", SchoolStage.PRIMARY, Ownership.PUBLIC, False, "220", False),
]
ZONE_SCHOOLS = [
    ("01", "九年一贯制学校", SchoolStage.NINE_YEAR, Ownership.PUBLIC, False, "112", False),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


def _short(name: str) -> str:
    return name.removesuffix("街道").removesuffix("镇")


def _schools(town: OrgUnit, rows) -> dict[str, OrgUnit]:
    district = None
    if town.kind == OrgUnitKind.TOWN:
        district, _ = SchoolDistrict.objects.get_or_create(town=town, name=f"{town.name}学区")
    created = {}
    for order, (suffix, name, stage, ownership, inclusive, code, seat) in enumerate(rows):
        unit, _ = orgunit_upsert(
            code=f"{town.code}{suffix}",
            name=f"{_short(town.name)}{name}（示例）",
            kind=OrgUnitKind.SCHOOL,
            parent=town,
            sort_order=order,
        )
        school_upsert(
            unit=unit,
            stage=stage,
            ownership=ownership,
            is_inclusive=inclusive,
            urban_rural_code=code,
            is_town_seat=seat,
            school_district=district,
        )
        created[suffix] = unit
    if town.kind == OrgUnitKind.TOWN:
        village_school = created["04"]
        point, _ = orgunit_upsert(
            code=f"{village_school.code}-1",
            name=f"{_short(town.name)}山村教学点（示例）",
            kind=OrgUnitKind.CAMPUS,
            parent=village_school,
        )
        school_upsert(
            unit=point,
            stage=SchoolStage.TEACHING_POINT,
            ownership=Ownership.PUBLIC,
            urban_rural_code="220",
            campus_type=CampusType.TEACHING_POINT,
            school_district=district,
        )
        for n in (1, 2):
            orgunit_upsert(
                code=f"{town.code}V{n}",
                name=f"{_short(town.name)}示例村{n}",
                kind=OrgUnitKind.VILLAGE,
                parent=town,
                sort_order=n,
            )
    return created


def _account(
    username: str, full_name: str, role: str, *, unit=None, department=None, superuser: bool = False
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "is_staff": superuser, "is_superuser": superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit, department=department)
    return user


@transaction.atomic
def demo_setup() -> list[DemoLogin]:
    load_plan(PLAN_FILE)
    orgunits_load(ORG_FILE)
    district = OrgUnit.objects.get(parent=None, code="370302")
    schools: dict[str, dict[str, OrgUnit]] = {}
    for town in district.children.order_by("sort_order"):
        rows = {OrgUnitKind.SUBDISTRICT: URBAN_SCHOOLS, OrgUnitKind.TOWN: TOWN_SCHOOLS}
        schools[town.name] = _schools(town, rows.get(town.kind, ZONE_SCHOOLS))

    kunlun, shuangyang = schools["昆仑镇"], schools["双杨镇"]
    department = Department.objects.get(code="human-resources")
    _account("admin", "区教体局管理员（示例）", Role.DISTRICT_ADMIN, unit=district, superuser=True)
    _account("leader", "区领导（示例）", Role.DISTRICT_LEADER, unit=district)
    _account("dept", "区人社局填报员（示例）", Role.DEPARTMENT_REPORTER, department=department)
    _account("town", "昆仑镇教育办（示例）", Role.TOWN_OFFICER, unit=kunlun["01"].parent)
    _account("clerk", "昆仑中心小学填报员（示例）", Role.SCHOOL_CLERK, unit=kunlun["01"])
    for unit in (kunlun["04"], shuangyang["04"]):
        _account("inspector", "责任督学（示例）", Role.INSPECTOR, unit=unit)
    for unit in (shuangyang["01"], shuangyang["02"]):
        _account("researcher", "教研员（示例）", Role.RESEARCHER, unit=unit)

    return [
        DemoLogin("admin", Role.DISTRICT_ADMIN.label, "淄川区（可进入管理后台）"),
        DemoLogin("leader", Role.DISTRICT_LEADER.label, "淄川区"),
        DemoLogin("dept", Role.DEPARTMENT_REPORTER.label, department.name),
        DemoLogin("town", Role.TOWN_OFFICER.label, "昆仑镇"),
        DemoLogin("clerk", Role.SCHOOL_CLERK.label, kunlun["01"].name),
        DemoLogin(
            "inspector", Role.INSPECTOR.label, f"{kunlun['04'].name}、{shuangyang['04'].name}"
        ),
        DemoLogin(
            "researcher", Role.RESEARCHER.label, f"{shuangyang['01'].name}、{shuangyang['02'].name}"
        ),
    ]
