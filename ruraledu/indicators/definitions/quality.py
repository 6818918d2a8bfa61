"""县域义务教育优质均衡: the seven resource indicators per school, the per-school rule, the
enrolment-weighted 差异系数 per indicator for primary and junior schools, and the 省定Ⅱ类 checks.

Scope of the method: compulsory schools, without special-education schools and 教学点 under 50
students. A 九年一贯制 school is split into its primary and junior parts by enrolment; resources
are not recorded per part, so both parts carry the school's per-student value (each part weighs
by its own enrolment in the 差异系数). A 完全中学 or 十二年一贯制 school weighs in the junior
差异系数 by its junior enrolment only, not by its senior-high students.

The per-school rule is judged here once per year and stored with the values: each of the seven
carries its standard and mark (pass / partial = at least 85 % / fail), the compliance rate at a
school its verdict and shortfalls, each 差异系数 its limit and mark. Pages read these.
"""

import math

from django.db.models import F, Q

from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.workforce.choices import PE_ART_SUBJECTS, BackboneLevel, Degree, Honour

from ..compare import above, at_least, below
from ..engine import Indicator, count, register, total
from ..standards import standard
from .common import COMPULSORY, ENROLMENT, FACILITY, POSTS, RURAL_COMPULSORY, TOWN_SEAT_SCHOOLS

PRIMARY_STAGES = {SchoolStage.PRIMARY, SchoolStage.TEACHING_POINT}
JUNIOR_STAGES = {SchoolStage.JUNIOR, SchoolStage.COMPLETE_SECONDARY}
SPLIT_STAGES = {SchoolStage.NINE_YEAR, SchoolStage.TWELVE_YEAR, SchoolStage.COMPLETE_SECONDARY}

TEACHERS = Q(is_full_time_teacher=True)
SCHOOL_KINDS = (OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS)
MEASURES = {
    "students": count(ENROLMENT),
    "primary_students": count(ENROLMENT, Q(grade__lte=6)),
    "junior_students": count(ENROLMENT, Q(grade__gte=7, grade__lte=9)),
    "r1_college": count(
        POSTS, TEACHERS & Q(degree__in=(Degree.POSTGRADUATE, Degree.BACHELOR, Degree.COLLEGE))
    ),
    "r1_bachelor": count(POSTS, TEACHERS & Q(degree__in=(Degree.POSTGRADUATE, Degree.BACHELOR))),
    # the school's own 专任教师 only, as for R1 and R3: a 教研员 post is not a school teacher
    "r2": count(
        POSTS,
        TEACHERS
        & Q(is_researcher=False)
        & Q(honour__in=(Honour.BACKBONE, Honour.FAMOUS_TEACHER, Honour.SUBJECT_LEADER))
        & ~Q(honour_level=BackboneLevel.NONE),
    ),
    "r3": count(POSTS, TEACHERS & Q(subject__in=PE_ART_SUBJECTS)),
    "r4": total(FACILITY, "teaching_area"),
    "r5": total(FACILITY, F("gym_area") + F("sports_ground_area")),
    "r6": total(FACILITY, "equipment_value"),
    "r7": total(FACILITY, "multimedia_classrooms"),
}
RESOURCES = {
    "r1": ("每百名学生拥有高于规定学历教师数", "人", 100),
    "r2": ("每百名学生拥有县级以上骨干教师数", "人", 100),
    "r3": ("每百名学生拥有体育、艺术专任教师数", "人", 100),
    "r4": ("生均教学及辅助用房面积", "㎡", 1),
    "r5": ("生均体育运动场馆面积", "㎡", 1),
    "r6": ("生均教学仪器设备值", "元", 1),
    "r7": ("每百名学生拥有网络多媒体教室数", "间", 100),
}


def _r1(stage: str, parts: dict) -> float:
    # 规定学历: 小学 专科, 初中 本科; a 九年一贯制 school is held to the junior rule (本科)
    return parts["r1_college"] if stage in PRIMARY_STAGES else parts["r1_bachelor"]


