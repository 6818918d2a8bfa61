"""Each facilities importer through the real pipeline, with files built from its template: a
good file is stored as written, a bad file is refused whole with every problem named, and
importing the good file again changes nothing."""

from decimal import Decimal

import pytest

from ruraledu.facilities import imports
from ruraledu.facilities.models import FacilityRecord, KindergartenClass, TitleAward, VillageRecord
from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory
from ruraledu.spreadsheets.base import IMPORTERS
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
    whole_row,
)

NO_SCHOOL = "学校代码不存在"
SCHOOL_OUT = "无权导入该学校的数据（不在您的管辖范围内）"


def _values(model, *fields):
    return lambda: list(model.objects.order_by("pk").values_list(*fields))


CASES = [
    FileCase(
        kind="facilities",
        good=(
            {
                "school": "SA",
                "building_area": 3600,
                "teaching_area": 2400.5,
                "books": 18000,
                "classrooms": 12,
                "classrooms_lighting_ok": 10,
                "classrooms_100mbps": 12,
                "water_passed": "是",
                "boarding": "否",
                "meal_service": "自办食堂",
                "notes": "新建食堂",
            },
            {
                "school": "KSA",
                "outdoor_play_area": 800,
                "classrooms": 6,
                "meal_service": "集中配餐",
                "kindergarten_grade": "一类",
            },
        ),
        records=_values(
            FacilityRecord,
            "school__org_unit__code",
            "year",
            "building_area",
            "teaching_area",
            "outdoor_play_area",
            "books",
            "classrooms",
            "classrooms_lighting_ok",
            "classrooms_100mbps",
            "water_passed",
            "boarding",
            "meal_service",
            "kindergarten_grade",
            "notes",
        ),
        stored=[
            ("SA", 2024, Decimal("3600.00"), Decimal("2400.50"), Decimal("0.00"))
            + (18000, 12, 10, 12, True, False, "canteen", "", "新建食堂"),
            ("KSA", 2024, Decimal("0.00"), Decimal("0.00"), Decimal("800.00"))
            + (0, 6, 0, 0, False, False, "catering", "1", ""),
        ],
        bad=(
            {"school": "SA", "classrooms": 10, "classrooms_lighting_ok": 12},
            {
                "school": "KSA",
                "boarding_condition_ok": "是",
                "teacher_dorm_needed": 1,
                "teacher_dorm_provided": 3,
            },
            {"school": "SB"},
            {"school": "SA2", "meal_service": "食堂"},
            {"school": "SA2", "kindergarten_grade": "一类"},
            {"school": "SA2"},
        ),
        errors=[
            sheet("办学条件", 3, "照明达标教室间数", "12", "不能超过教室间数"),
            sheet("办学条件", 4, "已安排周转宿舍教师数", "3", "不能超过需周转宿舍教师数"),
            sheet(
                "办学条件",
                4,
                "寄宿（宿舍、洗浴）条件达标",
                "是",
                "非寄宿制学校不应填写寄宿条件达标",
            ),
            sheet("办学条件", 5, "学校代码", "SB", SCHOOL_OUT),
            sheet("办学条件", 6, "供餐方式", "食堂", choice("自办食堂、集中配餐、无")),
            sheet("办学条件", 7, "幼儿园等级", "一类", "只有幼儿园填写幼儿园等级"),
            whole_row("办学条件", 8, "同一记录在文件中出现两次（与第 7 行重复）"),
        ],
    ),
    FileCase(
        kind="titles",
        good=(
            {"school": "SA", "kind": "文明校园", "level": "市级", "awarded_year": 2021},
            {
                "school": "KSA",
                "kind": "幼儿园等级",
                "level": "县级",
                "grade": "一类",
                "awarded_year": 2020,
                "revoked_year": 2024,
            },
        ),
        records=_values(
            TitleAward,
            "school__org_unit__code",
            "kind",
            "level",
            "grade",
            "awarded_year",
            "revoked_year",
        ),
        stored=[
            ("SA", "civilised", "3", "", 2021, None),
            ("KSA", "kg_grade", "4", "1", 2020, 2024),
        ],
        bad=(
            {
                "school": "SA",
                "kind": "绿色校园",
                "level": "县级",
                "awarded_year": 2022,
                "revoked_year": 2020,
            },
            {"school": "KSA", "kind": "幼儿园等级", "level": "县级", "awarded_year": 2020},
            {"school": "SA", "kind": "文明校园", "level": "区级", "awarded_year": 2021},
            {"school": "SX", "kind": "书香校园", "level": "省级", "awarded_year": 2019},
        ),
        errors=[
            sheet("荣誉称号", 3, "撤销年份", "2020", "撤销年份早于授予年份"),
            sheet("荣誉称号", 4, "等级", "", "幼儿园等级称号须填写等级"),
            sheet("荣誉称号", 5, "级别", "区级", choice("国家级、省级、市级、县级")),
            sheet("荣誉称号", 6, "学校代码", "SX", NO_SCHOOL),
        ],
    ),
    FileCase(
        kind="kg_classes",
        good=(
            {
                "school": "KSA",
                "level": "小班",
                "classes": 3,
                "children": 75,
                "oversized_classes": 1,
            },
            {"school": "KSA", "level": "大班", "classes": 4, "children": 120},
        ),
        records=_values(
            KindergartenClass,
            "school__org_unit__code",
            "year",
            "level",
            "classes",
            "children",
            "oversized_classes",
        ),
        stored=[("KSA", 2024, "small", 3, 75, 1), ("KSA", 2024, "large", 4, 120, 0)],
        bad=(
            {"school": "SA", "level": "小班", "classes": 2, "children": 50},
            {
                "school": "KSA",
                "level": "中班",
                "classes": 2,
                "children": 50,
                "oversized_classes": 3,
            },
            {"school": "KSA", "level": "托班", "children": 20},
            {"school": "KSA", "level": "学前班", "classes": 1, "children": 30},
        ),
        errors=[
            sheet("幼儿园班级", 3, "幼儿园代码", "SA", "该单位不是幼儿园"),
            sheet("幼儿园班级", 4, "超标班额班数", "3", "不能超过班数"),
            sheet("幼儿园班级", 5, "班数", "", "必填项不能为空"),
            sheet("幼儿园班级", 6, "班级类型", "学前班", choice("托班、小班、中班、大班、混龄班")),
        ],
    ),
    FileCase(
        kind="villages",
        good=(
            {
                "village": "VA",
                "parent_school": "是",
                "guidance_station": "否",
                "civilisation_station": "是",
                "preschool_population": 46,
            },
        ),
        records=_values(
            VillageRecord,
            "village__code",
            "year",
            "parent_school",
            "guidance_station",
            "civilisation_station",
            "preschool_population",
        ),
        stored=[("VA", 2024, True, False, True, 46)],
        bad=(
            {"village": "VX"},
            {"village": "VB", "parent_school": "是"},
            {"village": "VA", "parent_school": "有"},
            {"village": "VA", "preschool_population": -1},
            {"village": "VA", "preschool_population": 40},
            {"village": "VA", "preschool_population": 41},
        ),
        errors=[
            sheet("村居情况", 3, "村居代码", "VX", "村居代码不存在"),
            sheet("村居情况", 4, "村居代码", "VB", "无权导入该村居的数据（不在您的管辖范围内）"),
            sheet("村居情况", 5, "家长学校", "有", "应填写“是”或“否”"),
            sheet("村居情况", 6, "3–5 周岁常住儿童数", "-1", "超出允许范围（不小于 0）"),
            whole_row("村居情况", 8, "同一记录在文件中出现两次（与第 7 行重复）"),
        ],
    ),
]


