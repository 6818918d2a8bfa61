"""Each activity importer through the real pipeline, with files built from its template: a
good file is stored as written, a bad file is refused whole with every problem named, and
importing the good file again changes nothing."""

import datetime as dt

import pytest

from ruraledu.activities import models
from ruraledu.orgunits.models import SchoolDistrict
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.tests.files import (
    FileCase,
    check_bad_file,
    check_good_file,
    check_reimport,
    choice,
    sheet,
    whole_row,
)
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

DAY = dt.date(2024, 10, 8)
SPRING = dt.date(2025, 3, 12)
BEFORE_YEAR = dt.date(2024, 8, 31)
AFTER_YEAR = dt.date(2025, 9, 1)
TEACHER = new_id(dt.date(1982, 3, 4))  # 李老师, posted at SA this year
COLLEAGUE = new_id(dt.date(1985, 6, 7))  # 王老师, posted at SA this year
PUPIL = new_id(dt.date(2015, 2, 1))  # 赵同学, enrolled at SA this year
CLASSMATE = new_id(dt.date(2015, 5, 9))  # 钱同学, enrolled at SA this year
STRANGER = new_id(dt.date(1979, 1, 1))  # on no roster


OUT_OF_YEAR = "日期不在2024—2025学年内"
NOT_IN_REACH = "该人员不在您管辖范围内本学年的教职工名册中"
NO_SCHOOL = "学校代码不存在"
SCHOOL_OUT = "无权导入该学校的数据（不在您的管辖范围内）"
LEVELS = "国家级、省级、市级、县级"


def _values(model, *fields, order=("pk",)):
    return lambda: list(model.objects.order_by(*order).values_list(*fields))