def school_table(ctx) -> dict[int, dict]:
    """Per compulsory school in the method's scope: stage, enrolment by part, resource sums."""
    if "yzjh" in ctx.cache:
        return ctx.cache["yzjh"]
    from ruraledu.orgunits.models import School

    columns = {name: ctx.measure(m) for name, m in MEASURES.items()}
    units = ctx.scope_units(COMPULSORY)
    stages = dict(School.objects.filter(org_unit_id__in=units).values_list("org_unit_id", "stage"))
    # facility records and staff posts of campuses count for their school (their students are
    # enrolled at the school)
    resource_base = {}
    for name in ("r1_college", "r1_bachelor", "r2", "r3", "r4", "r5", "r6", "r7"):
        for unit, value in columns[name].items():
            resource_base.setdefault(unit, {})[name] = value
    rolled_resources = ctx.roll_up(resource_base)
    table = {}
    for unit in units:
        if ctx.tree.kind.get(unit) == OrgUnitKind.CAMPUS:
            continue  # a campus is part of its school (the scope lists campuses too)
        stage = stages.get(unit)
        students = columns["students"].get(unit, 0)
        if stage == SchoolStage.SPECIAL or (stage == SchoolStage.TEACHING_POINT and students < 50):
            continue
        parts = {
            name: rolled_resources.get(unit, {}).get(name, 0)
            for name in ("r1_college", "r1_bachelor", "r2", "r3", "r4", "r5", "r6", "r7")
        }
        sums = {
            "r1": _r1(stage, parts),
            **{k: parts[k] for k in ("r2", "r3", "r4", "r5", "r6", "r7")},
        }
        if stage in SPLIT_STAGES:
            weights = {
                "primary": columns["primary_students"].get(unit, 0),
                "junior": columns["junior_students"].get(unit, 0),
            }
        else:
            weights = {"primary" if stage in PRIMARY_STAGES else "junior": students}
        table[unit] = {
            "unit": unit,
            "stage": stage,
            "students": students,
            "sums": sums,
            "weights": weights,
        }
    ctx.cache["yzjh"] = table
    return table


def resource_value(row: dict, key: str) -> float | None:
    if not row["students"]:
        return None
    return row["sums"][key] / row["students"] * RESOURCES[key][2]


def school_threshold(row: dict, key: str, prefix: str = "yzjh") -> float:
    """The standard for a school (its district's where that set its own); a split school's is
    the enrolment-weighted mix of both parts."""
    unit = row.get("unit")
    weights = {part: w for part, w in row["weights"].items() if w}
    if not weights:
        part = "junior" if row["stage"] in JUNIOR_STAGES else "primary"
        return standard(f"{prefix}_{key}", part, unit)[0]
    total_weight = sum(weights.values())
    return (
        sum(standard(f"{prefix}_{key}", part, unit)[0] * w for part, w in weights.items())
        / total_weight
    )


PASS, PARTIAL, FAIL = "pass", "partial", "fail"


def resource_mark(value: float, threshold: float, partial: float) -> str:
    """pass at the standard; partial under it but at least `partial` of it; else fail.
    A standard of 0 is met by any value."""
    if not threshold:
        return PASS
    ratio = value / threshold
    if not below(ratio, 1):
        return PASS
    return PARTIAL if at_least(ratio, partial) else FAIL


def school_verdict(marks: dict[str, str]) -> tuple[bool, list[str]]:
    """At least 6 of 7 at the standard, and the remaining one at least 85 % of it:
    (complies, keys under the standard)."""
    short = [key for key, mark in marks.items() if mark != PASS]
    return len(short) <= 1 and all(marks[key] == PARTIAL for key in short), short


def judge_school(row: dict, partial: float) -> dict:
    """One school with students: each indicator's threshold and mark, the verdict, the keys
    under the standard."""
    thresholds = {key: school_threshold(row, key) for key in RESOURCES}
    marks = {
        key: resource_mark(resource_value(row, key), thresholds[key], partial) for key in RESOURCES
    }
    verdict, short = school_verdict(marks)
    return {"thresholds": thresholds, "marks": marks, "verdict": verdict, "short": short}


def school_judgements(ctx) -> dict[int, dict]:
    """`judge_school` for every school with students, once per year: the seven values, the
    compliance rate and G-1 all take the rule's outcome from here, and store it."""
    if "yzjh_judgements" not in ctx.cache:
        ctx.cache["yzjh_judgements"] = {
            unit: judge_school(row, standard("yzjh_partial", "", unit)[0])
            for unit, row in school_table(ctx).items()
            if row["students"]
        }
    return ctx.cache["yzjh_judgements"]


def school_complies(row: dict) -> bool | None:
    """The per-school rule for one row of `school_table`."""
    if not row["students"]:
        return None
    return judge_school(row, standard("yzjh_partial", "", row.get("unit"))[0])["verdict"]