@pytest.fixture
def world(town_a, town_b, school_a, school_b, town_officer):
    """Town A's officer uploads; town A has school SA, campus-free school SA2, kindergarten
    KSA and village VA; town B has SB and VB."""
    SchoolFactory(org_unit__code="SA2", org_unit__parent=town_a, stage=SchoolStage.PRIMARY)
    SchoolFactory(org_unit__code="KSA", org_unit__parent=town_a, stage=SchoolStage.KINDERGARTEN)
    OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)
    OrgUnitFactory(code="VB", name="乙村", kind=OrgUnitKind.VILLAGE, parent=town_b)
    return town_officer


def test_every_facilities_importer_has_a_case():
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


def test_a_file_without_some_columns_may_not_clear_what_is_stored_in_them(world):
    # given a school's facilities imported with its books and classrooms
    good = {"school": "SA", "building_area": 3600, "books": 18000, "classrooms": 12}
    import_file("facilities", template_file("facilities", good), world)
    # when a sheet of the school and its building area only follows, it is refused (it would
    # clear the books and classrooms) and nothing changes
    data = columns_file("facilities", ["school", "building_area"], {**good, "building_area": 3800})
    (message,) = refusal("facilities", data, world)
    assert "“教室间数”" in message and "清除 1 条已登记记录" in message
    record = FacilityRecord.objects.get()
    assert (record.building_area, record.books, record.classrooms) == (Decimal(3600), 18000, 12)
    # with the columns it would clear, it is imported
    full = columns_file(
        "facilities",
        ["school", "building_area", "books", "classrooms"],
        {**good, "building_area": 3800},
    )
    assert import_file("facilities", full, world).updated == 1
    assert FacilityRecord.objects.get().building_area == Decimal(3800)
