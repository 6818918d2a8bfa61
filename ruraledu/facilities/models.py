"""Per school (or campus) and school year: buildings, equipment, network, living conditions,
the rooms and bodies the plan asks for; titles held; kindergarten classes; villages."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from ruraledu.core.querysets import ScopedQuerySet
from ruraledu.core.rules import rules_error

from .choices import KindergartenGrade, KindergartenLevel, MealService, TitleKind, TitleLevel
from .rules import facility_problems


class SchoolScopedQuerySet(ScopedQuerySet):
    scope_path_field = "school__org_unit__path"


def _area(label: str):
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0)


def _money(label: str):
    """An amount (area or yuan) added after the first release: defaulted in the database too."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, default=0, db_default=Decimal(0)
    )


def _count(label: str):
    return models.PositiveIntegerField(label, default=0)


def _flag(label: str):
    return models.BooleanField(label, default=False)


# two first saves of a school's year at once (a double tap, two clerks): the second is told
TAKEN = "该校本学年的办学条件刚由他人保存，本次未保存。请刷新页面，核对后再修改。"


class FacilityRecord(models.Model):
    """One row per school or campus and year; every figure an indicator reads."""

    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="facility_records",
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    # areas and assets (优质均衡 R4–R7; 省定Ⅱ类)
    building_area = _area("校舍建筑面积（㎡）")
    teaching_area = _area("教学及辅助用房面积（㎡）")
    gym_area = _area("体育馆面积（㎡）")
    sports_ground_area = _area("运动场地面积（㎡）")
    outdoor_play_area = _area("室外游戏场地面积（㎡，幼儿园）")
    equipment_value = models.DecimalField(
        "教学仪器设备值（元）", max_digits=14, decimal_places=2, default=0
    )
    books = _count("图书（册）")
    # classrooms and network
    classrooms = _count("教室间数")
    classrooms_lighting_ok = _count("照明达标教室间数")
    classrooms_100mbps = _count("百兆到班教室间数")
    multimedia_classrooms = _count("网络多媒体教室间数")
    recording_rooms = _count("录播教室间数")
    uplink_mbps = _count("出口带宽（Mbps）")
    # living conditions
    water_passed = _flag("饮用水安全达标")
    hot_water = _flag("具备热水供应")
    clean_heating = _flag("清洁取暖")
    cooling = _flag("消暑设施")
    sanitary_toilets = _flag("卫生厕所")
    meal_service = models.CharField(
        "供餐方式", max_length=16, choices=MealService.choices, default=MealService.NONE
    )
    boarding = _flag("寄宿制")
    boarding_condition_ok = _flag("寄宿（宿舍、洗浴）条件达标")
    teacher_dorm_needed = _count("需周转宿舍教师数")
    teacher_dorm_provided = _count("已安排周转宿舍教师数")
    # rooms and bodies the plan names
    resource_room = _flag("资源教室")
    special_ed_centre = _flag("镇特殊教育资源中心")
    left_behind_room = _flag("留守儿童关爱室")
    labour_site = _flag("劳动实践场所")
    parent_committee = _flag("家长委员会")
    parent_school = _flag("家长学校（课堂）")
    moral_plan_on_file = _flag("全环境立德树人实施方案已备案")
    establishment_posts = _count("核定编制数")
    # 优质均衡 G03 (专用教室), G06 (公用经费核定), Q04 (培训经费); db defaults keep bulk writers
    # that do not name these columns working
    music_rooms = models.PositiveIntegerField("音乐专用教室间数", default=0, db_default=0)
    music_room_area = _money("音乐专用教室面积（㎡）")
    art_rooms = models.PositiveIntegerField("美术专用教室间数", default=0, db_default=0)
    art_room_area = _money("美术专用教室面积（㎡）")
    public_funds = _money("公用经费（元）")
    funded_pupils = models.PositiveIntegerField("公用经费核定学生数", default=0, db_default=0)
    training_funds = _money("教师培训经费（元）")
    kindergarten_grade = models.CharField(
        "幼儿园等级", max_length=1, choices=KindergartenGrade.choices, blank=True, default=""
    )
    notes = models.CharField("备注", max_length=200, blank=True, default="")

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "办学条件"
        verbose_name_plural = "办学条件"
        ordering = ["-year", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"],
                name="facility_school_year_unique",
                violation_error_message=TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(classrooms_lighting_ok__lte=models.F("classrooms"))
                & Q(classrooms_100mbps__lte=models.F("classrooms")),
                name="facility_classroom_counts_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"

    def clean(self):
        # the importer applies the same rules; a ModelForm shows these on its fields
        values = {f.name: getattr(self, f.name) for f in self._meta.concrete_fields}
        stage = self.school.stage if self.school_id else None
        if error := rules_error(facility_problems(values, stage)):
            raise error


class TitleAward(models.Model):
    """A title a school holds (文明校园, 绿色校园 …) from the year awarded until revoked."""

    school = models.ForeignKey(
        "orgunits.School", verbose_name="学校", on_delete=models.PROTECT, related_name="titles"
    )
    kind = models.CharField("称号", max_length=16, choices=TitleKind.choices)
    level = models.CharField("级别", max_length=1, choices=TitleLevel.choices)
    grade = models.CharField(
        "等级", max_length=1, choices=KindergartenGrade.choices, blank=True, default=""
    )
    awarded_year = models.PositiveSmallIntegerField("授予年份")
    revoked_year = models.PositiveSmallIntegerField("撤销年份", null=True, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "荣誉称号"
        verbose_name_plural = "荣誉称号"
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "level"], name="title_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_level_display()}{self.get_kind_display()}"


class KindergartenClass(models.Model):
    """Kindergarten classes and children per level and year (普及普惠: 班额, 公办/普惠 shares)."""

    school = models.ForeignKey(
        "orgunits.School",
        verbose_name="幼儿园",
        on_delete=models.PROTECT,
        related_name="kg_classes",
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    level = models.CharField("班级类型", max_length=8, choices=KindergartenLevel.choices)
    classes = models.PositiveIntegerField("班数")
    children = models.PositiveIntegerField("在园幼儿数")
    oversized_classes = models.PositiveIntegerField("超标班额班数", default=0)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "幼儿园班级"
        verbose_name_plural = "幼儿园班级"
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "level"], name="kg_class_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.get_level_display()}"


class VillageScopedQuerySet(ScopedQuerySet):
    scope_path_field = "village__path"


class VillageRecord(models.Model):
    """Per village/community and year: 家长学校 or 家庭教育指导站点, 文明实践站."""

    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name="村居",
        on_delete=models.PROTECT,
        related_name="village_records",
        limit_choices_to={"kind": "village"},
    )
    year = models.PositiveSmallIntegerField("学年", db_index=True)
    parent_school = _flag("家长学校")
    guidance_station = _flag("家庭教育指导站点")
    civilisation_station = _flag("新时代文明实践站（所）")
    preschool_population = _count("3–5 周岁常住儿童数")

    objects = VillageScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村居情况"
        verbose_name_plural = "村居情况"
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"
