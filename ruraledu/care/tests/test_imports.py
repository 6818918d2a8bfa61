"""Partner lists through the real import pipeline: a good file stored encrypted, a bad file
refused whole with every problem named by sheet, row and column, a re-import that changes
nothing, and who may import which list."""

import datetime as dt

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.audit.models import AuditEvent
from ruraledu.core import crypto
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import DepartmentFactory, OrgUnitFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.tests.files import (
    columns_file,
    import_file,
    refusal,
    sheet,
    template_file,
)

from ..models import ListEntry

YEAR = 2025
HOUSEHOLD, ORPHAN, DISABLED = "care_household", "care_orphan", "care_disabled"


@pytest.fixture
def village(town_a):
    return OrgUnitFactory(code="370302101201", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)


@pytest.fixture
def civil_affairs_reporter(db):
    from conftest import _persona

    department = DepartmentFactory(code="civil-affairs", name="区民政局")
    return _persona("civil_affairs", Role.DEPARTMENT_REPORTER, department=department)


def row(number, name="张小花", village="370302101201", **extra):
    return {"id_number": number, "name": name, "village": village, **extra}


def test_a_good_list_is_stored_encrypted_and_a_reimport_changes_nothing(district_admin, village):
    # given
    first, second = new_id(), new_id(dt.date(2012, 3, 9))
    data = template_file(
        HOUSEHOLD, row(first), row(second, "李小强", birth_date=dt.date(2012, 3, 9))
    )
    # when
    result = import_file(HOUSEHOLD, data, district_admin, year=YEAR)
    # then
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    entry = ListEntry.objects.get(id_index=crypto.blind_index(second))
    assert (entry.kind, entry.year, entry.name, entry.sex, entry.birth_date) == (
        "household",
        YEAR,
        "李小强",
        "1" if int(second[16]) % 2 else "2",
        dt.date(2012, 3, 9),
    )
    assert (entry.village, entry.town_id) == (village, village.parent_id)
    assert entry.id_number() == second and entry.id_hint == f"{second[:4]}|{second[-4:]}"
    assert second.encode() not in bytes(entry.id_cipher)
    # when imported again unchanged
    audits = AuditEvent.objects.count()
    again = import_file(HOUSEHOLD, data, district_admin, year=YEAR)
    # then
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert ListEntry.objects.count() == 2
    assert AuditEvent.objects.count() == audits


def test_a_bad_list_is_refused_whole_with_every_problem_named(district_admin, village):
    # given
    good = new_id()
    valid = new_id()
    bad_check = valid[:17] + ("1" if valid[17] != "1" else "2")
    too_old = new_id(dt.date(2008, 1, 1))
    wrong_birth = new_id()
    student_no = "G" + new_id()
    data = template_file(
        HOUSEHOLD,
        row(good),
        row(bad_check),
        row(good, "重复"),
        row(too_old),
        row(new_id(), village="999"),
        row(wrong_birth, birth_date=dt.date(2015, 6, 2)),
        row(student_no),
    )
    # when
    messages = refusal(HOUSEHOLD, data, district_admin, year=YEAR)
    # then
    title = "户籍适龄儿童名单"
    assert messages == [
        sheet(title, 4, "身份证号", bad_check, "身份证号校验位错误（GB 11643）"),
        sheet(title, 5, "身份证号", good, "同一儿童在文件中出现两次（与第 3 行重复）"),
        sheet(
            title,
            6,
            "身份证号",
            too_old,
            "不是 2025 学年的义务教育适龄儿童（应在 2010年9月1日至2019年8月31日之间出生）",
        ),
        sheet(title, 7, "户籍村居代码", "999", "村居代码不存在：须为本区村（居）委会的代码"),
        sheet(title, 8, "出生日期", "2015-06-02", "出生日期与身份证号不符"),
        sheet(title, 9, "身份证号", student_no, "应填写 18 位居民身份证号，不接受学籍号"),
    ]
    assert not ListEntry.objects.exists()


def test_a_priority_list_names_only_children_of_the_household_register(district_admin, village):
    on_register, unknown = new_id(), new_id()
    import_file(HOUSEHOLD, template_file(HOUSEHOLD, row(on_register)), district_admin, year=YEAR)
    messages = refusal(
        ORPHAN, template_file(ORPHAN, row(on_register), row(unknown)), district_admin, year=YEAR
    )
    assert messages == [
        sheet(
            "孤儿名单",
            4,
            "身份证号",
            unknown,
            "不在 2025 学年的户籍适龄儿童名单中：请核对身份证号，或先导入户籍适龄儿童名单",
        )
    ]
    assert ListEntry.objects.filter(kind="orphan").count() == 0


def test_a_department_imports_its_own_list_only(civil_affairs_reporter, district_admin, village):
    number = new_id()
    import_file(HOUSEHOLD, template_file(HOUSEHOLD, row(number)), district_admin, year=YEAR)
    result = import_file(
        ORPHAN, template_file(ORPHAN, row(number)), civil_affairs_reporter, year=YEAR
    )
    assert result.created == 1
    messages = refusal(
        DISABLED, template_file(DISABLED, row(number)), civil_affairs_reporter, year=YEAR
    )
    assert messages == [
        "工作表“残疾儿童名单”：您无权导入残疾儿童名单：该名单由区教体局或区残联的部门填报员导入"
    ]
    assert not ListEntry.objects.filter(kind="disabled").exists()


