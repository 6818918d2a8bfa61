"""Items of the two evaluations read from facility records, enrolments and the 质量监测 report:
优质均衡 G03 (音乐、美术专用教室), G06 (公用经费核定), G12 (就近划片), G14 (随迁子女), Q01 (初中三年
巩固率), Q04 (教师培训经费), Q09 (质量监测) and 普及普惠 G3 (公办园生均公用经费).

Per-school rules (G03, G06) store each school's figures and mark in their details, for the
drill-downs, the school's diagnosis and the gaps listed by responsible unit.
"""

import math

from django.db.models import F, Q

from ruraledu.facilities.models import FacilityRecord
from ruraledu.orgunits.choices import COMPULSORY_STAGES, OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.rural import rural_codes
from ruraledu.students.models import Enrolment

from ..engine import Indicator, Scope, Source, count, define, register, total
from .common import COMPULSORY, ENROLMENT, FACILITY, KG_CLASSES
from .evaluation import COMPULSORY_GRADES, ROSTER, _rolled
from .preschool import ALL_KG

# ---------------------------------------------------------------- G03 音乐、美术专用教室

CLASSES_PER_ROOM = 12
MUSIC_AREA, ART_AREA = 96.0, 90.0


def rooms_needed(classes: int) -> int:
    """每 12 个班级配备 1 间以上, at least one."""
    return max(1, math.ceil(classes / CLASSES_PER_ROOM))


def rooms_mark(classes: int, music: int, music_area: float, art: int, art_area: float) -> dict:
    """A school's 专用教室 against the rule: rooms ≥ needed and their area ≥ needed × standard."""
    needed = rooms_needed(classes)
    music_short = max(0, needed - music)
    art_short = max(0, needed - art)
    music_ok = not music_short and music_area >= needed * MUSIC_AREA - 0.005
    art_ok = not art_short and art_area >= needed * ART_AREA - 0.005
    return {
        "classes": classes,
        "needed": needed,
        "music": music,
        "music_area": round(music_area, 2),
        "art": art,
        "art_area": round(art_area, 2),
        "music_short": music_short,
        "art_short": art_short,
        "mark": "pass" if music_ok and art_ok else "fail",
    }


class SpecialRoomsRate(Indicator):
    code = "evaluation_music_art_rooms_rate"
    name = "音乐、美术专用教室达标学校比例"
    definition = (
        "音乐、美术专用教室间数均不少于“班级数 ÷ 12（向上取整，至少 1 间）”，且音乐教室总面积不少于"
        f"应配间数 × {MUSIC_AREA:g}㎡、美术教室总面积不少于应配间数 × {ART_AREA:g}㎡ 的义务教育学校数 ÷ "
        "有办学条件记录的义务教育学校数；校区的教室和班级计入所属学校。"
    )
    scope = COMPULSORY
    requires = (FACILITY,)
    numerator_label, denominator_label = "专用教室达标学校数", "学校数"
    queries = (ROSTER,)
    local = True
    rooms = {
        "music": total(FACILITY, "music_rooms"),
        "music_area": total(FACILITY, "music_room_area"),
        "art": total(FACILITY, "art_rooms"),
        "art_area": total(FACILITY, "art_room_area"),
    }

    def measures(self):
        return dict(self.rooms)

    def values(self, ctx):
        in_scope = ctx.scope_units(self.scope)
        base = {
            unit: {name: ctx.measure(m).get(unit, 0.0) for name, m in self.rooms.items()}
            for unit in in_scope
        }
        rolled = ctx.roll_up(base)  # a campus's rooms join its school
        classes = {unit: groups[2] for unit, groups in ctx.query(ROSTER).items()}
        marks, parts = {}, {}
        for unit in in_scope:
            if ctx.tree.kind.get(unit) != OrgUnitKind.SCHOOL or not ctx.has_data(unit, (FACILITY,)):
                continue
            r = rolled.get(unit, {})
            mark = rooms_mark(
                classes.get(unit, 0),
                int(r.get("music", 0)),
                r.get("music_area", 0.0),
                int(r.get("art", 0)),
                r.get("art_area", 0.0),
            )
            marks[unit] = mark
            parts[unit] = {
                "numerator": float(mark["mark"] == "pass"),
                "denominator": 1.0,
                "music_short": float(mark["music_short"]),
                "art_short": float(mark["art_short"]),
            }
        sums = ctx.roll_up(parts)
        result = _rolled(ctx, parts)
        for unit, (_, _, _, details) in result.items():
            details.update(marks.get(unit, {}))
            if unit not in marks:  # towns and the district: rooms short in total
                details["music_short"] = int(sums[unit]["music_short"])
                details["art_short"] = int(sums[unit]["art_short"])
        return result


