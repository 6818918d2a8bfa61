from django.db import models


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区县"
    TOWN = "town", "镇"
    SUBDISTRICT = "subdistrict", "街道"
    ZONE = "zone", "经济开发区"
    SCHOOL = "school", "学校"
    CAMPUS = "campus", "校区"
    VILLAGE = "village", "村居"


TOWN_LEVEL_KINDS = (OrgUnitKind.TOWN, OrgUnitKind.SUBDISTRICT, OrgUnitKind.ZONE)
# The kinds whose reviewers are an education bureau (省教育厅, 市教育局, 区教体局): a bureau's
# role on its unit reaches every district below it, and each district keeps its own plan.
BUREAU_KINDS = (OrgUnitKind.PROVINCE, OrgUnitKind.CITY, OrgUnitKind.DISTRICT)


class SchoolStage(models.TextChoices):
    """学段/办学类型, values are the 办学类型 codes of the education statistics (JY/T 1001)."""

    KINDERGARTEN = "111", "幼儿园"
    PRIMARY = "211", "小学"
    TEACHING_POINT = "218", "小学教学点"
    JUNIOR = "311", "初级中学"
    NINE_YEAR = "312", "九年一贯制学校"
    TWELVE_YEAR = "341", "十二年一贯制学校"
    COMPLETE_SECONDARY = "345", "完全中学"
    SENIOR = "342", "高级中学"
    SPECIAL = "514", "特殊教育学校"


COMPULSORY_STAGES = (
    SchoolStage.PRIMARY,
    SchoolStage.TEACHING_POINT,
    SchoolStage.JUNIOR,
    SchoolStage.NINE_YEAR,
    SchoolStage.TWELVE_YEAR,
    SchoolStage.COMPLETE_SECONDARY,
)


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"


class CampusType(models.TextChoices):
    MAIN = "main", "主校区"
    BRANCH = "branch", "分校区"
    KINDERGARTEN_BRANCH = "kg_branch", "分园"
    TEACHING_POINT = "teaching_point", "教学点"


class UrbanRuralCode(models.TextChoices):
    """统计用城乡划分代码 (国家统计局)."""

    CITY_CENTRE = "111", "111 主城区"
    CITY_FRINGE = "112", "112 城乡结合区"
    TOWN_CENTRE = "121", "121 镇中心区"
    TOWN_FRINGE = "122", "122 镇乡结合区"
    SPECIAL_AREA = "123", "123 特殊区域"
    VILLAGE_SEAT = "210", "210 乡中心区"
    VILLAGE = "220", "220 村庄"


# Grades (年级 1–12) each kind of school teaches; kindergartens report classes, not enrolments.
GRADE_RANGES: dict[str, range] = {
    SchoolStage.PRIMARY: range(1, 7),
    SchoolStage.TEACHING_POINT: range(1, 7),
    SchoolStage.JUNIOR: range(7, 10),
    SchoolStage.NINE_YEAR: range(1, 10),
    SchoolStage.TWELVE_YEAR: range(1, 13),
    SchoolStage.COMPLETE_SECONDARY: range(7, 13),
    SchoolStage.SENIOR: range(10, 13),
    SchoolStage.SPECIAL: range(1, 10),
    SchoolStage.KINDERGARTEN: range(0),
}
