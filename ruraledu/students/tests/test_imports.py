import datetime as dt
from decimal import Decimal

import pytest

from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.students import imports as _registers  # noqa: F401
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import StaffPerson

YEAR = 2024


@pytest.fixture
def importer():
    return get_importer("students")


@pytest.fixture
def village(town_a):
    return OrgUnitFactory(code="VA1", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)


def student(**overrides):
    values = {
        "id_number": new_id(),
        "name": "张小明",
        "sex": "1",
        "school": "SA",
        "grade": 3,
        "class_name": "3.1",
        "distance_km": Decimal("2.5"),
        "transport": "school_bus",
        "lunch_needed": True,
        "lunch_served": True,
        "left_behind": False,
    }
    values.update(overrides)
    return values


def run(importer, data, user, year=YEAR):
    errors = importer.validate(data, year=year, user=user)
    assert errors == []
    return importer.write(data, year=year, user=user)


def test_a_clean_roster_creates_people_and_enrolments(importer, district_admin, school_a, village):
    data = rows(student(village="VA1"), student(name="李小红", sex="2", grade=5, boarding=True))
    result = run(importer, data, district_admin)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    enrolment = Enrolment.objects.get(person__name="张小明")
    assert (enrolment.year, enrolment.grade, enrolment.distance_km, enrolment.transport) == (
        YEAR,
        3,
        Decimal("2.5"),
        "school_bus",
    )
    assert enrolment.person.village.code == "VA1"
    assert enrolment.person.birth_date == dt.date(2015, 6, 1)


def test_ids_are_stored_encrypted_with_a_masked_hint(importer, district_admin, school_a):
    number = new_id()
    run(importer, rows(student(id_number=number)), district_admin)
    person = StudentPerson.objects.get()
    assert number.encode() not in bytes(person.id_cipher)
    assert person.id_number() == number
    assert person.masked_id == number[:4] + "*" * 10 + number[-4:]


def test_importing_the_same_rows_again_changes_nothing(importer, district_admin, school_a):
    data = rows(student(), student(name="李小红"))
    run(importer, data, district_admin)
    before = list(Enrolment.objects.values_list("pk", "grade", "distance_km"))
    result = run(importer, data, district_admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert result.messages == []
    assert list(Enrolment.objects.values_list("pk", "grade", "distance_km")) == before
    assert StudentPerson.objects.count() == 2


def test_a_corrected_row_updates_by_id_number_without_duplicates(
    importer, district_admin, school_a
):
    first = student()
    run(importer, rows(first), district_admin)
    result = run(importer, rows({**first, "grade": 4, "name": "张晓明"}), district_admin)
    assert (result.created, result.updated) == (0, 1)
    assert result.messages == ["更新了 1 名学生的基本信息"]
    assert StudentPerson.objects.get().name == "张晓明"
    assert Enrolment.objects.get().grade == 4


def test_new_enrolments_are_written_in_the_order_of_their_pupils(
    importer, district_admin, school_a
):
    """Pupils are stored in the order of their ID numbers' blind index, not the file's; their
    enrolments follow the pupils, so PostgreSQL's foreign-key checks at commit (and the
    unique index) read the pupils in order."""
    data = rows(*(student(name=f"学生{i}") for i in range(30)))
    run(importer, data, district_admin)
    people = list(Enrolment.objects.order_by("pk").values_list("person_id", flat=True))
    assert people == sorted(people) and len(people) == 30
    in_file = [f"学生{i}" for i in range(30)]
    stored = list(StudentPerson.objects.order_by("pk").values_list("name", flat=True))
    assert stored != in_file and sorted(stored) == sorted(in_file)  # the test means something


def test_each_year_keeps_its_own_enrolment(importer, district_admin, school_a):
    first = student()
    run(importer, rows(first), district_admin, year=2023)
    run(importer, rows({**first, "grade": 4}), district_admin, year=2024)
    assert list(Enrolment.objects.order_by("year").values_list("year", "grade")) == [
        (2023, 3),
        (2024, 4),
    ]


def test_bad_rows_are_all_reported_exactly(importer, school_clerk, school_a, school_b):
    duplicate = new_id()
    data = rows(
        student(id_number="G" + new_id()),  # row 3: a 学籍号 typed as a resident ID
        student(school="NOPE"),  # row 4
        student(school="SB"),  # row 5: out of the clerk's scope
        student(id_number=duplicate),  # row 6
        student(id_number=duplicate, name="重复"),  # row 7
        student(grade=8),  # row 8: primary school
        student(placement="home"),  # row 9
        student(mentor=new_id(dt.date(1980, 1, 1))),  # row 10: unknown mentor
        student(id_kind="student_no"),  # row 11: a resident ID said to be a 学籍号
    )
    errors = get_importer("students").validate(data, year=YEAR, user=school_clerk)
    found = {(e.row, e.column, e.message) for e in errors}
    assert found == {
        (3, "证件类型", "该号码是全国学籍号，请将证件类型选为“全国学籍号”"),
        (4, "学校代码", "学校代码不存在"),
        (5, "学校代码", "无权导入该学校的数据（不在您的管辖范围内）"),
        (7, "证件号码", "同一学生在文件中出现两次（与第 6 行重复）"),
        (8, "年级", "8 年级与学校类型不符（甲镇中心小学）"),
        (9, "安置方式", "只有残疾学生才填写安置方式"),
        (10, "成长导师证件号", "该成长导师不在您管辖学校本学年的教职工名册中"),
        (11, "证件类型", "证件类型为全国学籍号，号码应为 G、J 或 L 加 18 位身份证号"),
    }
    assert all(e.sheet == "学生名册" for e in errors)
    assert "（值：NOPE）" in str(next(e for e in errors if e.row == 4))


def test_texts_longer_than_stored_are_refused_naming_the_limit(importer, district_admin, school_a):
    data = rows(student(name="张" * 51), student(class_name="一" * 21), student(name="张" * 50))
    errors = importer.validate(data, year=YEAR, user=district_admin)
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "姓名", "不能超过 50 个字"),
        (4, "班级", "不能超过 20 个字"),
    ]