def test_a_town_office_imports_no_partner_list(town_officer, village):
    messages = refusal(HOUSEHOLD, template_file(HOUSEHOLD, row(new_id())), town_officer, year=YEAR)
    assert messages == [
        "工作表“户籍适龄儿童名单”：您无权导入户籍适龄儿童名单：该名单由区教体局或区公安分局的部门填报员导入"
    ]
    assert not ListEntry.objects.exists()


def test_a_list_without_its_detail_columns_may_not_clear_an_entrys_detail(district_admin, village):
    # given a child on the household register and on the disabled list with kind and grade
    number, newcomer = new_id(), new_id(dt.date(2016, 5, 5))
    household = template_file(HOUSEHOLD, row(number), row(newcomer))
    import_file(HOUSEHOLD, household, district_admin, year=YEAR)
    graded = row(number, disability_kind="肢体残疾", disability_grade="二级")
    import_file(DISABLED, template_file(DISABLED, graded), district_admin, year=YEAR)
    # when a sheet without the grade column lists the child again
    keys = ["id_number", "name", "village", "disability_kind"]
    data = columns_file(DISABLED, keys, row(number, disability_kind="肢体残疾"))
    # then it is refused, naming the column, and the entry keeps its detail
    (message,) = refusal(DISABLED, data, district_admin, year=YEAR)
    assert "“残疾等级”" in message and "清除 1 条已登记记录" in message
    entry = ListEntry.objects.get(kind="disabled", id_index=crypto.blind_index(number))
    assert entry.detail == "肢体残疾二级"
    # a sheet without it that clears nothing imports as before
    data = columns_file(DISABLED, keys, row(newcomer, disability_kind="视力残疾"))
    assert import_file(DISABLED, data, district_admin, year=YEAR).created == 1


def test_a_list_without_the_grade_column_may_add_a_kind_to_an_entry_without_detail(
    district_admin, village
):
    number = new_id()
    import_file(HOUSEHOLD, template_file(HOUSEHOLD, row(number)), district_admin, year=YEAR)
    import_file(DISABLED, template_file(DISABLED, row(number)), district_admin, year=YEAR)
    keys = ["id_number", "name", "village", "disability_kind"]
    data = columns_file(DISABLED, keys, row(number, disability_kind="肢体残疾"))
    assert import_file(DISABLED, data, district_admin, year=YEAR).updated == 1
    assert ListEntry.objects.get(kind="disabled").detail == "肢体残疾"


@pytest.fixture
def city_villages(district_a, district_b):
    """A village in each of the city's two districts (towns A1 and B1)."""
    return tuple(
        OrgUnitFactory(
            code=f"{town.code}01", name=f"{town.name}村", kind=OrgUnitKind.VILLAGE, parent=town
        )
        for town in (district_a.children.get(), district_b.children.get())
    )


def test_in_a_city_each_district_imports_its_own_lists(district_a, district_b, city_villages):
    from conftest import _persona

    # given district A's bureau, district B's bureau and district A's own 区民政局
    # (coded, as a district's plan loads it, with the district's prefix)
    a_admin = _persona("a_admin", Role.DISTRICT_ADMIN, org_unit=district_a)
    b_admin = _persona("b_admin", Role.DISTRICT_ADMIN, org_unit=district_b)
    civil_affairs = DepartmentFactory(code="A-civil-affairs", name="区民政局", org_unit=district_a)
    reporter = _persona("a_civil", Role.DEPARTMENT_REPORTER, department=civil_affairs)
    in_a, in_b = city_villages
    child = new_id()

    # when A's bureau lists a child of district A, then it is stored
    data = template_file(HOUSEHOLD, row(child, village=in_a.code))
    assert import_file(HOUSEHOLD, data, a_admin, year=YEAR).created == 1
    # and A's 区民政局 may list that child as an orphan
    data = template_file(ORPHAN, row(child, village=in_a.code))
    assert import_file(ORPHAN, data, reporter, year=YEAR).created == 1

    # but A's bureau names no village of district B
    other = new_id(dt.date(2016, 2, 2))
    assert refusal(
        HOUSEHOLD, template_file(HOUSEHOLD, row(other, village=in_b.code)), a_admin, year=YEAR
    ) == [
        sheet(
            "户籍适龄儿童名单",
            3,
            "户籍村居代码",
            in_b.code,
            "村居代码不存在：须为本区村（居）委会的代码",
        )
    ]
    # and B's bureau does not move A's child to district B
    assert refusal(
        HOUSEHOLD, template_file(HOUSEHOLD, row(child, village=in_b.code)), b_admin, year=YEAR
    ) == [
        sheet(
            "户籍适龄儿童名单",
            3,
            "身份证号",
            child,
            "该儿童已在其他区县的同一名单中，须由其户籍所在区县修改",
        )
    ]
    entry = ListEntry.objects.get(kind="household")
    assert (entry.village, entry.town_id) == (in_a, in_a.parent_id)
