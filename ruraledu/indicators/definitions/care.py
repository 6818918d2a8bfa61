"""控辍保学 一人一案: indicators computed from the care cases (P39-3, G-13).

A case counts for a school year when it is open at the year's end, or today while the year
runs: opened on or before that day and not closed by then. It counts at the unit it lives at
(the school the child last attended, or the town for a child never enrolled)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ruraledu.care.models import CaseContact, DropoutCase
from ruraledu.core.schoolyear import school_year_bounds
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.students.models import Enrolment

from ..engine import Indicator, Scope, Source, count, register
from .common import ENROLMENT

RECENT_DAYS = 30


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
    """A written plan (方案) by the day, and a contact in the 30 days up to it."""
    day = as_of(year)
    recent = CaseContact.objects.filter(
        on__gte=day - dt.timedelta(days=RECENT_DAYS), on__lte=day
    ).values("case_id")
    return ~Q(plan="") & Q(plan_written_on__lte=day) & Q(pk__in=recent)


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
        "有书面劝返方案且近 30 天内有家访、电话或劝返联系记录的未结个案数 ÷ 未结个案数；"
        "按学年末（当前学年为今天）计。没有未结个案时不计算。"
    )
    numerator = count(CASES, followed_up)
    denominator = count(CASES)
    numerator_label = "有方案且近30天有联系的个案"
    denominator_label = "未结个案"
