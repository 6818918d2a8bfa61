"""Indicators that do not roll up by summing plain parts."""

from django.db.models import Min, Q

from ruraledu.activities.choices import Level, Programme
from ruraledu.orgunits.choices import BUREAU_KINDS, OrgUnitKind, SchoolStage

from ..engine import Indicator, count, register, total
from ..standards import standard
from .common import (
    COMPULSORY,
    ENROLMENT,
    FACILITY,
    NOMINATIONS,
    POSTS,
    RURAL_COMPULSORY,
    RURAL_SCHOOLS,
    URBAN_COMPULSORY,
)
from .people import BACHELOR

ALL_STUDENTS = count(ENROLMENT)


class PostVacancies(Indicator):
    code = "rural_teacher_post_vacancy_count"
    name = "乡村学校编制教师缺额数"
    definition = "乡村学校逐校计算“核定编制数 − 在编教职工数”，只计缺额（超编不抵缺额）后汇总。"
    unit = "人"
    higher_is_better = False
    scope = RURAL_SCHOOLS
    requires = (FACILITY, POSTS)
    local = True
    posts = total(FACILITY, "establishment_posts")
    staffed = count(POSTS, Q(is_establishment=True))

    def measures(self):
        return {"posts": self.posts, "staffed": self.staffed}

    def values(self, ctx):
        posts, staffed = ctx.measure(self.posts), ctx.measure(self.staffed)
        in_scope = ctx.scope_units(self.scope)
        # a school's staff includes those posted at its campuses: add them in before the gap
        per_school = ctx.roll_up(
            {u: {"posts": posts.get(u, 0), "staffed": staffed.get(u, 0)} for u in in_scope}
        )
        base = {
            u: {"gap": max(0.0, per_school[u]["posts"] - per_school[u]["staffed"])}
            for u in in_scope
            if ctx.tree.kind.get(u) != OrgUnitKind.CAMPUS and ctx.has_data(u, self.requires)
        }
        return {u: (s["gap"], s["gap"], None, {}) for u, s in ctx.roll_up(base).items()}


class BachelorRatio(Indicator):
    code = "urban_rural_teacher_bachelor_ratio"
    name = "城乡义务教育教师本科及以上学历比例之比"
    definition = (
        "（城区义务教育学校本科及以上学历专任教师数 ÷ 城区专任教师数）÷（乡村义务教育学校本科及以上学历专任教师数 ÷ "
        "乡村专任教师数）；在同时有城区和乡村学校的单位计算。"
    )
    unit = ""
    higher_is_better = False
    scope = COMPULSORY
    requires = (POSTS,)
    local = True
    bachelor = count(POSTS, Q(is_full_time_teacher=True, degree__in=BACHELOR))
    teachers = count(POSTS, Q(is_full_time_teacher=True))

    def measures(self):
        return {"bachelor": self.bachelor, "teachers": self.teachers}

    def values(self, ctx):
        sides = {}
        for side, scope in (("urban", URBAN_COMPULSORY), ("rural", RURAL_COMPULSORY)):
            base = {
                u: {
                    "b": ctx.measure(self.bachelor).get(u, 0),
                    "t": ctx.measure(self.teachers).get(u, 0),
                }
                for u in ctx.scope_units(scope)
            }
            sides[side] = ctx.roll_up(base)
        result = {}
        for unit in set(sides["urban"]) & set(sides["rural"]):
            urban, rural = sides["urban"][unit], sides["rural"][unit]
            if not urban["t"] or not rural["t"] or not rural["b"]:
                continue
            urban_share, rural_share = urban["b"] / urban["t"], rural["b"] / rural["t"]
            result[unit] = (
                urban_share / rural_share,
                urban_share * 100,
                rural_share * 100,
                {"urban": [urban["b"], urban["t"]], "rural": [rural["b"], rural["t"]]},
            )
        return result


