"""DHIS2 dataValueSets: export of stored values, import from a lower level, and the round trip
district → city: the same figures come out on the other side."""

import pytest
from django.utils import timezone

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory

from .conftest import YEAR, code_of_rate, token_client

URL = "/api/v1/dhis2/dataValueSets/"
# the install's years: YEAR + 1 is current, so values may be for YEAR - 4 up to YEAR + 2
pytestmark = pytest.mark.usefixtures("school_year")


def row(unit: str, value: str, *, year=YEAR, part="value", code=None) -> dict:
    sent = {"dataElement": code or code_of_rate(), "period": str(year), "orgUnit": unit}
    return sent | {"categoryOptionCombo": part, "value": value}


def refusals(response) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]["dataValues"]


def figures() -> set[tuple]:
    return set(
        IndicatorValue.objects.values_list(
            "code", "unit__code", "year", "value", "numerator", "denominator"
        )
    )


def test_the_export_names_code_unit_and_school_year(values, district_admin):
    sent = token_client(district_admin, can_write=False).get(URL, {"unit": "SA"}).json()
    rows = {(d.get("categoryOptionCombo", "value"), d["value"]) for d in sent["dataValues"]}
    assert rows == {("value", "90.0"), ("numerator", "45.0"), ("denominator", "50.0")}
    assert {(d["dataElement"], d["orgUnit"], d["period"]) for d in sent["dataValues"]} == {
        (code_of_rate(), "SA", str(YEAR))
    }


def test_round_trip_gives_the_same_figures(values, district_admin):
    """Export the district's values, empty the store (a city instance holding the same org
    tree and no figures), import the export there: every figure is back, unchanged."""
    before = figures()
    assert len(before) == 5
    sent = token_client(district_admin, can_write=False).get(URL).json()
    IndicatorValue.objects.all().delete()

    response = token_client(district_admin).post(URL, sent, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 5, "updated": 0, "unchanged": 0}
    assert figures() == before
    assert AuditEvent.objects.filter(summary__contains="DHIS2", action="create").count() == 5

    again = token_client(district_admin).post(URL, sent, format="json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 5}
    assert figures() == before


def test_the_bureau_replaces_a_computed_value_and_adds_one_and_both_are_audited(
    values, district_admin
):
    code = code_of_rate()
    body = {
        "dataValues": [
            {"dataElement": code, "period": str(YEAR), "orgUnit": "SA", "value": "96"},
            {
                "dataElement": code,
                "period": str(YEAR),
                "orgUnit": "SA",
                "categoryOptionCombo": "numerator",
                "value": "48",
            },
            {"dataElement": code, "period": str(YEAR + 1), "orgUnit": "TA", "value": "80"},
        ]
    }
    response = token_client(district_admin).post(URL, body, format="json")
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}
    sa = IndicatorValue.objects.get(unit__code="SA", year=YEAR)
    assert (sa.value, sa.numerator, sa.denominator) == (96.0, 48.0, 50.0)
    assert sa.origin == "imported"
    event = AuditEvent.objects.get(object_id=str(sa.pk), action="update")
    assert event.actor == district_admin
    assert event.before["value"] == 90.0 and event.after["value"] == 96.0


def test_a_town_whose_records_are_kept_elsewhere_sends_its_own_values(district, values):
    # given a town with no school in this registry and nothing computed for it here
    town_c = OrgUnitFactory(code="TC", name="丙镇", kind=OrgUnitKind.TOWN, parent=district)
    officer = UserFactory(username="town_c_officer")
    RoleAssignmentFactory(user=officer, role=Role.TOWN_OFFICER, org_unit=town_c)
    client = token_client(officer)
    # when its officer sends its figures, then they are stored as imported
    body = {"dataValues": [row("TC", "80"), row("TC", "40", part="numerator")]}
    assert client.post(URL, body, format="json").json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    tc = IndicatorValue.objects.get(unit=town_c)
    assert (tc.value, tc.numerator, tc.origin) == (80.0, 40.0, "imported")
    # and a correction of them is stored and audited too
    again = client.post(URL, {"dataValues": [row("TC", "82")]}, format="json")
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 0}
    event = AuditEvent.objects.get(object_id=str(tc.pk), action="update")
    assert event.actor == officer
    assert event.after["value"] == 82.0