CASES = [
    FileCase(
        kind="observations",
        good=(
            {"person": TEACHER, "school": "SA", "held_on": DAY},
            {"person": COLLEAGUE, "school": "SA", "held_on": SPRING},
        ),
        records=_values(
            models.LessonObservation,
            "observer__name",
            "school__org_unit__code",
            "held_on",
            "year",
            "semester",
        ),
        stored=[("李老师", "SA", DAY, 2024, 1), ("王老师", "SA", SPRING, 2024, 2)],
        bad=(
            {"person": TEACHER, "school": "SA", "held_on": DAY},
            {"person": TEACHER, "school": "SA", "held_on": DAY},
            {"person": TEACHER, "school": "SA", "held_on": BEFORE_YEAR},
            {"person": STRANGER, "school": "SA", "held_on": DAY},
            {"person": TEACHER, "school": "SX", "held_on": DAY},
            {"person": TEACHER, "school": "SB", "held_on": DAY},
        ),
        errors=[
            whole_row("听课记录", 4, "同一记录在文件中出现两次（与第 3 行重复）"),
            sheet("听课记录", 5, "日期", "2024-08-31", OUT_OF_YEAR),
            sheet("听课记录", 6, "教研员身份证号", STRANGER, NOT_IN_REACH),
            sheet("听课记录", 7, "学校代码", "SX", NO_SCHOOL),
            sheet("听课记录", 8, "学校代码", "SB", SCHOOL_OUT),
        ],
    ),
    FileCase(
        kind="lessons",
        good=(
            {
                "person": TEACHER,
                "school": "SA",
                "held_on": DAY,
                "kind": "名师课堂",
                "topic": "分数的意义",
            },
            {"person": COLLEAGUE, "school": "SA", "held_on": SPRING, "kind": "送教"},
        ),
        records=_values(
            models.PublicLesson,
            "teacher__name",
            "school__org_unit__code",
            "held_on",
            "kind",
            "topic",
            "year",
            "semester",
        ),
        stored=[
            ("李老师", "SA", DAY, "famous", "分数的意义", 2024, 1),
            ("王老师", "SA", SPRING, "outreach", "", 2024, 2),
        ],
        bad=(
            {"person": TEACHER, "school": "SA", "held_on": DAY, "kind": "观摩课"},
            {"person": TEACHER, "school": "SA", "held_on": DAY},
            {"person": TEACHER, "school": "SA", "held_on": AFTER_YEAR, "kind": "公开课"},
            {"person": STRANGER, "school": "SB", "held_on": DAY, "kind": "示范课"},
        ),
        errors=[
            sheet("公开课示范课", 3, "类型", "观摩课", choice("公开课、示范课、名师课堂、送教")),
            sheet("公开课示范课", 4, "类型", "", "必填项不能为空"),
            sheet("公开课示范课", 5, "日期", "2025-09-01", OUT_OF_YEAR),
            sheet("公开课示范课", 6, "授课教师身份证号", STRANGER, NOT_IN_REACH),
            sheet("公开课示范课", 6, "学校代码", "SB", SCHOOL_OUT),
        ],
    ),
    FileCase(
        kind="trainings",
        good=(
            {
                "person": TEACHER,
                "level": "县级",
                "kind": "轮训",
                "cycle": "2023-2025",
                "held_on": DAY,
                "title": "乡村教师全员轮训",
            },
        ),
        records=_values(
            models.Training, "person__name", "level", "kind", "cycle", "held_on", "title"
        ),
        stored=[("李老师", "county", "rotation", "2023-2025", DAY, "乡村教师全员轮训")],
        bad=(
            {
                "person": TEACHER,
                "level": "区级",
                "kind": "轮训",
                "cycle": "2023-2025",
                "held_on": DAY,
            },
            {
                "person": TEACHER,
                "level": "县级",
                "kind": "专题培训",
                "cycle": "2023-2025",
                "held_on": BEFORE_YEAR,
            },
            {
                "person": STRANGER,
                "level": "县级",
                "kind": "专题培训",
                "cycle": "2023-2025",
                "held_on": DAY,
            },
        ),
        errors=[
            sheet("培训记录", 3, "级别", "区级", choice(LEVELS)),
            sheet("培训记录", 4, "日期", "2024-08-31", OUT_OF_YEAR),
            sheet("培训记录", 5, "身份证号", STRANGER, NOT_IN_REACH),
        ],
    ),
    FileCase(
        kind="interns",
        good=(
            {
                "school": "SA",
                "name": "张实习",
                "university": "山东理工大学",
                "started_on": dt.date(2024, 9, 2),
                "ended_on": dt.date(2025, 1, 10),
            },
        ),
        records=_values(
            models.InternPlacement,
            "school__org_unit__code",
            "year",
            "name",
            "university",
            "started_on",
            "ended_on",
        ),
        stored=[("SA", 2024, "张实习", "山东理工大学", dt.date(2024, 9, 2), dt.date(2025, 1, 10))],
        bad=(
            {
                "school": "SA",
                "name": "张实习",
                "university": "山东理工大学",
                "started_on": dt.date(2024, 9, 2),
                "ended_on": dt.date(2024, 9, 1),
            },
            {
                "school": "SA",
                "name": "孙实习",
                "university": "山东理工大学",
                "started_on": AFTER_YEAR,
            },
            {
                "school": "SB",
                "name": "周实习",
                "university": "山东理工大学",
                "started_on": DAY,
            },
        ),
        errors=[
            sheet("实习支教", 3, "结束日期", "2024-09-01", "结束日期早于开始日期"),
            sheet("实习支教", 4, "开始日期", "2025-09-01", OUT_OF_YEAR),
            sheet("实习支教", 5, "学校代码", "SB", SCHOOL_OUT),
        ],
    ),
    FileCase(
        kind="nominations",
        good=(
            {
                "person": TEACHER,
                "programme": "乡村优秀青年教师培养奖励计划",
                "level": "市级",
                "cycle": "2024-2026",
            },
            {"person": COLLEAGUE, "programme": "名师培养计划", "level": "县级"},
        ),
        records=_values(models.Nomination, "person__name", "programme", "level", "year", "cycle"),
        stored=[
            ("李老师", "young_teacher", "city", 2024, "2024-2026"),
            ("王老师", "famous_teacher", "county", 2024, ""),
        ],
        bad=(
            {"person": TEACHER, "programme": "青年教师计划", "level": "市级"},
            {"person": COLLEAGUE, "programme": "名师培养计划", "level": "县级"},
            {"person": COLLEAGUE, "programme": "名师培养计划", "level": "县级"},
            {"person": STRANGER, "programme": "名师培养计划", "level": "县级"},
        ),
        errors=[
            sheet(
                "推荐遴选",
                3,
                "计划",
                "青年教师计划",
                choice("乡村优秀青年教师培养奖励计划、名师培养计划、名校（园）长培养计划"),
            ),
            whole_row("推荐遴选", 5, "同一记录在文件中出现两次（与第 4 行重复）"),
            sheet("推荐遴选", 6, "身份证号", STRANGER, NOT_IN_REACH),
        ],
    ),
    FileCase(
        kind="courses",
        good=(
            {"school": "SA", "name": "剪纸", "is_club": "是", "promoted": "是"},
            {"school": "SA", "name": "书法", "is_club": "否"},
        ),
        records=_values(
            models.FeatureCourse, "school__org_unit__code", "year", "name", "is_club", "promoted"
        ),
        stored=[("SA", 2024, "剪纸", True, True), ("SA", 2024, "书法", False, False)],
        bad=(
            {"school": "SA", "name": "剪纸", "is_club": "可能"},
            {"school": "SX", "name": "书法"},
            {"school": "SA", "name": "足球"},
            {"school": "SA", "name": "足球"},
        ),
        errors=[
            sheet("特色课程与社团", 3, "社团", "可能", "应填写“是”或“否”"),
            sheet("特色课程与社团", 4, "学校代码", "SX", NO_SCHOOL),
            whole_row("特色课程与社团", 6, "同一记录在文件中出现两次（与第 5 行重复）"),
        ],
    ),
    FileCase(
        kind="school_links",
        good=({"person": TEACHER, "school": "SA"}, {"person": COLLEAGUE, "school": "SA"}),
        records=_values(models.SchoolLink, "person__name", "school__org_unit__code", "year"),
        stored=[("李老师", "SA", 2024), ("王老师", "SA", 2024)],
        bad=(
            {"person": TEACHER, "school": "SB"},
            {"person": STRANGER, "school": "SA"},
            {"person": COLLEAGUE, "school": "SA"},
            {"person": COLLEAGUE, "school": "SA"},
        ),
        errors=[
            sheet("联系学校", 3, "联系学校代码", "SB", SCHOOL_OUT),
            sheet("联系学校", 4, "身份证号", STRANGER, NOT_IN_REACH),
            whole_row("联系学校", 6, "同一记录在文件中出现两次（与第 5 行重复）"),
        ],
    ),
    FileCase(
        kind="bases",
        good=(
            {
                "school": "SA",
                "partner": "山东理工大学",
                "kind": "教科研基地",
                "founded_year": 2020,
                "ended_year": 2025,
            },
            {"school": "SA", "partner": "淄博师专", "kind": "实习实训基地", "founded_year": 2022},
        ),
        records=_values(
            models.UniversityBase,
            "school__org_unit__code",
            "partner",
            "kind",
            "founded_year",
            "ended_year",
        ),
        stored=[
            ("SA", "山东理工大学", "research", 2020, 2025),
            ("SA", "淄博师专", "practice", 2022, None),
        ],
        bad=(
            {"school": "SA", "partner": "山东理工大学", "kind": "研究基地", "founded_year": 2020},
            {"school": "SA", "partner": "淄博师专", "kind": "实习实训基地", "founded_year": 1980},
            {"school": "SX", "partner": "淄博师专", "kind": "实习实训基地", "founded_year": 2022},
        ),
        errors=[
            sheet("高校科研院所基地", 3, "类型", "研究基地", choice("实习实训基地、教科研基地")),
            sheet("高校科研院所基地", 4, "设立年份", "1980", "超出允许范围（1990～2100）"),
            sheet("高校科研院所基地", 5, "学校代码", "SX", NO_SCHOOL),
        ],
    ),
    FileCase(
        kind="district_roles",
        good=(
            {"school_district": "甲学区", "person": TEACHER, "role": "学区主任"},
            {"school_district": "甲学区", "person": COLLEAGUE, "role": "教育指导员"},
        ),
        records=_values(
            models.DistrictRoleAssignment, "school_district__name", "person__name", "role", "year"
        ),
        stored=[("甲学区", "李老师", "director", 2024), ("甲学区", "王老师", "adviser", 2024)],
        bad=(
            {"school_district": "丙学区", "person": TEACHER, "role": "学区主任"},
            {"school_district": "乙学区", "person": TEACHER, "role": "学区主任"},
            {"school_district": "甲学区", "person": TEACHER, "role": "校长"},
        ),
        errors=[
            sheet("学区职务", 3, "学区名称", "丙学区", "学区名称不存在"),
            sheet(
                "学区职务", 4, "学区名称", "乙学区", "无权导入该学区的数据（不在您的管辖范围内）"
            ),
            sheet("学区职务", 5, "职务", "校长", choice("学区主任、教育指导员")),
        ],
    ),
    FileCase(
        kind="studios",
        good=(
            {
                "name": "甲镇小学语文名师工作室",
                "host": TEACHER,
                "level": "县级",
                "town": "TA",
                "school": "SA",
                "founded_year": 2022,
                "closed_year": 2026,
            },
            {
                "name": "甲镇数学名师工作室",
                "host": COLLEAGUE,
                "level": "市级",
                "town": "TA",
                "founded_year": 2023,
            },
        ),
        records=lambda: list(
            models.Studio.objects.filter(town__code="TA")
            .order_by("pk")
            .values_list(
                "name",
                "host__name",
                "level",
                "town__code",
                "school__org_unit__code",
                "founded_year",
                "closed_year",
            )
        ),
        stored=[
            ("甲镇小学语文名师工作室", "李老师", "county", "TA", "SA", 2022, 2026),
            ("甲镇数学名师工作室", "王老师", "city", "TA", None, 2023, None),
        ],
        bad=(
            {"name": "一室", "host": TEACHER, "level": "县级", "town": "TX", "founded_year": 2022},
            {"name": "二室", "host": TEACHER, "level": "县级", "town": "TB", "founded_year": 2022},
            {"name": "三室", "host": STRANGER, "level": "县级", "town": "TA", "founded_year": 2022},
            {
                "name": "乙镇工作室",
                "host": TEACHER,
                "level": "县级",
                "town": "TA",
                "founded_year": 2022,
            },
        ),
        errors=[
            sheet("名师工作室", 3, "所在镇街代码", "TX", "镇街代码不存在"),
            sheet(
                "名师工作室", 4, "所在镇街代码", "TB", "无权导入该镇街的数据（不在您的管辖范围内）"
            ),
            sheet("名师工作室", 5, "主持人身份证号", STRANGER, NOT_IN_REACH),
            sheet(
                "名师工作室",
                6,
                "工作室名称",
                "乙镇工作室",
                "同名工作室已由其他单位登记，请联系区教体局",
            ),
        ],
    ),
    FileCase(
        kind="pilots",
        good=({"town": "TA", "level": "区级", "started_year": 2024},),
        records=_values(models.TownPilot, "town__code", "level", "started_year"),
        stored=[("TA", "county", 2024)],
        bad=(
            {"town": "TX", "level": "区级", "started_year": 2024},
            {"town": "TB", "level": "区级", "started_year": 2024},
            {"town": "TA", "level": "县级", "started_year": 2024},
        ),
        errors=[
            sheet("强镇筑基试点", 3, "镇代码", "TX", "镇街代码不存在"),
            sheet("强镇筑基试点", 4, "镇代码", "TB", "无权导入该镇街的数据（不在您的管辖范围内）"),
            sheet("强镇筑基试点", 5, "级别", "县级", choice("省级、市级、区级")),
        ],
    ),
    FileCase(
        kind="trips",
        good=(
            {"school": "SA", "held_on": DAY, "title": "市博物馆研学", "student": PUPIL},
            {"school": "SA", "held_on": DAY, "title": "市博物馆研学", "student": CLASSMATE},
        ),
        records=lambda: [
            (
                trip.school.org_unit.code,
                trip.held_on,
                trip.title,
                trip.year,
                sorted(trip.participants.values_list("name", flat=True)),
            )
            for trip in models.CityTrip.objects.all()
        ],
        stored=[("SA", DAY, "市博物馆研学", 2024, ["赵同学", "钱同学"])],
        bad=(
            {"school": "SA", "held_on": DAY, "title": "研学", "student": STRANGER},
            {"school": "SA", "held_on": AFTER_YEAR, "title": "研学", "student": PUPIL},
            {"school": "SX", "held_on": DAY, "title": "研学", "student": PUPIL},
        ),
        errors=[
            sheet("进城研学", 3, "学生证件号码", STRANGER, "该学生不在该校本学年学生名册中"),
            sheet("进城研学", 4, "日期", "2025-09-01", OUT_OF_YEAR),
            sheet("进城研学", 5, "学校代码", "SX", NO_SCHOOL),
        ],
    ),
]


