"""The student roster importer through the real pipeline, with files built from its template:
a good file is stored as written, a bad file is refused whole with every problem named, and
importing the good file again changes nothing."""

import datetime as dt
from decimal import Decimal
from operator import itemgetter

import pytest

from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.tests.files import (
    FileCase,
    check_bad_file,
    check_good_file,
    check_reimport,
    choice,
    columns_file,
    import_file,
    sheet,
    template_file,
)
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

TITLE = "学生名册"
PUPIL = new_id(dt.date(2015, 2, 1))
OTHER = new_id(dt.date(2016, 7, 9))
STUDENT_NO = f"G{OTHER}"
MENTOR = new_id(dt.date(1982, 3, 4))  # posted at SA this year
ENROLLED_IN_TOWN_B = new_id(dt.date(2015, 4, 4))
STRANGER = new_id(dt.date(1979, 1, 1))


def pupil(number: str, name: str, **cells) -> dict:
    return {"id_number": number, "name": name, "sex": "男", "school": "SA", "grade": 3, **cells}


def enrolments() -> list:
    """By ID number: the order enrolments are stored in is the writer's."""
    found = [
        (
            e.person.id_number(),
            e.person.id_kind,
            e.person.name,
            e.person.sex,
            e.person.birth_date,
            e.person.village.code if e.person.village else None,
            e.school.org_unit.code,
            e.grade,
            e.class_name,
            e.distance_km,
            e.transport,
            e.placement,
            e.family_status,
            e.mentor.name if e.mentor else None,
            e.boarding,
            e.lunch_needed,
            e.lunch_served,
            e.left_behind,
            e.disability,
        )
        for e in Enrolment.objects.filter(person__name__in=("赵同学", "钱同学"))
    ]
    return sorted(found, key=itemgetter(0))


CASE = FileCase(
    kind="students",
    good=(
        pupil(
            PUPIL,
            "赵同学",
            village="VA",
            class_name="3班",
            distance_km=2.5,
            transport="校车",
            lunch_needed="是",
            lunch_served="是",
            left_behind="是",
            family_status="脱贫享受政策家庭",
            mentor=MENTOR,
        ),
        pupil(
            STUDENT_NO,
            "钱同学",
            id_kind="全国学籍号",
            sex="女",
            grade=2,
            boarding="是",
            disability="是",
            placement="随班就读",
        ),
    ),
    records=enrolments,
    stored=[
        (PUPIL, "ric", "赵同学", "1", dt.date(2015, 2, 1), "VA", "SA", 3, "3班", Decimal("2.5"))
        + ("school_bus", "", "lifted", "李老师", False, True, True, True, False),
        (STUDENT_NO, "student_no", "钱同学", "2", dt.date(2016, 7, 9), None, "SA", 2, "", None)
        + ("none", "mainstream", "", None, True, False, False, False, True),
    ],
    bad=(
        pupil(new_id(dt.date(2015, 1, 1)), "甲", id_kind="全国学籍号"),
        pupil(PUPIL, "赵同学"),
        pupil(PUPIL, "赵同学"),
        pupil(new_id(dt.date(2015, 1, 2)), "乙", birth_date=dt.date(2015, 1, 3)),
        pupil(new_id(dt.date(2015, 1, 4)), "丙", school="SX"),
        pupil(new_id(dt.date(2015, 1, 5)), "丁", grade=8),
        pupil(new_id(dt.date(2015, 1, 6)), "戊", placement="随班就读"),
        pupil(new_id(dt.date(2015, 1, 7)), "己", lunch_served="是"),
        pupil(new_id(dt.date(2015, 1, 8)), "庚", mentor=STRANGER),
        pupil(ENROLLED_IN_TOWN_B, "辛"),
        pupil(new_id(dt.date(2015, 1, 9)), "壬", village="VX"),
        pupil(new_id(dt.date(2015, 1, 10)), "癸", transport="公交车"),
        pupil(new_id(dt.date(2015, 1, 11)), "子", campus="SB"),
    ),
    errors=[
        sheet(
            TITLE,
            3,
            "证件类型",
            "全国学籍号",
            "证件类型为全国学籍号，号码应为 G、J 或 L 加 18 位身份证号",
        ),
        sheet(TITLE, 5, "证件号码", PUPIL, "同一学生在文件中出现两次（与第 4 行重复）"),
        sheet(TITLE, 6, "出生日期", "2015-01-03", "出生日期与证件号不符"),
        sheet(TITLE, 7, "学校代码", "SX", "学校代码不存在"),
        sheet(TITLE, 8, "年级", "8", "8 年级与学校类型不符（甲镇中心小学）"),
        sheet(TITLE, 9, "安置方式", "随班就读", "只有残疾学生才填写安置方式"),
        sheet(TITLE, 10, "午餐已保障", "是", "无午餐需求的学生不应标记为午餐已保障"),
        sheet(
            TITLE, 11, "成长导师证件号", STRANGER, "该成长导师不在您管辖学校本学年的教职工名册中"
        ),
        sheet(
            TITLE,
            12,
            "证件号码",
            ENROLLED_IN_TOWN_B,
            "该证件号已在其他学校登记，请在“学生转学”页面申请转入，或联系区教体局",
        ),
        sheet(TITLE, 13, "户籍村居代码", "VX", "村居代码不存在"),
        sheet(TITLE, 14, "上下学交通", "公交车", choice("无、校车、乡村公交、家长接送、步行/自行")),
        sheet(TITLE, 15, "校区代码", "SB", "校区代码不存在或不属于该学校"),
    ],
)