def test_a_school_cannot_overwrite_the_value_computed_from_its_records(values, school_clerk):
    # given SA's value, computed here from its records
    before = figures()
    # when its clerk sends another figure for it
    response = token_client(school_clerk).post(
        URL, {"dataValues": [row("SA", "95"), row("SA", "49", part="numerator")]}, format="json"
    )
    # then it is refused by name and nothing changes, nor becomes imported
    assert refusals(response) == [
        f"dataValues 第 1、2 条（{code_of_rate()} / SA / {YEAR}）：该值由本平台根据登记数据计算，"
        "只有区教体局可以经数据交换改写；数值有误请更正登记数据后重新计算。"
    ]
    assert figures() == before
    assert set(IndicatorValue.objects.values_list("origin", flat=True)) == {"computed"}
    assert not AuditEvent.objects.filter(summary__contains="DHIS2").exists()


def test_units_the_platform_computes_for_take_no_new_imported_value(values, town_officer, town_a):
    # given a village of town A with a value computed here (another year) and SA, a school
    # of the registry, and TA, which holds it: none has a value for the next year yet
    village = OrgUnitFactory(code="V1", name="一村", kind=OrgUnitKind.VILLAGE, parent=town_a)
    IndicatorValue.objects.create(
        code=code_of_rate(), unit=village, year=YEAR - 1, value=50, computed_at=timezone.now()
    )
    before = figures()
    body = {
        "dataValues": [
            row("SA", "95", year=YEAR + 1),
            row("TA", "95", year=YEAR + 1),
            row("V1", "95", year=YEAR + 1),
        ]
    }
    # when the town sends values for them, then each is refused and nothing is written
    messages = refusals(token_client(town_officer).post(URL, body, format="json"))
    assert messages == [
        f"dataValues 第 {n} 条（{code_of_rate()} / {unit} / {YEAR + 1}）：该单位的指标值由本平台"
        "根据登记数据计算，不接受导入；缺少的数值请补齐登记数据后由本平台计算。"
        for n, unit in ((1, "SA"), (2, "TA"), (3, "V1"))
    ]
    assert figures() == before


def test_a_registry_school_without_computed_values_takes_no_imported_value(school_clerk):
    # given SA in the registry, before any recompute stored a value for it
    body = {"dataValues": [row("SA", "95")]}
    messages = refusals(token_client(school_clerk).post(URL, body, format="json"))
    assert "该单位的指标值由本平台根据登记数据计算，不接受导入" in messages[0]
    assert not IndicatorValue.objects.exists()


def test_figures_out_of_range_are_refused_by_name_for_everyone(values, district_admin):
    before = figures()
    body = {
        "dataValues": [
            row("SA", "-5"),
            row("SB", "-1", part="numerator"),
            row("TB", "-2", part="denominator"),
            row("TA", "1000000000"),
            row("TB", "120", part="numerator", year=YEAR),
            row("D", "100", part="denominator"),
        ]
    }
    # TB's denominator is refused above, so its numerator is checked against the stored one
    response = token_client(district_admin).post(URL, body, format="json")
    code, name = code_of_rate(), "新时代文明实践站家长学校覆盖率"
    assert refusals(response) == [
        f"dataValues 第 1 条（{code} / SA / {YEAR}）：值不能为负数（收到“-5”）。",
        f"dataValues 第 2 条（{code} / SB / {YEAR}）：分子不能为负数（收到“-1”）。",
        f"dataValues 第 3 条（{code} / TB / {YEAR}）：分母不能为负数（收到“-2”）。",
        f"dataValues 第 4 条（{code} / TA / {YEAR}）：{name}以 % 计，值不能超过 100"
        "（收到“1000000000”）。",
        f"dataValues 第 5 条（{code} / TB / {YEAR}）：分子（120）大于分母（100）。",
        f"dataValues 第 6 条（{code} / D / {YEAR}）：分子（150）大于分母（100）。",
    ]
    assert figures() == before


