"""办学条件, 荣誉称号, 幼儿园班级, 村居情况 importers."""

from decimal import Decimal

from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.orgunits.lookups import SchoolLookup, VillageLookup
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.base import Column, Importer, SheetSpec, at_school, register
from ruraledu.spreadsheets.importing import RecordImporter

from .choices import KindergartenGrade, KindergartenLevel, MealService, TitleKind, TitleLevel
from .models import FacilityRecord, KindergartenClass, TitleAward, VillageRecord
from .rules import facility_problems

SCHOOL = Column("school", "学校代码", required=True, note="校区单独统计时填校区代码")


def _number(model, field: str, kind: str = "decimal") -> Column:
    return Column(field, str(model._meta.get_field(field).verbose_name), kind=kind, min_value=0)


def _flag(model, field: str) -> Column:
    return Column(field, str(model._meta.get_field(field).verbose_name), kind="bool", width=10)


FACILITY_NUMBERS = (
    "building_area",
    "teaching_area",
    "gym_area",
    "sports_ground_area",
    "outdoor_play_area",
    "equipment_value",
    "music_room_area",
    "art_room_area",
    "public_funds",
    "training_funds",
)
FACILITY_COUNTS = (
    "books",
    "classrooms",
    "classrooms_lighting_ok",
    "classrooms_100mbps",
    "multimedia_classrooms",
    "recording_rooms",
    "uplink_mbps",
    "teacher_dorm_needed",
    "teacher_dorm_provided",
    "establishment_posts",
    "music_rooms",
    "art_rooms",
    "funded_pupils",
)
FACILITY_FLAGS = (
    "water_passed",
    "hot_water",
    "clean_heating",
    "cooling",
    "sanitary_toilets",
    "boarding",
    "boarding_condition_ok",
    "resource_room",
    "special_ed_centre",
    "left_behind_room",
    "labour_site",
    "parent_committee",
    "parent_school",
    "moral_plan_on_file",
)


class SchoolRecordImporter(RecordImporter, Importer):
    def context(self, user):
        return SchoolLookup(user)

    def school_id(self, row, schools, bad):
        code = row.values.get("school")
        if not code:
            return None
        if problem := schools.problem(code):
            bad("school", problem)
            return None
        return schools.get(code).pk


@register
class FacilityImporter(SchoolRecordImporter):
    model = FacilityRecord
    key_fields = ("school_id", "year")
    spec = SheetSpec(
        kind="facilities",
        title="办学条件",
        columns=(
            SCHOOL,
            *(_number(FacilityRecord, f) for f in FACILITY_NUMBERS),
            *(_number(FacilityRecord, f, "int") for f in FACILITY_COUNTS),
            *(_flag(FacilityRecord, f) for f in FACILITY_FLAGS),
            Column("meal_service", "供餐方式", kind="choice", choices=tuple(MealService.choices)),
            Column(
                "kindergarten_grade",
                "幼儿园等级",
                kind="choice",
                choices=tuple(KindergartenGrade.choices),
            ),
            Column("notes", "备注", width=30),
        ),
    )

    def row_values(self, row, schools, bad):
        school = self.school_id(row, schools, bad)
        v = row.values
        values = {f: v.get(f) or Decimal(0) for f in FACILITY_NUMBERS}
        values.update({f: v.get(f) or 0 for f in FACILITY_COUNTS})
        values.update({f: bool(v.get(f)) for f in FACILITY_FLAGS})
        values.update(
            meal_service=v.get("meal_service") or MealService.NONE,
            kindergarten_grade=v.get("kindergarten_grade") or "",
            notes=v.get("notes") or "",
        )
        stage = schools.by_code[v["school"]].stage if school else None
        for field, message in facility_problems(values, stage):
            bad(field, message)
        if school is None:
            return None
        return {"school_id": school, **values}

    def export_rows(self, *, year, user, school=None):
        records = (
            at_school(FacilityRecord.objects.for_user(user), school)
            .filter(year=year)
            .select_related("school__org_unit")
        )
        for r in records.order_by("school__org_unit__path"):
            yield {
                "school": r.school.org_unit.code,
                **{c.key: getattr(r, c.key) for c in self.spec.columns[1:]},
            }


