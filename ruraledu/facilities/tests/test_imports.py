from decimal import Decimal

import pytest

from ruraledu.facilities import imports as _registers  # noqa: F401
from ruraledu.facilities.models import FacilityRecord, TitleAward
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows

YEAR = 2024


@pytest.fixture
def importer():
    return get_importer("facilities")


def record(**overrides):
    values = {
        "school": "SA",
        "teaching_area": Decimal("2400.5"),
        "classrooms": 12,
        "classrooms_lighting_ok": 10,
        "classrooms_100mbps": 12,
        "water_passed": True,
        "hot_water": True,
        "meal_service": "canteen",
    }
    values.update(overrides)
    return values


def test_facility_rows_upsert_by_school_and_year(importer, district_admin, school_a):
    importer.write(rows(record()), year=YEAR, user=district_admin)
    saved = FacilityRecord.objects.get()
    assert (saved.teaching_area, saved.classrooms_lighting_ok, saved.meal_service) == (
        Decimal("2400.50"),
        10,
        "canteen",
    )
    assert importer.write(rows(record()), year=YEAR, user=district_admin).unchanged == 1
    result = importer.write(rows(record(classrooms_lighting_ok=12)), year=YEAR, user=district_admin)
    assert result.updated == 1
    assert FacilityRecord.objects.get().classrooms_lighting_ok == 12
    importer.write(rows(record()), year=YEAR + 1, user=district_admin)
    assert FacilityRecord.objects.count() == 2


def test_facility_rules(importer, school_clerk, school_a, school_b):
    data = rows(
        record(classrooms_lighting_ok=13),
        record(school="SB"),
        record(school="SA", boarding_condition_ok=True),
    )
    errors = importer.validate(data, year=YEAR, user=school_clerk)
    assert {(e.row, e.column, e.message) for e in errors} == {
        (3, "照明达标教室间数", "不能超过教室间数"),
        (4, "学校代码", "无权导入该学校的数据（不在您的管辖范围内）"),
        (5, "寄宿（宿舍、洗浴）条件达标", "非寄宿制学校不应填写寄宿条件达标"),
        (5, "", "同一记录在文件中出现两次（与第 3 行重复）"),
    }


def test_titles_are_keyed_by_school_kind_and_level(district_admin, school_a):
    importer = get_importer("titles")
    data = rows({"school": "SA", "kind": "green", "level": "4", "awarded_year": 2022})
    assert importer.validate(data, year=YEAR, user=district_admin) == []
    importer.write(data, year=YEAR, user=district_admin)
    importer.write(
        rows({"school": "SA", "kind": "green", "level": "4", "awarded_year": 2021}),
        year=YEAR,
        user=district_admin,
    )
    assert list(TitleAward.objects.values_list("kind", "level", "awarded_year")) == [
        ("green", "4", 2021)
    ]


def test_export_of_one_school_reads_only_that_schools_records(
    importer, district_admin, school_a, school_b
):
    importer.write(rows(record(), record(school="SB")), year=YEAR, user=district_admin)
    exported = importer.export_rows(year=YEAR, user=district_admin, school="SB")
    assert [r["school"] for r in exported] == ["SB"]
