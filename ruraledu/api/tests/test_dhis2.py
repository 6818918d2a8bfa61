"""DHIS2 dataValueSets: export of stored values, import from a lower level, and the round trip
district → city: the same figures come out on the other side."""

from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import IndicatorValue

from .conftest import YEAR, code_of_rate, token_client

URL = "/api/v1/dhis2/dataValueSets/"


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


def test_a_town_sends_its_own_values_and_updates_are_audited(values, town_officer):
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
    response = token_client(town_officer).post(URL, body, format="json")
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}
    sa = IndicatorValue.objects.get(unit__code="SA", year=YEAR)
    assert (sa.value, sa.numerator, sa.denominator) == (96.0, 48.0, 50.0)
    event = AuditEvent.objects.get(object_id=str(sa.pk), action="update")
    assert event.actor == town_officer
    assert event.before["value"] == 90.0 and event.after["value"] == 96.0


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
