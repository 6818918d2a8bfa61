"""督学热线按时答复率 with hand-worked complaints, and its drill-down without the caller."""

import datetime as dt

import pytest

from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year
from ruraledu.orgunits.models import OrgUnit

from .. import services
from .conftest import CALLER, answer, assign

CODE = "hotline_answered_on_time_rate"


def results(year=2025):
    rows, _ = compute_year(year, [REGISTRY[CODE]], Tree())
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    return {codes[unit]: row[:3] for (_, unit), row in rows.items()}


@pytest.fixture
def three(district_admin, school_clerk, outsider, school_a, school_b, complaint):
    """A: answered 15 Oct, due 20 Oct (on time). A: answered 21 Oct (late). B: due 20 Oct,
    never answered (late). B: received but never assigned (not counted)."""
    assign(complaint, district_admin, unit=school_a.org_unit)
    answer(complaint, school_clerk)

    def log(unit, topic):
        return services.complaint_log(
            actor=district_admin,
            channel="phone",
            received_on=dt.date(2025, 9, 26),
            unit=unit,
            topic=topic,
            question="反映的问题需要核实",
            caller_name="钱某",
        )

    late = log(school_a.org_unit, "课业负担")
    assign(late, district_admin, unit=school_a.org_unit)
    answer(late, school_clerk, on=dt.date(2025, 10, 21))
    silent = log(school_b.org_unit, "校园安全")
    assign(silent, district_admin, unit=school_b.org_unit)
    log(school_b.org_unit, "招生入学")


def test_complaints_answered_on_time_rate(three):
    values = results()
    assert values["SA"] == (50.0, 1.0, 2.0)
    assert values["SB"] == (0.0, 0.0, 1.0)
    assert values["TA"] == (50.0, 1.0, 2.0)
    assert values["D"] == pytest.approx((100 / 3, 1.0, 3.0))


def test_the_drill_down_lists_the_complaints_without_the_caller(three, district_admin, district):
    indicator = REGISTRY[CODE]
    drill = drill_records(
        indicator=indicator, part="short", unit=district, year=2025, user=district_admin
    )
    rows = [drill.render(r) for r in drill.rows]
    assert len(rows) == 2
    assert {r[6] for r in rows} == {"2025-10-21", "未答复"}
    text = str(rows) + str(drill.headers)
    assert CALLER[0] not in text and "钱某" not in text and "资料费" not in text