register(SpecialRoomsRate)

# ---------------------------------------------------------------- G06 公用经费核定

SMALL_SCHOOL, FUNDED_AS = 100, 100
SPECIAL_PER_PUPIL = 6000.0
SMALL_STAGES = (SchoolStage.PRIMARY, SchoolStage.TEACHING_POINT)
FUNDS_SCOPE = Scope(
    "evaluation_funds",
    "村小学、教学点（含校区）和特殊教育学校",
    lambda y: (
        Q(kind__in=(OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS))
        & (
            Q(school__stage__in=SMALL_STAGES, school__urban_rural_code__in=rural_codes())
            | Q(school__stage=SchoolStage.SPECIAL)
        )
    ),
)


def funds_mark(stage: str, pupils: int, funded: int, funds: float) -> dict | None:
    """The G06 rule for one school or 教学点; None when the rule does not apply to it."""
    if stage == SchoolStage.SPECIAL:
        per_pupil = funds / pupils if pupils else 0.0
        return {
            "rule": "special",
            "pupils": pupils,
            "funds": round(funds, 2),
            "per_pupil": round(per_pupil, 2),
            "mark": "pass" if pupils and per_pupil >= SPECIAL_PER_PUPIL - 0.005 else "fail",
        }
    if 0 < pupils < SMALL_SCHOOL:
        return {
            "rule": "small",
            "pupils": pupils,
            "funded": funded,
            "funds": round(funds, 2),
            "mark": "pass" if funded >= FUNDED_AS else "fail",
        }
    return None


class FundsRate(Indicator):
    code = "evaluation_public_funds_rate"
    name = "按规定核定公用经费的学校比例"
    definition = (
        f"不足 {SMALL_SCHOOL} 名学生的乡村小学和教学点（含作为校区的教学点）中公用经费核定学生数不少于 "
        f"{FUNDED_AS} 人的，与生均公用经费不低于 {SPECIAL_PER_PUPIL:g} 元的特殊教育学校，合计 ÷ 上述两类"
        "学校数；学生数按本学年学籍（教学点按校区）计。"
    )
    scope = FUNDS_SCOPE
    requires = (FACILITY,)
    numerator_label, denominator_label = "按规定核定的学校数", "适用的学校数"
    queries = (ROSTER,)
    local = True

    def values(self, ctx):
        from ruraledu.orgunits.models import School

        in_scope = ctx.scope_units(self.scope)
        pupils = {unit: n for *_, at in ctx.query(ROSTER).values() for unit, n in at}
        records = FacilityRecord.objects.filter(year=ctx.year, school_id__in=in_scope)
        stages = dict(School.objects.filter(pk__in=in_scope).values_list("pk", "stage"))
        marks, base = {}, {}
        for unit, funded, funds in records.values_list(
            "school_id", "funded_pupils", "public_funds"
        ):
            mark = funds_mark(stages.get(unit), pupils.get(unit, 0), funded, float(funds))
            if mark is None:
                continue
            marks[unit] = mark
            base[unit] = {"numerator": float(mark["mark"] == "pass"), "denominator": 1.0}
        result = _rolled(ctx, base)
        for unit, details in marks.items():
            result[unit][3].update(details)
        return result