@pytest.fixture
def world(town_a, school_a, school_b, town_officer):
    """Town A's officer uploads; town A has school SA, village VA and a teacher posted at SA;
    a pupil is enrolled at SB this year."""
    OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)
    mentor = StaffPerson(name="李老师", sex="2")
    mentor.set_id_number(MENTOR)
    mentor.save()
    Post.objects.create(person=mentor, school=school_a, year=2024, degree="2")
    elsewhere = StudentPerson(name="乙镇学生", sex="2")
    elsewhere.set_id_number(ENROLLED_IN_TOWN_B)
    elsewhere.save()
    Enrolment.objects.create(person=elsewhere, school=school_b, year=2024, grade=3)
    return town_officer


def test_a_good_file_is_stored_as_written(world):
    check_good_file(CASE, world)


def test_a_bad_file_is_refused_whole_with_every_problem_named(world):
    check_bad_file(CASE, world)


def test_importing_the_good_file_again_changes_nothing(world):
    check_reimport(CASE, world)


BASIC = ["id_number", "name", "sex", "school", "grade", "class_name"]


def test_a_file_without_some_columns_may_not_clear_what_is_stored_in_them(world):
    # given a pupil imported with a village, transport and the 留守儿童 flag, and one without
    full = pupil(
        PUPIL, "赵同学", village="VA", class_name="3班", transport="校车", left_behind="是"
    )
    plain = pupil(OTHER, "钱同学", class_name="1班")
    import_file("students", template_file("students", full, plain), world)
    # when a sheet of the basic columns only moves both to another class (parsed in a child
    # process, as an upload job does)
    partial = columns_file(
        "students",
        BASIC,
        pupil(PUPIL, "赵同学", class_name="4班"),
        pupil(OTHER, "钱同学", class_name="2班"),
    )
    with pytest.raises(ImportRejected) as refused:
        import_run(
            kind="students",
            data=partial,
            filename="学生名册.xlsx",
            year=2024,
            user=world,
            isolate=True,
        )
    # then it is refused whole: it would clear what the first pupil's record holds in the
    # columns it lacks; the columns are named, and nothing changes
    (error,) = refused.value.errors
    assert error.sheet == TITLE and error.row == 0
    assert str(error).startswith("工作表“学生名册”：文件中没有")  # the whole sheet, no row
    for header in ("户籍村居代码", "上下学交通", "留守儿童"):
        assert f"“{header}”" in error.message
    assert "“住校”" not in error.message  # blank in the file and in the record alike
    assert "清除 1 条已登记记录" in error.message and "未导入任何数据" in error.message
    stored = {
        e.person.name: (e.class_name, e.left_behind, e.transport)
        for e in Enrolment.objects.select_related("person")
    }
    assert stored["赵同学"] == ("3班", True, "school_bus") and stored["钱同学"][0] == "1班"
    # a sheet of the same columns that clears nothing is imported
    moved = import_file(
        "students", columns_file("students", BASIC, pupil(OTHER, "钱同学", class_name="2班")), world
    )
    assert moved.updated == 1
    assert Enrolment.objects.get(person__name="钱同学").class_name == "2班"