def test_figures_at_the_edges_of_their_range_are_accepted(values, district_admin):
    body = {
        "dataValues": [
            row("SA", "100"),
            row("SA", "50", part="numerator"),
            row("SB", "0"),
            row("SB", "0", part="numerator"),
            # a gross rate counts children from outside: above 100 % is a real figure
            row("D", "119.7", code="xqpjph_p1"),
            row("D", "1197", part="numerator", code="xqpjph_p1"),
            row("D", "1000", part="denominator", code="xqpjph_p1"),
            # fewer small schools than in the base year
            row("D", "-3", code="rural_small_school_increase_since_2020"),
        ]
    }
    response = token_client(district_admin).post(URL, body, format="json")
    assert response.json() == {"created": 2, "updated": 2, "unchanged": 0}, response.content
    assert IndicatorValue.objects.get(code="xqpjph_p1").value == 119.7
    assert IndicatorValue.objects.get(code="rural_small_school_increase_since_2020").value == -3


def test_a_period_outside_the_install_s_school_years_is_refused_by_name(values, district_admin):
    before = figures()
    periods = (1900, YEAR - 5, YEAR + 3, 2099)
    body = {"dataValues": [row("TA", "80", year=year) for year in periods]}
    response = token_client(district_admin).post(URL, body, format="json")
    assert refusals(response) == [
        f"dataValues 第 {n} 条（{code_of_rate()} / TA / {year}）：学年（period）“{year}”"
        "不是本平台可填报的学年，应为 2020 至 2026 之间的学年起始年份。"
        for n, year in enumerate(periods, start=1)
    ]
    assert figures() == before
    # the first and last years of the window are taken
    body = {"dataValues": [row("TA", "80", year=year) for year in (YEAR - 4, YEAR + 2)]}
    response = token_client(district_admin).post(URL, body, format="json")
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}


def test_unknown_codes_and_units_out_of_reach_are_refused_by_name_and_nothing_is_written(
    values, town_officer
):
    before = figures()
    code = code_of_rate()
    body = {
        "dataValues": [
            {"dataElement": code, "period": str(YEAR), "orgUnit": "SA", "value": "99"},
            {"dataElement": "no_such_code", "period": str(YEAR), "orgUnit": "SA", "value": "1"},
            {"dataElement": code, "period": str(YEAR), "orgUnit": "SB", "value": "1"},
            {"dataElement": code, "period": str(YEAR), "orgUnit": "XX", "value": "1"},
            {"dataElement": code, "period": str(YEAR), "orgUnit": "TA", "value": "很多"},
        ]
    }
    response = token_client(town_officer).post(URL, body, format="json")
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["dataValues"]
    assert "未知的指标代码（dataElement）：no_such_code" in messages
    assert "单位代码（orgUnit）不存在或不在您的修改范围内：SB、XX" in messages
    assert any("第 5 条" in m and "很多" in m for m in messages)
    assert figures() == before


def test_a_read_only_role_cannot_import(values, district_leader):
    body = {
        "dataValues": [
            {"dataElement": code_of_rate(), "period": str(YEAR), "orgUnit": "SA", "value": "1"}
        ]
    }
    response = token_client(district_leader).post(URL, body, format="json")
    assert response.status_code == 400
    assert "不在您的修改范围内：SA" in response.json()["error"]["fields"]["dataValues"][0]
    assert IndicatorValue.objects.get(unit__code="SA").value == 90.0
