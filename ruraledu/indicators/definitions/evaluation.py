"""Items of the 优质均衡 evaluation's 政府保障程度 part that the registry answers.

G04 学校规模 and G05 班额 of 《县域义务教育优质均衡发展督导评估办法》: the limits are the
method's own fixed figures. Both store each school's mark in its details, for the school's
diagnosis page.
"""

from django.db.models import Count, Q

from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage

from ..engine import Indicator, UnitQuery, count, register
from .common import COMPULSORY, ENROLMENT

# 小学、初中 ≤ 2000 人; 九年一贯制、十二年一贯制 义务教育阶段 ≤ 2500 人
SIZE_LIMITS = {SchoolStage.NINE_YEAR: 2500, SchoolStage.TWELVE_YEAR: 2500}
DEFAULT_SIZE_LIMIT = 2000
# 班额: 小学 ≤ 45 人, 初中 ≤ 50 人
PRIMARY_CLASS_LIMIT, JUNIOR_CLASS_LIMIT = 45, 50
COMPULSORY_GRADES = Q(grade__gte=1, grade__lte=9)


def _stages(units) -> dict[int, str]:
    from ruraledu.orgunits.models import School

    return dict(School.objects.filter(org_unit_id__in=units).values_list("org_unit_id", "stage"))


def _rolled(ctx, base: dict[int, dict]) -> dict[int, tuple]:
    return {
        unit: (s["numerator"] / s["denominator"] * 100, s["numerator"], s["denominator"], {})
        for unit, s in ctx.roll_up(base).items()
        if s["denominator"]
    }


class SchoolSizeRate(Indicator):
    code = "evaluation_school_size_rate"
    name = "义务教育学校规模达标率"
    definition = (
        "义务教育阶段在校生不超过规定规模（小学、初中 2000 人，九年一贯制、十二年一贯制 2500 人）"
        "的义务教育学校数 ÷ 有在校生的义务教育学校数；教学点的学生计入所属学校。"
    )
    scope = COMPULSORY
    requires = (ENROLMENT,)
    numerator_label, denominator_label = "规模达标学校数", "学校数"
    students = count(ENROLMENT, COMPULSORY_GRADES)
    local = True

    def measures(self):
        return {"students": self.students}

    def values(self, ctx):
        in_scope = ctx.scope_units(self.scope)
        # a campus's students belong to its school
        rolled = ctx.roll_up({u: {"n": n} for u, n in ctx.measure(self.students).items()})
        schools = [u for u in in_scope if ctx.tree.kind.get(u) == OrgUnitKind.SCHOOL]
        stages = _stages(schools)
        base, marks = {}, {}
        for unit in schools:
            students = int(rolled.get(unit, {}).get("n", 0))
            if not students:
                continue
            limit = SIZE_LIMITS.get(stages.get(unit), DEFAULT_SIZE_LIMIT)
            meets = students <= limit
            base[unit] = {"numerator": float(meets), "denominator": 1.0}
            marks[unit] = {
                "students": students,
                "limit": limit,
                "mark": "pass" if meets else "fail",
            }
        result = _rolled(ctx, base)
        for unit, details in marks.items():
            result[unit][3].update(details)
        return result


def _roster_groups(records):
    """One pass over the roster grouped by school, campus, grade and class; per school:
    [classes, classes within the limit, classes counted per campus, [[school or campus,
    pupils] …]]. A class is a grade and class name of a compulsory grade (at a campus too,
    for the rooms rule of G03)."""
    rows = (
        records.values_list("school_id", "campus_id", "grade", "class_name")
        .order_by()
        .annotate(n=Count("pk"))
    )
    sizes: dict[int, dict[tuple, int]] = {}
    by_campus: dict[int, int] = {}
    pupils: dict[int, dict[int, int]] = {}
    for school, campus, grade, name, n in rows:
        at = pupils.setdefault(school, {})
        at[campus or school] = at.get(campus or school, 0) + n
        if not name or not 1 <= grade <= 9:
            continue
        classes = sizes.setdefault(school, {})
        classes[(grade, name)] = classes.get((grade, name), 0) + n
        by_campus[school] = by_campus.get(school, 0) + 1
    for school, at in pupils.items():
        classes = sizes.get(school, {})
        good = sum(
            n <= (PRIMARY_CLASS_LIMIT if grade <= 6 else JUNIOR_CLASS_LIMIT)
            for (grade, _), n in classes.items()
        )
        yield school, [len(classes), good, by_campus.get(school, 0), sorted(at.items())]


ROSTER = UnitQuery("roster_groups", ENROLMENT, _roster_groups)


class ClassSizeRate(Indicator):
    code = "evaluation_class_size_rate"
    name = "义务教育学校班额达标率"
    definition = (
        "义务教育学校（含教学点）中人数不超过规定班额（小学 45 人、初中 50 人）的班级数 ÷ 班级数；"
        "班级按学校、年级、班级名称区分，未登记班级的学生不计。"
    )
    scope = COMPULSORY
    requires = (ENROLMENT,)
    numerator_label, denominator_label = "班额达标班级数", "班级数"
    queries = (ROSTER,)
    local = True

    def values(self, ctx):
        in_scope = ctx.scope_units(self.scope)
        base = {
            unit: {"numerator": float(good), "denominator": float(classes)}
            for unit, (classes, good, *_) in ctx.query(ROSTER).items()
            if classes and unit in in_scope
        }
        result = _rolled(ctx, base)
        for _, good, classes, details in result.values():
            details["oversized"] = int(classes - good)
        return result


register(SchoolSizeRate)
register(ClassSizeRate)