class SmallSchoolIncrease(Indicator):
    code = "rural_small_school_increase_since_2020"
    name = "乡村小规模学校和教学点较基准年增量"
    definition = (
        "乡村小规模学校（在校生不足 100 人，标准表可调）与教学点个数之和，减去基准学年（默认 2020，"
        "无该年数据时取最早有数据的学年）的同口径个数。"
    )
    unit = "个"
    higher_is_better = False
    can_be_negative = True  # fewer small schools than in the base year
    scope = RURAL_SCHOOLS
    requires = (ENROLMENT,)
    local = True  # the base year's counts: read through its own queries

    def measures(self):
        return {"students": ALL_STUDENTS}

    def count_small(self, ctx) -> dict[int, float]:
        from ruraledu.orgunits.models import School

        students = ctx.measure(ALL_STUDENTS)
        rural = ctx.scope_units(self.scope)
        points = set(
            School.objects.filter(
                org_unit__kind=OrgUnitKind.CAMPUS,
                stage=SchoolStage.TEACHING_POINT,
                org_unit__parent_id__in=rural,
            ).values_list("org_unit_id", flat=True)
        )
        # each district may set its own size (the standards table)
        small = {
            u for u in rural if 0 < students.get(u, 0) < standard("small_school_size", "", u)[0]
        }
        base = {u: {"n": 1.0} for u in small | points}
        return {u: s["n"] for u, s in ctx.roll_up(base).items()}

    def values(self, ctx):
        from ruraledu.students.models import Enrolment

        baseline = int(standard("small_school_baseline_year")[0])
        if Enrolment.objects.filter(year=baseline).exists():
            base_year = baseline
        else:  # no data for the baseline year: the earliest year on file
            base_year = Enrolment.objects.aggregate(first=Min("year"))["first"]
            if base_year is None:
                return {}
        current = self.count_small(ctx)
        if base_year == ctx.year:
            before = current
        else:
            from ..engine import YearContext

            before = self.count_small(YearContext(base_year, [self], ctx.tree))
        units = set(current) | set(before)
        return {
            u: (
                current.get(u, 0) - before.get(u, 0),
                current.get(u, 0),
                before.get(u, 0),
                {"baseline_year": base_year},
            )
            for u in units
        }


class FamousShare(Indicator):
    code = "rural_famous_teacher_share_vs_province"
    name = "市县名师、名校长计划乡村占比与省级之比"
    definition = (
        "本学年市、县级名师、名校（园）长培养计划入选人员中乡村学校人员的比例 ÷ 省级计划乡村人员比例"
        "（标准表参数，待核定）。"
    )
    unit = ""
    scope = RURAL_SCHOOLS
    requires = ()
    local = True
    selected = Q(
        programme__in=(Programme.FAMOUS_TEACHER, Programme.FAMOUS_PRINCIPAL),
        level__in=(Level.CITY, Level.COUNTY),
    )
    everyone = count(NOMINATIONS, selected)

    def measures(self):
        return {"all": self.everyone}

    def values(self, ctx):
        everyone = ctx.measure(self.everyone)
        rural = ctx.roll_up(
            {u: {"n": v} for u, v in everyone.items() if u in ctx.scope_units(self.scope)}
        )
        total_by_unit = ctx.roll_up({u: {"n": v} for u, v in everyone.items()})
        result = {}
        for unit, sums in total_by_unit.items():
            if ctx.tree.kind.get(unit) not in BUREAU_KINDS or not sums["n"]:
                continue
            share = rural.get(unit, {}).get("n", 0) / sums["n"]
            province = standard("province_rural_famous_share", "", unit)[0]
            result[unit] = (
                share / province,
                rural.get(unit, {}).get("n", 0),
                sums["n"],
                {"province_share": province},
            )
        return result


for _cls in (PostVacancies, BachelorRatio, SmallSchoolIncrease, FamousShare):
    register(_cls)
