"""The 优质均衡 headline says what it counts; the per-school table marks each cell (item 4)."""

import re

import pytest
from django.urls import reverse

from ruraledu.dashboards.tests.test_pages import pupils, teachers
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute


@pytest.fixture
def two_schools(zichuan_plan, school_a, school_b):
    # A meets every 优质均衡 standard; B is short of rooms and equipment (fails the school rule)
    from decimal import Decimal

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
        )
    recompute(years=[2024])


def headline(body: str) -> str:
    return body.split('data-testid="headline-county_yzjh_resource_unmet_count"')[1].split(
        "</div></div></div>"
    )[0]


def test_the_cockpit_headline_says_what_it_counts_and_how_many_schools_fail(
    client, district_leader, two_schools
):
    client.force_login(district_leader)
    card = headline(client.get(reverse("dashboards:cockpit")).content.decode())
    count = IndicatorValue.objects.get(
        code="county_yzjh_resource_unmet_count", unit__code="D", year=2024
    )
    # then the figure is a whole number of items, explained in words, linked to the 优质均衡 page
    assert f">{int(count.value)}项</a>" in card
    assert re.search(r'<a href="/yzjh/">\d+项</a>', card)
    assert "统计口径：" in card
    # and the schools failing the per-school rule are counted beside it
    assert re.search(r'未达逐校标准的学校：<a href="/yzjh/">1 所</a>（共 2 所）', card)
    assert ".00项" not in card


def test_the_yzjh_page_marks_every_cell_with_a_symbol_and_counts_failing_schools(
    client, district_leader, two_schools
):
    client.force_login(district_leader)
    body = client.get(reverse("dashboards:yzjh")).content.decode()
    legend = body.split('data-testid="yzjh-legend"')[1].split("</p>")[0]
    assert "✓ 达标" in legend and "✗ 未达标" in legend and "△" in legend
    table = body.split('data-testid="yzjh-schools"')[1].split("</table>")[0]
    row_b = table.split("乙镇中心小学")[1].split("</tr>")[0]
    # the two failing cells carry a symbol and words, not only a colour
    assert row_b.count("✗") == 2 and row_b.count("未达标：") == 2
    assert "未达逐校标准的学校 <strong>1</strong> 所（共 2 所）" in body


def test_cell_colours_override_the_table_background():
    # Bootstrap paints cells with --bs-table-bg; a plain background-color loses to it
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    for mark in ("pass", "near", "fail"):
        rule = re.search(rf"\.yz-{mark} \{{([^}}]*)\}}", css).group(1)
        assert "--bs-table-bg:" in rule
