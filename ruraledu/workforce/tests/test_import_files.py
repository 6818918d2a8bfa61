"""The staff roster importer through the real pipeline, with files built from its template: a
good file is stored as written, a bad file is refused whole with every problem named, and
importing the good file again changes nothing."""

import datetime as dt
from operator import itemgetter

import pytest

from ruraledu.orgunits.choices import SchoolStage
from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.tests.files import (
    FileCase,
    check_bad_file,
    check_good_file,
    check_reimport,
    choice,
    columns_file,
    import_file,
    refusal,
    sheet,
    template_file,
)
from ruraledu.workforce.models import Post, StaffPerson

TITLE = "教职工名册"
TEACHER = new_id(dt.date(1982, 3, 4))
HEAD = new_id(dt.date(1975, 11, 20))
POSTED_IN_TOWN_B = new_id(dt.date(1980, 2, 3))


def person(number: str, name: str, **cells) -> dict:
    return {
        "id_number": number,
        "name": name,
        "sex": "女",
        "school": "SA",
        "position": "教师",
        "degree": "本科",
        **cells,
    }


def posts() -> list:
    """By ID number and school: the order posts are stored in is the writer's."""
    found = [
        (post.person.id_number(), post.person.birth_date, post.school.org_unit.code)
        + tuple(
            getattr(post, f)
            for f in (
                "position",
                "is_establishment",
                "is_full_time_teacher",
                "subject",
                "degree",
                "title",
                "honour",
                "honour_level",
                "hired_year",
                "peripatetic",
                "needs_dormitory",
                "has_dormitory",
            )
        )
        + (post.person.name, post.person.sex)
        for post in Post.objects.filter(person__name__in=("李老师", "张校长"))
    ]
    return sorted(found, key=itemgetter(0, 2))


CASE = FileCase(
    kind="staff",
    good=(
        person(
            TEACHER,
            "李老师",
            is_establishment="是",
            is_full_time_teacher="是",
            subject="语文",
            title="一级",
            honour="骨干教师",
            honour_level="县级",
            hired_year=2006,
            peripatetic="是",
            needs_dormitory="是",
        ),
        person(TEACHER, "李老师", school="SA2", is_full_time_teacher="是", subject="音乐"),
        person(
            HEAD,
            "张校长",
            sex="男",
            birth_date=dt.date(1975, 11, 20),
            position="校长",
            degree="研究生",
            title="高级",
        ),
    ),
    records=posts,
    stored=[
        (HEAD, dt.date(1975, 11, 20), "SA", "principal", False, False, "", "1", "2")
        + ("", "", None, False, False, False, "张校长", "1"),
        (TEACHER, dt.date(1982, 3, 4), "SA", "teacher", True, True, "chinese", "2", "3")
        + ("backbone", "county", 2006, True, True, False, "李老师", "2"),
        (TEACHER, dt.date(1982, 3, 4), "SA2", "teacher", False, True, "music", "2", "9")
        + ("", "", None, False, False, False, "李老师", "2"),
    ],
    bad=(
        person(new_id(dt.date(1990, 1, 1)), "钱老师", birth_date=dt.date(1990, 1, 2)),
        person(new_id(dt.date(1991, 1, 1)), "孙老师", school="SX"),
        person(TEACHER, "李老师"),
        person(TEACHER, "李老师"),
        person(HEAD, "张校长", honour_level="县级"),
        person(new_id(dt.date(1992, 1, 1)), "周老师", has_dormitory="是"),
        person(new_id(dt.date(1993, 1, 1)), "吴老师", town_allowance_received="是"),
        person(POSTED_IN_TOWN_B, "郑老师"),
        person(new_id(dt.date(1994, 1, 1)), "冯老师", position="老师"),
    ),
    errors=[
        sheet(TITLE, 3, "出生日期", "1990-01-02", "出生日期与身份证号不符"),
        sheet(TITLE, 4, "任职学校代码", "SX", "学校代码不存在"),
        sheet(TITLE, 6, "任职学校代码", "SA", "同一人在同一学校重复出现（与第 5 行重复）"),
        sheet(TITLE, 7, "称号级别", "县级", "填写称号级别时须同时填写称号"),
        sheet(TITLE, 8, "已有周转宿舍", "是", "不需要周转宿舍的教师不应标记为已有周转宿舍"),
        sheet(
            TITLE,
            9,
            "已发放乡镇工作补贴",
            "是",
            "不符合条件的教师不应标记为已发放乡镇工作补贴",
        ),
        sheet(
            TITLE,
            10,
            "身份证号",
            POSTED_IN_TOWN_B,
            "该证件号已在其他学校登记，请联系区教体局办理调动",
        ),
        sheet(
            TITLE,
            11,
            "岗位",
            "老师",
            choice("校长、副校长、园长、副园长、党组织书记、中层干部、教师、教研员、其他职工"),
        ),
    ],
)


@pytest.fixture
def world(town_a, school_a, school_b, town_officer):
    """Town A's officer uploads; town A has schools SA and SA2; a teacher is posted at SB."""
    SchoolFactory(org_unit__code="SA2", org_unit__parent=town_a, stage=SchoolStage.PRIMARY)
    elsewhere = StaffPerson(name="乙镇教师", sex="1")
    elsewhere.set_id_number(POSTED_IN_TOWN_B)
    elsewhere.save()
    Post.objects.create(person=elsewhere, school=school_b, year=2024, degree="2")
    return town_officer


def test_a_good_file_is_stored_as_written(world):
    check_good_file(CASE, world)
    assert StaffPerson.objects.filter(name__in=("李老师", "张校长")).count() == 2


def test_a_bad_file_is_refused_whole_with_every_problem_named(world):
    check_bad_file(CASE, world)


def test_importing_the_good_file_again_changes_nothing(world):
    check_reimport(CASE, world)


def test_a_file_without_some_columns_may_not_clear_what_is_stored_in_them(world):
    # given a teacher imported with a title and a hiring year
    import_file(
        "staff",
        template_file("staff", person(TEACHER, "李老师", title="一级", hired_year=2005)),
        world,
    )
    # when a sheet without those columns changes the degree
    basic = ["id_number", "name", "sex", "school", "position", "degree"]
    data = columns_file("staff", basic, person(TEACHER, "李老师", degree="研究生"))
    # then it is refused, naming the columns whose content it would clear, and nothing changes
    (message,) = refusal("staff", data, world)
    assert "“职称”" in message and "“入职年份”" in message and "清除 1 条已登记记录" in message
    post = Post.objects.get(person__name="李老师")
    assert (post.title, post.hired_year, post.get_degree_display()) == ("3", 2005, "本科")