register(FundsRate)

# ---------------------------------------------------------------- Q04 教师培训经费

OWN_RECORD = Q(school__org_unit__kind=OrgUnitKind.SCHOOL)  # a campus's budget is its school's
TRAINING_SHARE = 0.05
define(
    "evaluation_training_funds_rate",
    "按公用经费 5% 安排教师培训经费的学校比例",
    "义务教育学校中本学年教师培训经费不低于公用经费 5% 的学校数 ÷ 有公用经费记录的义务教育学校数"
    "（按学校办学条件记录，校区不单独计）。",
    COMPULSORY,
    count(
        FACILITY,
        OWN_RECORD & Q(public_funds__gt=0, training_funds__gte=F("public_funds") * TRAINING_SHARE),
    ),
    count(FACILITY, OWN_RECORD & Q(public_funds__gt=0)),
    requires=(FACILITY,),
    numerator_label="培训经费达到 5% 的学校",
    denominator_label="有公用经费记录的学校",
)

# ---------------------------------------------------------------- G12 就近划片

URBAN_AND_TOWN = "1"  # 统计用城乡划分代码 1xx: 城区和镇区


def _nearby_scope(year: int) -> Q:
    boarding = FacilityRecord.objects.filter(year=year, boarding=True).values("school_id")
    return Q(
        kind=OrgUnitKind.SCHOOL,
        school__stage__in=COMPULSORY_STAGES,
        school__ownership=Ownership.PUBLIC,
        school__urban_rural_code__startswith=URBAN_AND_TOWN,
    ) & ~Q(pk__in=boarding)


NEARBY_SCOPE = Scope("evaluation_nearby", "城区和镇区公办非寄宿制义务教育学校", _nearby_scope)
for _key, _grade, _stage in (("primary", 1, "小学"), ("junior", 7, "初中")):
    define(
        f"evaluation_nearby_{_key}_rate",
        f"{_stage}就近划片入学比例",
        f"城区和镇区（城乡划分代码 1 开头）公办、非寄宿制义务教育学校本学年 {_grade} 年级学生中"
        f"就近划片入学的人数 ÷ {_grade} 年级学生数。",
        NEARBY_SCOPE,
        count(ENROLMENT, Q(grade=_grade, nearby_admission=True)),
        count(ENROLMENT, Q(grade=_grade)),
        requires=(ENROLMENT,),
        numerator_label="就近划片入学学生",
        denominator_label=f"{_grade} 年级学生",
    )

# ---------------------------------------------------------------- G14 随迁子女

PUBLIC_OR_PURCHASED = Q(school__ownership=Ownership.PUBLIC) | Q(school__is_inclusive=True)
define(
    "evaluation_migrant_public_rate",
    "随迁子女在公办学校和政府购买服务的民办学校就读比例",
    "义务教育阶段随迁子女中在公办学校或政府购买服务的民办学校（学校信息标记为“普惠性”）就读的人数 ÷ "
    "义务教育阶段随迁子女数。",
    COMPULSORY,
    count(ENROLMENT, COMPULSORY_GRADES & Q(migrant=True) & PUBLIC_OR_PURCHASED),
    count(ENROLMENT, COMPULSORY_GRADES & Q(migrant=True)),
    requires=(ENROLMENT,),
    numerator_label="在公办或购买服务学校就读的随迁子女",
    denominator_label="随迁子女",
)

# ---------------------------------------------------------------- Q01 初中三年巩固率

# the cohort: pupils in grade 7 two years before; a Source without a year field, so the year
# it reads is stated by `base`
JUNIOR_COHORT = Source(
    "junior_cohort",
    Enrolment,
    unit="school_id",
    year=None,
    label="两年前初一学籍",
    base=lambda year: Q(year=year - 2, grade=7),
)


