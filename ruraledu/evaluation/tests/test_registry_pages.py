"""The 质量监测 import, the verdict page's gaps by responsible unit, the drill-downs of the new
items and the school diagnosis against similar schools and over the years."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ruraledu.audit.models import AuditEvent
from ruraledu.evaluation.choices import Framework
from ruraledu.evaluation.models import MonitoringResult
from ruraledu.evaluation.monitoring_import import results_import, template_bytes
from ruraledu.evaluation.selectors import school_diagnosis
from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.indicators.tests._people_data import facility, post, pupils, school, staff
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.spreadsheets.services import ImportRejected

from .conftest import YEAR


def _workbook(*rows) -> bytes:
    book = load_workbook(BytesIO(template_bytes()))
    sheet = book["质量监测结果"]
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row, start=1):
            sheet.cell(row=i, column=j, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_monitoring_file_with_bad_rows_writes_nothing_and_names_each_cell(
    district, district_admin
):
    # row 3 good; row 4 repeats grade and subject of row 3; row 5 a level not on the list;
    # row 6 a 校际差异率 above 1
    data = _workbook(
        ("四年级", "数学", "Ⅲ级", 0.1),
        ("四年级", "数学", "Ⅳ级", 0.1),
        ("八年级", "科学", "Ⅴ级", 0.1),
        ("八年级", "艺术", "Ⅱ级", 1.5),
    )
    with pytest.raises(ImportRejected) as rejected:
        results_import(
            unit=district, year=YEAR, actor=district_admin, data=data, filename="监测.xlsx"
        )
    messages = [str(e) for e in rejected.value.errors]
    assert len(messages) == 3
    assert messages[0].startswith("工作表“质量监测结果”第 4 行“学科”列")
    assert "同一年级、学科重复（与第 3 行相同）" in messages[0]
    assert "第 5 行“学业表现水平”列" in messages[1]
    assert "第 6 行“校际差异率”列" in messages[2]
    assert not MonitoringResult.objects.exists()


def test_a_good_monitoring_file_is_written_audited_and_updated_by_grade_and_subject(
    district, district_admin
):
    data = _workbook(("四年级", "数学", "Ⅲ级", 0.11), ("八年级", "科学", "Ⅱ级", 0.2))
    assert results_import(
        unit=district, year=YEAR, actor=district_admin, data=data, filename="a.xlsx"
    ) == (2, 0)
    again = _workbook(("四年级", "数学", "Ⅳ级", 0.11), ("八年级", "科学", "Ⅱ级", 0.2))
    assert results_import(
        unit=district, year=YEAR, actor=district_admin, data=again, filename="b.xlsx"
    ) == (0, 1)
    maths = MonitoringResult.objects.get(subject="数学")
    assert (maths.level, maths.source_name) == (4, "b.xlsx")
    assert AuditEvent.objects.filter(summary__startswith="导入质量监测结果").count() == 3


def test_only_the_bureau_imports_monitoring_results(client, yzjh, district_leader, district_admin):
    url = reverse("evaluation:monitoring_import", args=["D", Framework.YZJH, YEAR])
    upload = SimpleUploadedFile("m.xlsx", _workbook(("四年级", "数学", "Ⅲ级", 0.1)))
    client.force_login(district_leader)
    assert client.post(url, {"file": upload}).status_code == 404
    assert not MonitoringResult.objects.exists()
    client.force_login(district_admin)
    upload.seek(0)
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert MonitoringResult.objects.get().subject == "数学"


@pytest.fixture
def failing_funds(yzjh, town_a, school_a):
    """SA (rural primary, 60 pupils) funded as 60: G06 fails, 区财政局 answers for it."""
    pupils(school_a, 60, year=YEAR, grade=2)
    facility(school_a, year=YEAR, funded_pupils=60, public_funds=43200)
    recompute(years=[YEAR])


def test_the_verdict_page_lists_the_gaps_by_responsible_unit_with_towns_and_records(
    client, district_admin, failing_funds, school_a
):
    client.force_login(district_admin)
    page = client.get(reverse("evaluation:evaluation_detail", args=["D", Framework.YZJH, YEAR]))
    text = page.content.decode()
    finance = text[text.index('data-unit="区财政局"') :]
    finance = finance[: finance.index("</section>")]
    assert "未达标 1 项" in finance
    assert "还差 1：适用的学校数 1，按规定核定的学校数 0" in finance
    assert "按镇街：甲镇 1" in finance
    assert "part=short" in finance  # the records behind the gap
    # the drill-down lists SA with its figures
    drill = drill_records(
        indicator=REGISTRY["evaluation_public_funds_rate"],
        part="short",
        unit=school_a.org_unit.parent.parent,
        year=YEAR,
        user=district_admin,
    )
    assert list(drill.rows) == [["甲镇中心小学", "甲镇", "按 100 人核定", 60, 60, 43200.0]]


def test_the_rotation_drill_down_lists_the_teachers_counted(
    district_admin, district, town_a, town_b, school_a
):
    sb = school(town_b, "SB")
    mover, stayer = staff(name="轮岗教师"), staff(name="留任教师")
    for y in range(2018, 2024):
        post(mover, school_a, year=y)
        post(stayer, school_a, year=y)
    post(mover, sb, year=2024, rotated=True)
    post(stayer, school_a, year=2024)
    indicator = REGISTRY["evaluation_rotation_rate"]
    numerator = drill_records(
        indicator=indicator, part="numerator", unit=district, year=2024, user=district_admin
    )
    denominator = drill_records(
        indicator=indicator, part="denominator", unit=district, year=2024, user=district_admin
    )
    assert numerator.rows == [["轮岗教师", "甲镇中心小学", "甲镇", 6, "否", "SB"]]
    assert sorted(r[0] for r in denominator.rows) == ["留任教师", "轮岗教师"]


def _sized(town, code: str, n: int, *, stage="211"):
    unit = school(town, code, stage=stage)
    pupils(unit, n, year=YEAR, grade=3, class_name="1班")
    return unit


def test_a_school_is_compared_with_schools_of_its_stage_and_size_band_and_over_the_years(
    yzjh, town_a, town_b, school_a
):
    # SA 150 pupils (band 100—499) with rooms; P1 (primary, 300) with rooms; P2 (primary, 400)
    # without; P3 (primary, 600: another band) and J (junior, 200: another stage) not compared.
    # 2024: SA had 90 pupils.
    pupils(school_a, 150, year=YEAR, grade=3, class_name="1班")
    pupils(school_a, 90, year=YEAR - 1, grade=3, class_name="1班")
    rooms = {"music_rooms": 1, "music_room_area": 100, "art_rooms": 1, "art_room_area": 100}
    facility(school_a, year=YEAR, **rooms)
    facility(_sized(town_a, "P1", 300), year=YEAR, **rooms)
    facility(_sized(town_b, "P2", 400), year=YEAR)
    facility(_sized(town_b, "P3", 600), year=YEAR, **rooms)
    facility(_sized(town_b, "J", 200, stage="311"), year=YEAR)
    recompute(years=[YEAR - 1, YEAR])
    data = school_diagnosis(school=school_a.org_unit, year=YEAR)
    assert (data["band"], data["peers"]) == ("100—499 人", 2)
    rows = {r["label"]: r for r in data["rows"]}
    assert rows["音乐、美术专用教室"]["peer"] == "达标 50%"  # P1 yes, P2 no
    assert rows["学校规模"]["peer"] == "达标 100%"
    assert data["trend_years"] == [YEAR - 1, YEAR]
    assert [c["value"] for c in rows["学校规模"]["trend"]] == ["90 人", "150 人"]


def test_the_rooms_gap_says_how_many_rooms_are_missing(client, district_admin, yzjh, school_a):
    # SA: one class, no music or art room → one of each missing; G03 fails under 区教体局
    pupils(school_a, 1, year=YEAR, grade=1, class_name="1班")
    facility(school_a, year=YEAR)
    recompute(years=[YEAR])
    client.force_login(district_admin)
    text = client.get(reverse("evaluation:evaluation_detail", args=["D", Framework.YZJH, YEAR]))
    text = text.content.decode()
    bureau = text[text.index('data-unit="区教体局"') :]
    assert "音乐教室缺 1 间、美术教室缺 1 间（面积不足的计入未达标），还差 1 所学校" in bureau
    # the sheet's value links to the indicator page, which drills down to the schools
    assert "/indicators/evaluation_music_art_rooms_rate/?unit=D&year=2025" in text


def _stored(code: str, unit, numerator: float, denominator: float, scale: float = 100):
    IndicatorValue.objects.create(
        code=code,
        unit=unit,
        year=YEAR,
        value=numerator / denominator * scale,
        numerator=numerator,
        denominator=denominator,
        computed_at=timezone.now(),
    )


def test_a_gap_is_what_the_standard_still_needs_for_the_district_and_each_town_and_street(
    client, district_admin, xqpjph, district, town_a
):
    # P1 ≥ 85 %: the district needs ceil(0.85 × 21297) = 18103 children, has 14509;
    # 甲镇 needs 8500 of 10000 (has 8000), 城关街道 9603 of 11297 (has 6509)
    street = OrgUnitFactory(
        code="SD", name="城关街道", kind=OrgUnitKind.SUBDISTRICT, parent=district
    )
    _stored("xqpjph_p1", district, 14509, 21297)
    _stored("xqpjph_p1", town_a, 8000, 10000)
    _stored("xqpjph_p1", street, 6509, 11297)
    _stored("xqpjph_q1", district, 346, 512)  # Q1 ≥ 85 %: ceil(435.2) − 346
    _stored("xqpjph_q2", district, 320, 20, scale=1)  # Q2 ≤ 15 children a teacher: 22 needed
    client.force_login(district_admin)
    page = client.get(reverse("evaluation:evaluation_detail", args=["D", Framework.XQPJPH, YEAR]))
    gaps = {li.split('"')[0]: li for li in page.content.decode().split('data-gap="')[1:]}
    assert "还差 3594：分母 21297，达到 14509，达到标准需 18103" in gaps["P1"]
    assert "按镇街：城关街道 3094、甲镇 500" in gaps["P1"]
    assert "还差 90：分母 512，达到 346，达到标准需 436" in gaps["Q1"]
    assert "分母还差 2：现有 20，按分子 320 计至少需 22" in gaps["Q2"]
