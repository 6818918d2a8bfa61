"""Items of the 优质均衡 evaluation's 政府保障程度 part that the registry answers.

G04 学校规模 and G05 班额 of 《县域义务教育优质均衡发展督导评估办法》: the limits are the
method's own fixed figures. Both store each school's mark in its details, for the school's
diagnosis page.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
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


# The roster grouped by school, campus, grade and class, then (in the database: at province
# scale the groups are half a million rows to carry and add up here) per school and place its
# pupils (kind 0), and per school its classes (kind 1): a class is a grade of 1-9 and a class
# name, campuses together; those within the limit; and its groups by campus (for G03's rooms).
ROSTER_SQL = """
WITH g AS ({groups})
SELECT 0, school_id, COALESCE(campus_id, school_id), CAST(SUM(n) AS INTEGER), 0
FROM g GROUP BY school_id, COALESCE(campus_id, school_id)
UNION ALL
SELECT 1, school_id, COUNT(*),
    SUM(CASE WHEN n <= (CASE WHEN grade <= 6 THEN %s ELSE %s END) THEN 1 ELSE 0 END),
    CAST(SUM(places) AS INTEGER)
FROM (
    SELECT school_id, grade, class_name, SUM(n) AS n, COUNT(*) AS places FROM g
    WHERE COALESCE(class_name, '') <> '' AND grade BETWEEN 1 AND 9
    GROUP BY school_id, grade, class_name
) classes
GROUP BY school_id
"""


def _roster_groups(records):
    """Per school: [classes, classes within the limit, classes counted per campus, [[school or
    campus, pupils] …]]."""
    groups = (
        records.values_list("school_id", "campus_id", "grade", "class_name")
        .order_by()
        .annotate(n=Count("pk"))
    )
    try:
        sql, params = groups.query.get_compiler(records.db).as_sql()
    except EmptyResultSet:  # no unit asked for
        return
    with connections[records.db].cursor() as cursor:
        cursor.execute(
            ROSTER_SQL.format(groups=sql), [*params, PRIMARY_CLASS_LIMIT, JUNIOR_CLASS_LIMIT]
        )
        rows = cursor.fetchall()
    pupils: dict[int, list] = {}
    classes: dict[int, tuple] = {}
    for kind, school, a, b, c in rows:
        if kind == 0:
            pupils.setdefault(school, []).append([a, b])
        else:
            classes[school] = (a, b, c)
    for school, at in pupils.items():
        counted, good, by_campus = classes.get(school, (0, 0, 0))
        yield school, [counted, good, by_campus, sorted(at)]


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
