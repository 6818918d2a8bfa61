"""控辍保学 一人一案: indicators computed from the care cases (P39-3, G-13); 学困生成长档案:
G-12 and the term's reviews, computed from the growth files.

A case counts for a school year when it is open at the year's end, or today while the year
runs: opened on or before that day and not closed by then. It counts at the unit it lives at
(the school the child last attended, or the town for a child never enrolled)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ruraledu.care.models import DropoutCase, GrowthFile, GrowthFileHolding, GrowthReview
from ruraledu.care.selectors import neglected_condition
from ruraledu.core.schoolyear import school_year_bounds, semester_of
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.students.models import Enrolment

from ..engine import Indicator, Scope, Source, count, register
from .common import ALL_SCHOOLS, ENROLMENT, RURAL_SCHOOLS


def as_of(year: int) -> dt.date:
    """The day a year's figure describes: the year's last day, or today while it runs."""
    return min(timezone.localdate(), school_year_bounds(year)[1])


def _open_at(year: int) -> Q:
    day = as_of(year)
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


CASES = Source(
    "care_cases", DropoutCase, unit="unit_id", year=None, label="控辍保学个案", base=_open_at
)
CASE_UNITS = Scope(
    "care_case_units",
    "学校和镇街（个案所在单位）",
    lambda y: Q(kind=OrgUnitKind.SCHOOL) | Q(kind__in=TOWN_LEVEL_KINDS),
)


def poor_family(year: int) -> Q:
    """The child's enrolment of the year, or of the year before (a dropout has none this
    year), marks the family 脱贫享受政策 or 防止返贫动态监测."""
    marked = Enrolment.objects.filter(year__in=[year - 1, year]).exclude(family_status="")
    return Q(person_id__in=marked.values("person_id"))


def followed_up(year: int) -> Q:
    """Not neglected on the day, by the case pages' own rule (疏于跟进)."""
    return ~neglected_condition(as_of(year))


class CaseIndicator(Indicator):
    """Summable over the org tree; drilled into as masked cases (indicators.drilldown_care)."""

    scope = CASE_UNITS
    # a figure needs the year's roster: with no registry data 0 open cases would mean nothing
    requires = (ENROLMENT,)


@register
class PoorFamilyDropoutOpen(CaseIndicator):
    code = "poor_family_dropout_open_count"
    name = "农村脱贫和监测家庭适龄儿童未结失学辍学个案数"
    definition = (
        "学年末（当前学年为今天）未结案的控辍保学个案中，学生本学年或上一学年学籍登记为“脱贫享受政策家庭”"
        "或“防止返贫动态监测家庭”的人数；计入个案所在学校（从未入学的计入镇街）。应保持为 0（常态清零）。"
    )
    unit = "人"
    higher_is_better = False
    numerator = count(CASES, poor_family)
    numerator_label = "未结个案（脱贫和监测家庭）"


@register
class DropoutCasePlanRate(CaseIndicator):
    code = "dropout_case_plan_rate"
    name = "控辍保学个案“一人一案”跟进率"
    definition = (
        "未结个案中没有“疏于跟进”的个案数 ÷ 未结个案数。疏于跟进指发现已满 30 天，仍没有书面劝返方案，"
        "或近 30 天内没有家访、电话或劝返联系记录（发现后 30 天内由各步骤的办理时限督办）；"
        "按学年末（当前学年为今天）计。没有未结个案时不计算。"
    )
    numerator = count(CASES, followed_up)
    denominator = count(CASES)
    numerator_label = "未疏于跟进的个案"
    denominator_label = "未结个案"


# ---------------------------------------------------------------- 学困生成长档案 (G-12)


def files_in_force(year: int):
    """Growth files that stand for `year`: assessed by the day the figure describes and not
    exited before the year began (a file closed in an earlier year does not cover a child
    flagged again)."""
    start = school_year_bounds(year)[0]
    return GrowthFile.objects.filter(assessed_on__lte=as_of(year)).exclude(exited_on__lt=start)


def has_support_plan(year: int) -> Q:
    """The pupil has a growth file in force with a support plan written by the day."""
    files = files_in_force(year).filter(plan_set_on__lte=as_of(year))
    return Q(person_id__in=files.values("person_id"))


def term_start(day: dt.date) -> dt.date:
    """The first day of the semester holding `day` (September, or February)."""
    year, semester = semester_of(day)
    return dt.date(year, 9, 1) if semester == 1 else dt.date(year + 1, 2, 1)


def _files_under_plan(year: int) -> Q:
    """Files open on the day with a support plan written by then, at the school that held
    each of them that day (a holding ends the day the next school takes the file over)."""
    day = as_of(year)
    return (
        Q(file__plan_set_on__lte=day)
        & Q(file__assessed_on__lte=day)
        & (Q(file__exited_on__isnull=True) | Q(file__exited_on__gt=day))
        & (Q(held_from__isnull=True) | Q(held_from__lte=day))
        & (Q(held_until__isnull=True) | Q(held_until__gt=day))
    )


def reviewed_this_term(year: int) -> Q:
    day = as_of(year)
    reviews = GrowthReview.objects.filter(on__gte=term_start(day), on__lte=day)
    return Q(file_id__in=reviews.values("file_id"))


GROWTH_FILES = Source(
    "care_growth_files",
    GrowthFileHolding,
    unit="unit_id",
    year=None,
    label="学困生成长档案",
    base=_files_under_plan,
)


class GrowthIndicator(Indicator):
    """Summable over the org tree; drilled into as masked pupils (indicators.drilldown_care)."""

    requires = (ENROLMENT,)


@register
class StrugglingStudentRecordRate(GrowthIndicator):
    code = "rural_struggling_student_record_rate"
    name = "乡村学困生成长档案和帮扶计划建立率"
    definition = (
        "乡村学校本学年学籍标记为“学困生”的学生中，建立了学困生成长档案并制定了帮扶计划的人数 ÷ "
        "标记为学困生的人数；档案和计划按学年末（当前学年为今天）计，本学年开始前已转出的档案不计。"
    )
    scope = RURAL_SCHOOLS
    numerator = count(ENROLMENT, lambda year: Q(struggling=True) & has_support_plan(year))
    denominator = count(ENROLMENT, Q(struggling=True))
    numerator_label = "已建档并有帮扶计划的学困生"
    denominator_label = "学困生"


@register
class GrowthFileReviewRate(GrowthIndicator):
    code = "growth_file_term_review_rate"
    name = "学困生成长档案本学期评估率"
    definition = (
        "学年末（当前学年为今天）在帮扶中的学困生成长档案（有帮扶计划、未转出）中，本学期内有阶段评估"
        "记录的份数 ÷ 在帮扶中的档案份数；计入当日档案所在的学校（学生转学后档案由转入学校接收的，接收之日起计入转入学校）。"
    )
    scope = ALL_SCHOOLS
    numerator = count(GROWTH_FILES, reviewed_this_term)
    denominator = count(GROWTH_FILES)
    numerator_label = "本学期已评估的档案"
    denominator_label = "帮扶中的档案"