@pytest.fixture
def world(town_a, town_b, school_a, school_b, town_officer):
    """Town A's officer uploads; two teachers and two pupils are on SA's rosters this year;
    town B has its own 学区 and a studio named 乙镇工作室."""
    SchoolDistrict.objects.create(name="甲学区", town=town_a)
    SchoolDistrict.objects.create(name="乙学区", town=town_b)
    for number, name in ((TEACHER, "李老师"), (COLLEAGUE, "王老师")):
        teacher = StaffPerson(name=name, sex="2")
        teacher.set_id_number(number)
        teacher.save()
        Post.objects.create(person=teacher, school=school_a, year=2024, degree="2")
    for number, name in ((PUPIL, "赵同学"), (CLASSMATE, "钱同学")):
        pupil = StudentPerson(name=name, sex="1")
        pupil.set_id_number(number)
        pupil.save()
        Enrolment.objects.create(person=pupil, school=school_a, year=2024, grade=4)
    host = StaffPerson(name="乙镇主持人", sex="1")
    host.set_id_number(new_id(dt.date(1975, 1, 1)))
    host.save()
    models.Studio.objects.create(
        name="乙镇工作室", host=host, level="county", town=town_b, founded_year=2020
    )
    return town_officer


def test_every_activity_importer_has_a_case():
    from ruraledu.activities import imports
    from ruraledu.spreadsheets.base import IMPORTERS

    kinds = {k for k, c in IMPORTERS.items() if c.__module__ == imports.__name__}
    assert {case.kind for case in CASES} == kinds


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_good_file_is_stored_as_written(world, case):
    check_good_file(case, world)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_bad_file_is_refused_whole_with_every_problem_named(world, case):
    check_bad_file(case, world)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_importing_the_good_file_again_changes_nothing(world, case):
    check_reimport(case, world)