def weighted_cv(points: list[tuple[float, float]]) -> float | None:
    """差异系数 of values X_i weighted by enrolment P_i: X̄ = ΣPX/ΣP, S = √(Σ(P/ΣP)(X−X̄)²), CV = S/X̄."""
    points = [(x, p) for x, p in points if p > 0]
    total_p = sum(p for _, p in points)
    if len(points) < 2 or not total_p:
        return None
    mean = sum(x * p for x, p in points) / total_p
    if not mean:
        return None
    variance = sum(p / total_p * (x - mean) ** 2 for x, p in points)
    return math.sqrt(variance) / mean


class ResourceIndicator(Indicator):
    """One of the seven: per school, and per town/district as the per-student figure over all."""

    scope = COMPULSORY
    requires = (ENROLMENT,)
    local = True

    def __init__(self, key: str):
        label, unit, scale = RESOURCES[key]
        self.key, self.code, self.name, self.unit, self.scale = (
            key,
            f"yzjh_{key}",
            label,
            unit,
            scale,
        )
        self.definition = f"{label}（{'每百名学生' if scale == 100 else '生均'}）：分子 ÷ 在校生数{' × 100' if scale == 100 else ''}；按《县域义务教育优质均衡发展督导评估办法》口径，不含特殊教育学校和不足 50 人的教学点。"
        self.numerator_label, self.denominator_label = label, "在校生数"

    def measures(self):
        return {name: m for name, m in MEASURES.items()}

    def values(self, ctx):
        table = school_table(ctx)
        judgements = school_judgements(ctx)
        # a school without students has no per-student value, and its resources must not
        # inflate its town's and the district's figures
        base = {
            unit: {"numerator": row["sums"][self.key], "denominator": row["students"]}
            for unit, row in table.items()
            if row["students"]
        }
        result = {}
        for unit, sums in ctx.roll_up(base).items():
            value = (
                sums["numerator"] / sums["denominator"] * self.scale
                if sums["denominator"]
                else None
            )
            details = {}
            if unit in judgements:
                judged = judgements[unit]
                details["threshold"] = round(judged["thresholds"][self.key], 4)
                details["mark"] = judged["marks"][self.key]
            result[unit] = (value, sums["numerator"], sums["denominator"], details)
        return result


class DifferenceCoefficient(Indicator):
    """差异系数 of one resource indicator among primary or junior schools under a unit."""

    scope = COMPULSORY
    requires = (ENROLMENT,)
    unit = ""
    higher_is_better = False
    local = True

    def __init__(self, key: str, part: str):
        self.key, self.part = key, part
        part_label = "小学" if part == "primary" else "初中"
        self.code = f"yzjh_cv_{key}_{part}"
        self.name = f"{part_label}{RESOURCES[key][0]}校际差异系数"
        self.definition = (
            f"{part_label}（九年一贯制学校按学段拆分）{RESOURCES[key][0]}的校际差异系数："
            "X̄ = ΣPᵢXᵢ/ΣPᵢ，S = √(Σ(Pᵢ/P)(Xᵢ−X̄)²)，CV = S/X̄，Pᵢ 为学校（学段）在校生数。"
        )

    def measures(self):
        return dict(MEASURES)

    def values(self, ctx):
        # computed once per year: the unmet-criteria count reads all fourteen again
        key = ("yzjh_cv", self.key, self.part)
        if key not in ctx.cache:
            ctx.cache[key] = self.coefficients(ctx)
        return ctx.cache[key]

    def coefficients(self, ctx):
        table = school_table(ctx)
        points_by_unit: dict[int, list] = {}
        for unit, row in table.items():
            weight = row["weights"].get(self.part, 0)
            value = resource_value(row, self.key)
            if not weight or value is None:
                continue
            for ancestor in ctx.tree.chain(unit)[:-1]:
                points_by_unit.setdefault(ancestor, []).append((value, weight))
        result = {}
        for unit, points in points_by_unit.items():
            cv = weighted_cv(points)
            if cv is not None:
                limit = standard("yzjh_cv_limit", self.part, unit)[0]
                mark = FAIL if above(cv, limit) else PASS
                result[unit] = (
                    cv,
                    None,
                    None,
                    {"schools": len(points), "limit": limit, "mark": mark},
                )
        return result


