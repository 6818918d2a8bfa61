"""精准资助 应助尽助 (G-6): computed from the eligibility rules and the aid granted when the
资助 system's grant records exist for the year; otherwise from the roster's 已获资助 flag.

One source of truth per year: a year with any grant record is judged by the grants alone (the
roster flag is ignored for it); a year without is judged by the flag, as before grants were
imported. A pupil counts as aided when any grant of the year was paid to them."""

from django.db.models import Q

from ruraledu.aid.models import AidGrant
from ruraledu.aid.rules import NOTHING, eligible_condition
from ruraledu.orgunits.models import OrgUnit

from ..engine import Source, count, define
from .common import ALL_SCHOOLS, ENROLMENT

PRIORITY = (
    Q(orphan=True)
    | Q(unattended=True)
    | Q(hardship=True)
    | Q(disability=True)
    | Q(left_behind=True)
    | ~Q(family_status="")
)


def has_grants(year: int) -> bool:
    return AidGrant.objects.filter(year=year).exists()


def _granted(year: int) -> Q:
    return Q(person_id__in=AidGrant.objects.filter(year=year).values("person_id"))


def eligible(year: int) -> Q:
    """Pupils who qualify: by the rules in a year with grants, else the roster's categories."""
    return eligible_condition() if has_grants(year) else PRIORITY


def aided(year: int) -> Q:
    if has_grants(year):
        return eligible_condition() & _granted(year)
    return PRIORITY & Q(aid_received=True)


def unaided(year: int) -> Q:
    return eligible_condition() & ~_granted(year) if has_grants(year) else NOTHING


def _grant_year(year: int) -> Q:
    # every unit holds the year's grant data once the district's grants are imported
    return Q(pk__isnull=False) if has_grants(year) else Q(pk__in=[])


# presence only (never drilled into): the gap count has no value before grants are imported
GRANT_YEARS = Source(
    "aid_grant_years", OrgUnit, unit="id", year=None, label="资助发放", base=_grant_year
)

define(
    "priority_student_aid_rate",
    "重点关注学生资助覆盖率",
    "孤儿、重点困境、事实无人抚养、残疾、农村留守及脱贫享受政策、防止返贫动态监测家庭学生中已获资助的人数 ÷ "
    "上述学生数（全区）。已导入资助发放记录的学年按资助认定规则（类别、项目、学段）和本学年的发放记录计算，"
    "学籍“已获资助”标记不再采用；未导入发放记录的学年按学籍的关注类别和“已获资助”标记计算。",
    ALL_SCHOOLS,
    count(ENROLMENT, aided),
    count(ENROLMENT, eligible),
    requires=(ENROLMENT,),
    numerator_label="已获资助学生数",
    denominator_label="重点关注学生数",
)
define(
    "aid_gap_count",
    "应助未助学生数",
    "本学年学籍符合资助认定规则（任一启用项目的类别与学段）、但本学年没有任何资助发放记录的学生数；"
    "计入学籍所在学校。未导入资助发放记录的学年不计算。",
    ALL_SCHOOLS,
    count(ENROLMENT, unaided),
    unit="人",
    requires=(ENROLMENT, GRANT_YEARS),
    higher_is_better=False,
    numerator_label="应助未助学生数",
)