@register
class TitleImporter(SchoolRecordImporter):
    model = TitleAward
    key_fields = ("school_id", "kind", "level")
    year_field = None
    spec = SheetSpec(
        kind="titles",
        title="荣誉称号",
        columns=(
            SCHOOL,
            Column("kind", "称号", kind="choice", choices=tuple(TitleKind.choices), required=True),
            Column(
                "level", "级别", kind="choice", choices=tuple(TitleLevel.choices), required=True
            ),
            Column(
                "grade",
                "等级",
                kind="choice",
                choices=tuple(KindergartenGrade.choices),
                note="幼儿园等级填写",
            ),
            Column(
                "awarded_year",
                "授予年份",
                kind="int",
                required=True,
                min_value=1990,
                max_value=2100,
            ),
            Column("revoked_year", "撤销年份", kind="int", min_value=1990, max_value=2100),
        ),
    )

    def row_values(self, row, schools, bad):
        school = self.school_id(row, schools, bad)
        v = row.values
        if (
            v.get("revoked_year")
            and v.get("awarded_year")
            and v["revoked_year"] < v["awarded_year"]
        ):
            bad("revoked_year", "撤销年份早于授予年份")
        if v.get("kind") == TitleKind.KINDERGARTEN_GRADE and not v.get("grade"):
            bad("grade", "幼儿园等级称号须填写等级")
        if school is None or not v.get("kind") or not v.get("level"):
            return None
        return {
            "school_id": school,
            "kind": v["kind"],
            "level": v["level"],
            "grade": v.get("grade") or "",
            "awarded_year": v.get("awarded_year"),
            "revoked_year": v.get("revoked_year"),
        }

    def export_rows(self, *, year, user, school=None):
        for t in (
            at_school(TitleAward.objects.for_user(user), school)
            .select_related("school__org_unit")
            .order_by("school__org_unit__path")
        ):
            yield {
                "school": t.school.org_unit.code,
                **{c.key: getattr(t, c.key) for c in self.spec.columns[1:]},
            }


@register
class KindergartenClassImporter(SchoolRecordImporter):
    model = KindergartenClass
    key_fields = ("school_id", "year", "level")
    spec = SheetSpec(
        kind="kg_classes",
        title="幼儿园班级",
        columns=(
            Column("school", "幼儿园代码", required=True),
            Column(
                "level",
                "班级类型",
                kind="choice",
                choices=tuple(KindergartenLevel.choices),
                required=True,
            ),
            Column("classes", "班数", kind="int", required=True, min_value=0),
            Column("children", "在园幼儿数", kind="int", required=True, min_value=0),
            Column("oversized_classes", "超标班额班数", kind="int", min_value=0),
        ),
    )

    def row_values(self, row, schools, bad):
        school = self.school_id(row, schools, bad)
        v = row.values
        if school and schools.by_code[v["school"]].stage != SchoolStage.KINDERGARTEN:
            bad("school", "该单位不是幼儿园")
            return None
        if (v.get("oversized_classes") or 0) > (v.get("classes") or 0):
            bad("oversized_classes", "不能超过班数")
        if school is None or not v.get("level"):
            return None
        return {
            "school_id": school,
            "level": v["level"],
            "classes": v.get("classes") or 0,
            "children": v.get("children") or 0,
            "oversized_classes": v.get("oversized_classes") or 0,
        }

    def export_rows(self, *, year, user, school=None):
        rows = (
            at_school(KindergartenClass.objects.for_user(user), school)
            .filter(year=year)
            .select_related("school__org_unit")
        )
        for r in rows.order_by("school__org_unit__path", "level"):
            yield {
                "school": r.school.org_unit.code,
                **{c.key: getattr(r, c.key) for c in self.spec.columns[1:]},
            }


@register
class VillageImporter(RecordImporter, Importer):
    model = VillageRecord
    key_fields = ("village_id", "year")
    spec = SheetSpec(
        kind="villages",
        title="村居情况",
        columns=(
            Column("village", "村居代码", required=True),
            Column("parent_school", "家长学校", kind="bool"),
            Column("guidance_station", "家庭教育指导站点", kind="bool"),
            Column("civilisation_station", "新时代文明实践站（所）", kind="bool"),
            Column("preschool_population", "3–5 周岁常住儿童数", kind="int", min_value=0),
        ),
    )

    def context(self, user):
        allowed = set(
            OrgUnit.objects.for_user(user, "change")
            .filter(kind=OrgUnitKind.VILLAGE)
            .values_list("pk", flat=True)
        )
        return VillageLookup(user), allowed

    def row_values(self, row, ctx, bad):
        villages, allowed = ctx
        v = row.values
        code = v.get("village")
        if not code:
            return None
        if problem := villages.problem(code):
            bad("village", problem)
            return None
        if villages.by_code[code] not in allowed:
            bad("village", "无权导入该村居的数据（不在您的管辖范围内）")
            return None
        return {
            "village_id": villages.by_code[code],
            **{
                f: bool(v.get(f))
                for f in ("parent_school", "guidance_station", "civilisation_station")
            },
            "preschool_population": v.get("preschool_population") or 0,
        }

    def export_rows(self, *, year, user, school=None):
        rows = VillageRecord.objects.for_user(user).filter(year=year).select_related("village")
        for r in rows.order_by("village__path"):
            yield {
                "village": r.village.code,
                **{c.key: getattr(r, c.key) for c in self.spec.columns[1:]},
            }