class ComplianceRate(Indicator):
    code = "yzjh_school_compliance_rate"
    name = "义务教育学校资源配置达标率（优质均衡逐校标准）"
    definition = (
        "7 项资源配置指标至少 6 项达到标准、其余 1 项不低于标准 85% 的义务教育学校数 ÷ 参评学校数。"
    )
    scope = COMPULSORY
    requires = (ENROLMENT,)
    numerator_label, denominator_label = "达标学校数", "参评学校数"
    local = True

    def measures(self):
        return dict(MEASURES)

    def values(self, ctx):
        judgements = school_judgements(ctx)
        base = {
            unit: {"numerator": float(judged["verdict"]), "denominator": 1.0}
            for unit, judged in judgements.items()
        }
        # every unit carries the 85 % it was judged by; a school also its verdict and the
        # indicators under the standard, so that pages read the rule's outcome, not redo it
        result = {}
        for unit, sums in ctx.roll_up(base).items():
            details = {"partial": standard("yzjh_partial", "", unit)[0]}
            if unit in judgements:
                details.update(verdict=judgements[unit]["verdict"], short=judgements[unit]["short"])
            value = sums["numerator"] / sums["denominator"] * 100 if sums["denominator"] else None
            result[unit] = (value, sums["numerator"], sums["denominator"], details)
        return result


class UnmetCriteria(Indicator):
    """G-1 as the plan file defines it: every school short of the per-school rule is one item,
    and every 差异系数 over its limit is one more."""

    code = "county_yzjh_resource_unmet_count"
    name = "优质均衡资源配置未达标项数"
    definition = (
        "未达逐校标准（7 项指标至少 6 项达标、其余 1 项不低于标准 85%）的学校数，加上超过限值的"
        "校际差异系数个数（7 项指标在小学、初中各一个，限值 0.50、0.45，共 14 个）；为 0 即达到"
        "优质均衡资源配置要求。"
    )
    unit = "项"
    scope = COMPULSORY
    requires = (ENROLMENT,)
    higher_is_better = False
    local = True

    def measures(self):
        return dict(MEASURES)

    def values(self, ctx):
        coefficients = {
            (k, p): DifferenceCoefficient(k, p).values(ctx)
            for k in RESOURCES
            for p in ("primary", "junior")
        }
        compliance = ComplianceRate().values(ctx)
        result = {}
        # the district and towns (a school is judged by the compliance rate, not counted here)
        areas = {u for u in compliance if ctx.tree.kind.get(u) not in SCHOOL_KINDS}
        for unit in {u for values in coefficients.values() for u in values} | areas:
            over = [
                f"{k}_{p}"
                for (k, p), values in coefficients.items()
                if unit in values and values[unit][3]["mark"] == FAIL
            ]
            _, complying, schools, _ = compliance.get(unit, (None, 0, 0, {}))
            failing = int(schools - complying)
            details = {"cv_over_limit": over, "failing_schools": failing, "schools": int(schools)}
            result[unit] = (float(failing + len(over)), None, None, details)
        return result


class Class2Standard(Indicator):
    """Schools meeting every 省定Ⅱ类 per-student facility standard (R4–R6 stand-ins, 待核定)."""

    requires = (ENROLMENT,)
    numerator_label, denominator_label = "达标学校数", "学校数"
    local = True

    def __init__(self, code, name, scope):
        self.code, self.name, self.scope = code, name, scope
        self.definition = (
            f"{scope.label}中，生均教学及辅助用房面积、生均体育运动场馆面积、生均教学仪器设备值"
            "均达到省定Ⅱ类标准（标准值待核定）的学校数 ÷ 学校数。"
        )

    def measures(self):
        return dict(MEASURES)

    def values(self, ctx):
        table = school_table(ctx)
        in_scope = ctx.scope_units(self.scope)
        base = {}
        for unit, row in table.items():
            if unit not in in_scope or not row["students"]:
                continue
            meets = all(
                at_least(resource_value(row, k), school_threshold(row, k, "class2"))
                for k in ("r4", "r5", "r6")
            )
            base[unit] = {"numerator": float(meets), "denominator": 1.0}
        return {
            u: (s["numerator"] / s["denominator"] * 100, s["numerator"], s["denominator"], {})
            for u, s in ctx.roll_up(base).items()
            if s["denominator"]
        }


for _key in RESOURCES:
    register(lambda key=_key: ResourceIndicator(key))
    for _part in ("primary", "junior"):
        register(lambda key=_key, part=_part: DifferenceCoefficient(key, part))
register(ComplianceRate)
register(UnmetCriteria)
register(
    lambda: Class2Standard(
        "town_seat_class2_standard_rate", "镇驻地中小学校生均指标达到省定Ⅱ类比例", TOWN_SEAT_SCHOOLS
    )
)
register(
    lambda: Class2Standard(
        "rural_class2_standard_rate", "乡村中小学校生均指标达到省定Ⅱ类比例", RURAL_COMPULSORY
    )
)
