import datetime as dt

import pytest

from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.workforce import imports as _registers  # noqa: F401
from ruraledu.workforce.models import Post, StaffPerson

YEAR = 2024


@pytest.fixture
def importer():
    return get_importer("staff")


def teacher(**overrides):
    values = {
        "id_number": new_id(dt.date(1980, 5, 5)),
        "name": "王老师",
        "sex": "2",
        "school": "SA",
        "position": "teacher",
        "is_establishment": True,
        "is_full_time_teacher": True,
        "subject": "maths",
        "degree": "2",
        "title": "3",
    }
    values.update(overrides)
    return values


def test_a_teacher_with_two_posts_is_one_person(importer, district_admin, school_a, town_a):
    SchoolFactory(org_unit__code="SA2", org_unit__parent=town_a)
    number = new_id(dt.date(1979, 1, 2))
    data = rows(teacher(id_number=number), teacher(id_number=number, school="SA2", subject="pe"))
    assert importer.validate(data, year=YEAR, user=district_admin) == []
    result = importer.write(data, year=YEAR, user=district_admin)
    assert result.created == 2
    assert StaffPerson.objects.count() == 1
    assert sorted(Post.objects.values_list("school__org_unit__code", "subject")) == [
        ("SA", "maths"),
        ("SA2", "pe"),
    ]


def test_reimport_is_unchanged_and_a_change_updates(importer, district_admin, school_a):
    first = teacher()
    importer.write(rows(first), year=YEAR, user=district_admin)
    again = importer.write(rows(first), year=YEAR, user=district_admin)
    assert (again.unchanged, again.messages) == (1, [])
    result = importer.write(rows({**first, "degree": "1"}), year=YEAR, user=district_admin)
    assert (result.created, result.updated) == (0, 1)
    assert Post.objects.get().degree == "1"


def test_staff_errors_are_reported(importer, school_clerk, school_a, school_b):
    number = new_id(dt.date(1981, 1, 1))
    data = rows(
        teacher(id_number=number),
        teacher(id_number=number),  # same school twice
        teacher(school="SB"),  # out of scope
        teacher(honour_level="city"),  # level without honour
        teacher(birth_date=dt.date(1999, 1, 1)),  # does not match the ID
    )
    errors = importer.validate(data, year=YEAR, user=school_clerk)
    assert {(e.row, e.column, e.message) for e in errors} == {
        (4, "任职学校代码", "同一人在同一学校重复出现（与第 3 行重复）"),
        (5, "任职学校代码", "无权导入该学校的数据（不在您的管辖范围内）"),
        (6, "称号级别", "填写称号级别时须同时填写称号"),
        (7, "出生日期", "出生日期与身份证号不符"),
    }


def test_a_teacher_another_school_posted_last_year_keeps_their_details(
    importer, district_admin, school_clerk, school_a, school_b
):
    """A school may post a teacher that another school posted last, in a year where no
    school has posted them yet; renaming them is the bureau's."""
    number = new_id(dt.date(1976, 6, 16))
    data = teacher(id_number=number, school="SB", name="李丹悦")
    importer.write(rows(data), year=YEAR, user=district_admin)
    renamed = rows({**data, "school": "SA", "name": "改名教师", "sex": "1"})
    errors = importer.validate(renamed, year=YEAR + 1, user=school_clerk)
    assert [(e.column, e.message) for e in errors] == [
        ("姓名", "该教职工由其他学校登记，姓名、性别、出生日期须由区教体局修改")
    ]
    moved = rows({**data, "school": "SA"})
    assert importer.validate(moved, year=YEAR + 1, user=school_clerk) == []
    importer.write(moved, year=YEAR + 1, user=school_clerk)
    assert StaffPerson.objects.get().name == "李丹悦"
    assert sorted(Post.objects.values_list("year", "school__org_unit__code")) == [
        (YEAR, "SB"),
        (YEAR + 1, "SA"),
    ]


def test_export_masks_the_id_number_and_its_birth_date_unless_the_role_needs_them(
    importer, district_admin, district_leader, school_a
):
    number = new_id(dt.date(1976, 6, 16))
    importer.write(rows(teacher(id_number=number)), year=YEAR, user=district_admin)
    [row] = importer.export_rows(year=YEAR, user=district_leader)
    # with the birth date beside the masked number, the number could be rebuilt
    assert (row["id_number"], row["birth_date"]) == (number[:4] + "*" * 10 + number[-4:], None)
    [row] = importer.export_rows(year=YEAR, user=district_admin)
    assert (row["id_number"], row["birth_date"]) == (number, dt.date(1976, 6, 16))


def test_export_of_one_school_reads_only_that_schools_records(
    importer, district_admin, school_a, school_b
):
    importer.write(rows(teacher(), teacher(school="SB")), year=YEAR, user=district_admin)
    exported = importer.export_rows(year=YEAR, user=district_admin, school="SB")
    assert [r["school"] for r in exported] == ["SB"]