def test_a_known_mentor_is_linked(importer, district_admin, school_a):
    mentor_id = new_id(dt.date(1985, 2, 2))
    mentor = StaffPerson(name="王老师", sex="2")
    mentor.set_id_number(mentor_id)
    mentor.save()
    run(importer, rows(student(mentor=mentor_id)), district_admin)
    assert Enrolment.objects.get().mentor == mentor


def test_campus_must_belong_to_the_school(importer, district_admin, school_a, school_b):
    point = SchoolFactory(
        org_unit__code="SB-1",
        org_unit__kind=OrgUnitKind.CAMPUS,
        org_unit__parent=school_b.org_unit,
        stage="218",
        campus_type="teaching_point",
    )
    errors = importer.validate(
        rows(student(campus=point.org_unit.code)), year=YEAR, user=district_admin
    )
    assert [(e.column, e.message) for e in errors] == [("校区代码", "校区代码不存在或不属于该学校")]


def test_export_masks_ids_unless_the_role_needs_them(
    importer, district_admin, district_leader, school_a
):
    number = new_id()
    run(importer, rows(student(id_number=number)), district_admin)
    [row] = importer.export_rows(year=YEAR, user=district_leader)
    assert row["id_number"] == number[:4] + "*" * 10 + number[-4:]
    name = StudentPerson.objects.get().name
    # the name is masked as on the roster page, and a masked row is not a logged read
    assert row["name"] == name[0] + "*" * (len(name) - 2) + name[-1]
    assert row["_access_subject"] is None
    # the birth date is the ID number's masked middle: with it the number could be rebuilt
    assert row["birth_date"] is None
    [row] = importer.export_rows(year=YEAR, user=district_admin)
    assert (row["id_number"], row["name"]) == (number, name)
    assert row["birth_date"] == StudentPerson.objects.get().birth_date
    assert row["_access_subject"]


def test_export_masks_the_mentor_like_the_child_and_keeps_every_column(
    importer, district_admin, district_leader, school_a
):
    mentor_id = new_id(dt.date(1985, 2, 2))
    mentor = StaffPerson(name="王老师", sex="2")
    mentor.set_id_number(mentor_id)
    mentor.save()
    data = student(mentor=mentor_id, class_name="3班", left_behind=True)
    run(importer, rows(data), district_admin)
    [row] = importer.export_rows(year=YEAR, user=district_leader)
    assert row["mentor"] == mentor_id[:4] + "*" * 10 + mentor_id[-4:]
    [row] = importer.export_rows(year=YEAR, user=district_admin)
    assert row["mentor"] == mentor_id
    assert (row["school"], row["campus"], row["class_name"]) == ("SA", "", "3班")
    assert (row["left_behind"], row["boarding"], row["distance_km"]) == (
        True,
        False,
        Decimal("2.5"),
    )