def _still_enrolled(year: int) -> Q:
    return Q(
        person_id__in=Enrolment.objects.filter(year=year, grade__gte=7, grade__lte=9).values(
            "person_id"
        )
    )


define(
    "evaluation_junior_retention_rate",
    "初中三年巩固率",
    "两学年前在初一（7 年级）就读的学生中，本学年仍在本区初中年级（7—9 年级，任一学校）就读的人数 ÷ "
    "两学年前的初一学生数；按学生初一时所在学校统计，跨区转出的学生按流失计。",
    COMPULSORY,
    count(JUNIOR_COHORT, _still_enrolled),
    count(JUNIOR_COHORT),
    requires=(JUNIOR_COHORT,),
    numerator_label="仍在校就读",
    denominator_label="两年前初一学生",
)

# ---------------------------------------------------------------- 普及普惠 G3 公办园生均公用经费

PUBLIC_KG = Q(school__ownership=Ownership.PUBLIC)
define(
    "xqpjph_g3",
    "公办园生均公用经费",
    "公办幼儿园（含分园）本学年公用经费合计 ÷ 公办幼儿园在园幼儿数（元/生·年）。",
    ALL_KG,
    total(FACILITY, "public_funds", PUBLIC_KG),
    total(KG_CLASSES, "children", PUBLIC_KG),
    unit="元",
    scale=1.0,
    requires=(FACILITY, KG_CLASSES),
    numerator_label="公办园公用经费（元）",
    denominator_label="公办园在园幼儿",
)

# ---------------------------------------------------------------- Q09 质量监测


def monitoring(year: int) -> dict[int, tuple[int, list]]:
    """Each district's latest 质量监测 report received by `year`: unit pk -> (its year, its
    subjects)."""
    from ruraledu.evaluation.models import MonitoringResult

    received = MonitoringResult.objects.filter(year__lte=year)
    latest: dict[int, tuple[int, list]] = {}
    for result in received.order_by("unit_id", "-year", "grade", "subject"):
        report = latest.setdefault(result.unit_id, (result.year, []))
        if result.year == report[0]:
            report[1].append(result)
    return latest


class MonitoringLevelRate(Indicator):
    code = "evaluation_monitoring_level_rate"
    name = "质量监测学业水平达到Ⅲ级以上的科目比例"
    definition = (
        "最近一次国家义务教育质量监测结果（本学年及以前收到的）中，全区学业表现达到Ⅲ级以上的学科（按年级和学科"
        "计）÷ 监测的学科数；只计算区县（各区县收到各自的报告）。"
    )
    scope = COMPULSORY
    numerator_label, denominator_label = "达到Ⅲ级以上的科目", "监测科目"

    def measures(self):
        return {}

    def values(self, ctx):
        return {
            unit: self.value(received, results)
            for unit, (received, results) in monitoring(ctx.year).items()
        }

    def value(self, received: int, results: list) -> tuple:
        good = sum(1 for r in results if r.level >= 3)
        details = {
            "monitoring_year": received,
            "subjects": [
                [r.get_grade_display(), r.subject, r.get_level_display(), r.school_gap]
                for r in results
            ],
        }
        return (good / len(results) * 100, float(good), float(len(results)), details)


class MonitoringSchoolGap(MonitoringLevelRate):
    code = "evaluation_monitoring_school_gap"
    name = "质量监测校际差异率（最大值）"
    definition = "最近一次国家义务教育质量监测结果中各学科校际差异率的最大值（各学科均须低于 0.15）；只计算区县。"
    unit = ""
    higher_is_better = False
    numerator_label = denominator_label = ""

    def value(self, received: int, results: list) -> tuple:
        *_, details = super().value(received, results)
        return (max(r.school_gap for r in results), None, None, details)


register(MonitoringLevelRate)
register(MonitoringSchoolGap)
