"""The school list importer through the real pipeline, with files built from its template: a
good file is stored as written, a bad file is refused whole with every problem named, and
importing the good file again changes nothing."""

import pytest

from ruraledu.orgunits.models import School, SchoolDistrict
from ruraledu.spreadsheets.tests.files import (
    FileCase,
    check_bad_file,
    check_good_file,
    check_reimport,
    choice,
    sheet,
)

TITLE = "学校名单"
NEW_SCHOOL = {
    "code": "SN1",
    "name": "甲镇第二小学",
    "parent": "TA",
    "stage": "小学",
    "ownership": "公办",
    "urban_rural_code": "220 村庄",
}

CASE = FileCase(
    kind="schools",
    good=(
        {**NEW_SCHOOL, "is_town_seat": "否", "school_district": "甲学区"},
        {
            "code": "SN1K",
            "name": "甲镇第二小学东校区",
            "parent": "SN1",
            "stage": "小学",
            "ownership": "公办",
            "urban_rural_code": "210 乡中心区",
            "campus_type": "分校区",
        },
        {
            "code": "KN1",
            "name": "甲镇阳光幼儿园",
            "parent": "TA",
            "stage": "幼儿园",
            "ownership": "民办",
            "is_inclusive": "是",
            "urban_rural_code": "121 镇中心区",
            "is_town_seat": "是",
            "education_group": "甲镇学前教育集团",
        },
    ),
    records=lambda: list(
        School.objects.exclude(org_unit__code__in=("SA", "SB"))
        .order_by("org_unit__code")
        .values_list(
            "org_unit__code",
            "org_unit__name",
            "org_unit__kind",
            "org_unit__parent__code",
            "stage",
            "ownership",
            "is_inclusive",
            "urban_rural_code",
            "is_town_seat",
            "campus_type",
            "school_district__name",
            "education_group__name",
        )
    ),
    stored=[
        ("KN1", "甲镇阳光幼儿园", "school", "TA", "111", "private", True, "121", True, "")
        + (None, "甲镇学前教育集团"),
        ("SN1", "甲镇第二小学", "school", "TA", "211", "public", False, "220", False, "")
        + ("甲学区", None),
        ("SN1K", "甲镇第二小学东校区", "campus", "SN1", "211", "public", False, "210", False)
        + ("branch", None, None),
    ],
    bad=(
        {**NEW_SCHOOL, "code": "SA", "name": "甲镇中心小学", "parent": "TB"},
        {**NEW_SCHOOL, "code": "SN2", "parent": "TX"},
        {**NEW_SCHOOL, "code": "SN3", "parent": "TB"},
        {**NEW_SCHOOL, "code": "SN4", "campus_type": "分校区"},
        {**NEW_SCHOOL, "code": "SN5", "school_district": "丙学区"},
        {**NEW_SCHOOL, "code": "SN5"},
        {**NEW_SCHOOL, "code": "SN6", "is_inclusive": "是"},
        {**NEW_SCHOOL, "code": "SN7", "credit_code": "12345"},
        {**NEW_SCHOOL, "code": "SN8", "stage": "中学"},
    ),
    errors=[
        sheet(TITLE, 3, "上级代码", "TB", "调整学校或校区的隶属关系只能由区教体局办理"),
        sheet(TITLE, 4, "上级代码", "TX", "上级代码不存在"),
        sheet(TITLE, 5, "上级代码", "TB", "无权在该单位下导入学校（不在您的管辖范围内）"),
        sheet(TITLE, 6, "校区类型", "分校区", "学校（法人）不填写校区类型"),
        sheet(TITLE, 7, "学区名称", "丙学区", "学区名称不存在，请先在管理后台建立学区"),
        sheet(TITLE, 8, "学校代码", "SN5", "学校代码与第 7 行重复"),
        sheet(TITLE, 9, "普惠性", "是", "公办园视为普惠，“普惠性”只对民办园填写"),
        sheet(TITLE, 10, "统一社会信用代码", "12345", "统一社会信用代码无效（GB 32100）"),
        sheet(
            TITLE,
            11,
            "办学类型",
            "中学",
            choice(
                "幼儿园、小学、小学教学点、初级中学、九年一贯制学校、十二年一贯制学校、"
                "完全中学、高级中学、特殊教育学校"
            ),
        ),
    ],
)


@pytest.fixture
def world(town_a, town_b, school_a, school_b, town_officer):
    """Town A's officer uploads; town A has school SA and the 学区 甲学区."""
    SchoolDistrict.objects.create(name="甲学区", town=town_a)
    return town_officer


def test_a_good_file_is_stored_as_written(world):
    check_good_file(CASE, world)


def test_a_bad_file_is_refused_whole_with_every_problem_named(world):
    check_bad_file(CASE, world)


def test_importing_the_good_file_again_changes_nothing(world):
    check_reimport(CASE, world)
