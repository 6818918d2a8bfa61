"""The city demo: 淄博市 as the root with several districts under it, each with its own plan,
the city's own plan, and accounts for the city and for each district. `setup_demo --scale city`
(and `make run SCALE=city`) calls `city_demo_setup`; like the district demo it can run again
without adding anything."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ruraledu.accounts.choices import Role
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.plans.loader import load_plan

from .generator.district import ZICHUAN
from .generator.runner import demo_city
from .services import PLAN_FILE, DemoLogin, _account, demo_setup

CITY_PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "zibo-2023.yaml"
CITY_YEARS = [2024, 2025]
ZICHUAN_TITLE = "淄川区推进乡村教育振兴工作方案"
ZICHUAN_DOCUMENT = "川政办字〔2023〕28号"


@transaction.atomic
def city_demo_setup(*, scale: str = "city", years: list[int] | None = None) -> list[DemoLogin]:
    """Zichuan's demo under 淄博市, the other districts generated beside it, then the plans
    and accounts of the city and of every district."""
    city = demo_city()
    logins = demo_setup(scale=scale, years=years or CITY_YEARS)
    return logins + city_plans_and_accounts(city)


def city_plans_and_accounts(city) -> list[DemoLogin]:
    """A plan for each district under `city` (the Zichuan plan file reused: the same plan
    structure runs in every district), the city's own plan, and the accounts of the city
    (leader, bureau) and of each district (bureau, leader); running it again adds nothing."""
    districts = list(city.children.filter(kind=OrgUnitKind.DISTRICT).order_by("code"))
    with tempfile.TemporaryDirectory() as folder:
        for district in districts:
            load_plan(_plan_file_for(district, Path(folder)), district)
    load_plan(CITY_PLAN_FILE, city)
    if len(districts) > 1:
        _own_standard(districts[1])
    _account("city", "市领导（示例）", Role.DISTRICT_LEADER, units=[city])
    _account("cityadmin", "市教育局管理员（示例）", Role.DISTRICT_ADMIN, units=[city])
    logins = [
        DemoLogin("city", "市领导（只读）", f"{city.name}（全部 {len(districts)} 个区县）"),
        DemoLogin("cityadmin", "市教育局管理员", f"{city.name}（全部区县）"),
    ]
    for district in districts:
        name = district.name.removesuffix("（示例）")
        admin, leader = f"admin{district.code}", f"leader{district.code}"
        _account(admin, f"{name}教体局管理员（示例）", Role.DISTRICT_ADMIN, units=[district])
        _account(leader, f"{name}领导（示例）", Role.DISTRICT_LEADER, units=[district])
        logins.append(DemoLogin(admin, "区教体局管理员", f"{district.name}（只看本区县）"))
        logins.append(DemoLogin(leader, "区领导（只读）", district.name))
    return logins


def _plan_file_for(district, folder: Path) -> Path:
    """Zichuan's plan file, or for another district a copy of it in its own name: its
    leaders must not read 淄川区 on their cockpit. The copy is marked as a demo and carries
    no document number (Zichuan's would be wrong there)."""
    if district.code == ZICHUAN:
        return PLAN_FILE
    name = district.name.removesuffix("（示例）")
    text = PLAN_FILE.read_text(encoding="utf-8")
    text = text.replace(f"document_number: {ZICHUAN_DOCUMENT}", "document_number: ''")
    text = text.replace(f"title: {ZICHUAN_TITLE}", f"title: {ZICHUAN_TITLE}（示例）", 1)
    text = text.replace("淄川区", name).replace("淄川", name[:-1])
    path = folder / f"plan-{district.code}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _own_standard(district) -> None:
    """One district counts small schools below 80 pupils instead of the install's 100: the
    standards page shows a district's own value beside the value above it."""
    from ruraledu.audit.choices import AuditAction
    from ruraledu.audit.services import audit_record, snapshot
    from ruraledu.indicators.models import Standard

    standard, created = Standard.objects.get_or_create(
        code="small_school_size",
        stage="",
        unit=district,
        defaults={
            "value": 80,
            "name": "小规模学校在校生人数上限（不含）",
            "source": f"{district.name}教体局文件（示例）",
        },
    )
    if created:
        audit_record(
            actor=None,
            instance=standard,
            action=AuditAction.CREATE,
            after=snapshot(standard),
            summary=f"示例：{district.name}自定标准值",
        )