def test_export_is_limited_to_the_users_scope(
    importer, district_admin, school_clerk, outsider, school_a, school_b
):
    run(importer, rows(student(), student(school="SB")), district_admin)
    assert [r["school"] for r in importer.export_rows(year=YEAR, user=school_clerk)] == ["SA"]
    assert [r["school"] for r in importer.export_rows(year=YEAR, user=outsider)] == ["SB"]


def test_a_changed_enrolment_leaves_before_and_after_in_the_audit_trail(
    importer, district_admin, school_a
):
    from ruraledu.audit.models import AuditEvent

    first = student()
    run(importer, rows(first), district_admin)
    run(importer, rows({**first, "grade": 4}), district_admin)
    event = AuditEvent.objects.get(content_type__model="enrolment")
    assert (event.actor, event.action, event.before, event.after) == (
        district_admin,
        "update",
        {"grade": 3},
        {"grade": 4},
    )


def test_a_student_number_imports_with_its_kind_and_a_mentor_link(
    importer, district_admin, school_a
):
    number = "G" + new_id(dt.date(2016, 3, 4))
    mentor_id = new_id(dt.date(1982, 5, 6))
    mentor = StaffPerson(name="王老师", sex="2", birth_date=dt.date(1982, 5, 6))
    mentor.set_id_number(mentor_id)
    mentor.save()
    row = student(id_number=number, id_kind="student_no", mentor=mentor_id)
    assert get_importer("students").validate(rows(row), year=YEAR, user=district_admin) == []
    run(importer, rows(row), district_admin)
    enrolment = Enrolment.objects.select_related("person").get()
    assert enrolment.person.id_kind == "student_no"
    assert enrolment.person.id_number() == number
    assert enrolment.person.birth_date == dt.date(2016, 3, 4)
    assert enrolment.mentor_id == mentor.pk
    # the same row again is recognised by its 学籍号, not added
    assert run(importer, rows(row), district_admin).unchanged == 1


def test_a_flag_cleared_by_a_blank_cell_is_said_in_the_result(importer, district_admin, school_a):
    first, second = student(left_behind=True, boarding=True), student(left_behind=True)
    run(importer, rows(first, second), district_admin)
    # a clerk sends the required columns only: the blank cells clear the flags
    bare = {k: first[k] for k in ("id_number", "name", "sex", "school", "grade")}
    result = run(importer, rows(bare, second), district_admin)
    assert (result.updated, result.unchanged) == (1, 1)
    assert result.messages == [
        "按表中留空或填“否”的单元格，取消了 1 名学生的“住校”标记、1 名学生的“在校午餐需求”标记、"
        "1 名学生的“午餐已保障”标记、1 名学生的“留守儿童”标记。如非本意，请补填后重新导入"
    ]
    assert not Enrolment.objects.get(person__name="张小明", left_behind=False).boarding


def test_a_school_may_enrol_a_pupil_another_school_held_last_year_but_not_rename_them(
    importer, district_admin, school_clerk, school_a, school_b
):
    """小升初: a school takes in last year's pupils of another school, but who they are stays
    as their school registered it; a clerk cannot rename another school's child by
    importing into a year where the child is not enrolled yet."""
    number = new_id()
    run(
        importer, rows(student(id_number=number, school="SB", name="朱琳", sex="2")), district_admin
    )
    renamed = rows(student(id_number=number, name="改名测试", sex="1"))
    errors = importer.validate(renamed, year=YEAR + 1, user=school_clerk)
    assert [(e.column, e.message) for e in errors] == [
        (
            "姓名",
            "该学生由其他学校登记，姓名、性别与原登记不一致；学生基本信息须由原学校或区教体局修改",
        )
    ]
    run(importer, rows(student(id_number=number, name="朱琳", sex="2")), school_clerk, YEAR + 1)
    assert StudentPerson.objects.get().name == "朱琳"
    assert sorted(Enrolment.objects.values_list("year", "school__org_unit__code")) == [
        (YEAR, "SB"),
        (YEAR + 1, "SA"),
    ]
    # once the pupil is the clerk's own, the clerk keeps their details
    run(importer, rows(student(id_number=number, name="朱小琳", sex="2")), school_clerk, YEAR + 1)
    assert StudentPerson.objects.get().name == "朱小琳"


def test_export_of_one_school_reads_only_that_schools_records(
    importer, district_admin, school_a, school_b
):
    run(importer, rows(student(), student(school="SB")), district_admin)
    exported = importer.export_rows(year=YEAR, user=district_admin, school="SB")
    assert [r["school"] for r in exported] == ["SB"]
