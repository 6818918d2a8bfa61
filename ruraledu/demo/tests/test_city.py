"""One instance serving a city: districts under 淄博市, each with its own plan; a district's
accounts see only their district, the city's see them all side by side, and the city's own plan
is judged on values rolled up over its districts."""

import pytest
from django.test import Client

from ruraledu.accounts.choices import Action
from ruraledu.accounts.models import User
from ruraledu.accounts.policy import Reach, bureau_units, is_bureau
from ruraledu.demo.city import city_plans_and_accounts
from ruraledu.demo.generator.runner import demo_generate
from ruraledu.indicators.models import IndicatorValue, TargetState
from ruraledu.indicators.services import recompute
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import Department, OrgUnit
from ruraledu.plans.models import Plan
from ruraledu.reporting.querysets import authoring_paths

YEAR = 2025
CODE = "town_preschool_public_rate"


@pytest.fixture
def city(db):
    demo_generate(scale="tiny-city", years=[YEAR], seed=1)
    city = OrgUnit.objects.get(code="3703")
    city_plans_and_accounts(city)
    recompute(years=[YEAR])
    return city


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_districts_sit_under_the_city_each_with_its_plan(city):
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("code"))
    assert [d.code for d in districts] == ["370302", "370303", "370304"]
    assert all(d.parent_id == city.pk and d.path == f"3703/{d.code}/" for d in districts)
    # every unit below a district carries the city in its path
    assert not OrgUnit.objects.exclude(path__startswith="3703/").exists()
    owners = sorted(Plan.objects.values_list("org_unit__code", "code"))
    assert owners == [
        ("3703", "zibo-2023"),
        ("370302", "zichuan-2023"),
        ("370303", "zichuan-2023"),
        ("370304", "zichuan-2023"),
    ]
    # each district's 区人社局 is its own department
    hr = Department.objects.filter(name="区人力资源社会保障局")
    assert sorted(hr.values_list("org_unit__code", flat=True)) == ["370302", "370303", "370304"]


def test_the_city_rolls_up_and_its_plan_is_judged_on_it(city):
    values = {
        v.unit.code: v
        for v in IndicatorValue.objects.filter(code=CODE, year=YEAR).select_related("unit")
    }
    parts = [values[code] for code in ("370302", "370303", "370304")]
    assert values["3703"].numerator == sum(v.numerator for v in parts)
    assert values["3703"].denominator == sum(v.denominator for v in parts)
    city_state = TargetState.objects.get(target__plan__org_unit=city, target__code="C1-1")
    assert city_state.value == pytest.approx(values["3703"].value)
    # and each district's copy of the same target is judged on the district's own value
    for code in ("370302", "370303"):
        state = TargetState.objects.get(target__plan__org_unit__code=code, target__code="P17-1")
        assert state.value == pytest.approx(values[code].value)


def test_a_district_account_sees_only_its_district(city):
    leader = User.objects.get(username="leader370303")
    admin = User.objects.get(username="admin370303")
    assert not Reach(leader, Action.VIEW).whole_tree
    assert not is_bureau(admin)  # the install's bureau is the city's
    assert [u.code for u in bureau_units(admin)] == ["370303"]
    assert authoring_paths(admin) == []  # a district's bureau reviews, it does not author
    client = _client("leader370303")
    page = client.get("/city/", {"code": CODE, "year": YEAR})
    assert page.status_code == 200
    assert [row["unit"].code for row in page.context["rows"]] == ["370303"]
    body = page.content.decode()
    assert "city-row-370303" in body and "city-row-370302" not in body
    assert client.get("/city/", {"unit": "3703"}).status_code == 404
    assert client.get("/units/370302/profile/").status_code == 404
    assert 'href="/city/"' not in body  # a district's roles have no city page in the menu
    cockpit = client.get("/")
    assert cockpit.status_code == 200
    assert cockpit.context["plan"].org_unit.code == "370303"
    plan_page = client.get("/plan/")
    assert plan_page.context["plan"].org_unit.code == "370303"


def test_the_city_account_sees_every_district_side_by_side(city):
    leader = User.objects.get(username="city")
    assert Reach(leader, Action.VIEW).whole_tree
    assert is_bureau(User.objects.get(username="cityadmin"))
    page = _client("city").get("/city/", {"code": CODE, "year": YEAR})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row["unit"].code for row in rows] == ["3703", "370302", "370303", "370304"]
    values = {v.unit_id: v.value for v in IndicatorValue.objects.filter(code=CODE, year=YEAR)}
    for row in rows:
        assert row["value"].value == pytest.approx(values[row["unit"].pk])
        assert row["plan"] is not None and sum(row["counts"]) == row["plan"].targets.count()
    assert [t.code for t in page.context["own_targets"]] == ["C1-1", "C1-2", "C1-3", "C1-4"]
    body = page.content.decode()
    assert "淄政办字〔2023〕36号" in body
    assert 'href="/city/"' in body  # the city's roles find the page in the menu
    # the city leader's cockpit is the city's plan
    assert _client("city").get("/").context["plan"].code == "zibo-2023"


def test_one_district_counts_small_schools_by_its_own_standard(city):
    from ruraledu.indicators.models import Standard

    own = Standard.objects.get(code="small_school_size", unit__isnull=False)
    assert (own.unit.code, own.value) == ("370303", 80)
    page = _client("admin370303").get("/indicators/standards/").content.decode()
    assert "教体局文件（示例）" in page and "上级 100.0" in page
    # another district's bureau sees the install's value, not 370303's
    page = _client("admin370304").get("/indicators/standards/").content.decode()
    assert "教体局文件（示例）" not in page and "沿用全平台" in page


def test_each_district_reads_its_own_name_in_its_plan(city):
    from ruraledu.plans.models import Section

    zichuan = Plan.objects.get(org_unit__code="370302")
    assert (zichuan.title, zichuan.document_number) == (
        "淄川区推进乡村教育振兴工作方案",
        "川政办字〔2023〕28号",
    )
    zhangdian = Plan.objects.get(org_unit__code="370303")
    assert zhangdian.title == "张店区推进乡村教育振兴工作方案（示例）"
    assert zhangdian.issuer == "张店区人民政府办公室"
    assert zhangdian.document_number == ""  # Zichuan's number would be wrong here
    # nothing of Zichuan's in the copy: not its header, departments or sections
    texts = [zhangdian.title, zhangdian.issuer, zhangdian.preamble, zhangdian.goal_text]
    texts += Department.objects.filter(org_unit__code="370303").values_list("full_name", flat=True)
    texts += Section.objects.filter(plan=zhangdian).values_list("text", flat=True)
    assert not [text for text in texts if "淄川" in text]
    assert "学在张店" in zhangdian.goal_text
    cockpit = _client("leader370303").get("/").content.decode()
    assert "张店区推进乡村教育振兴工作方案（示例） · 驾驶舱" in cockpit
    assert "淄川区推进" not in cockpit
    # running the set-up again changes nothing
    before = list(Plan.objects.order_by("pk").values())
    city_plans_and_accounts(city)
    assert list(Plan.objects.order_by("pk").values()) == before
