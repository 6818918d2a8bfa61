"""Supervision (督导): visits per school against the bureau's plan, rectification items open,
overdue and closed within their deadline, the average days to close, and 包校 researchers'
听课 this semester against the "至少听课 8 次/学期" rule.

A figure describes the year's last day, or today while the year runs (as the care figures).
Items count at their school from the day of the visit that raised them."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from ruraledu.activities.models import LessonObservation, SchoolLink
from ruraledu.core.schoolyear import school_year_bounds, semester_of
from ruraledu.orgunits.models import School
from ruraledu.supervision.conf import observations_per_semester
from ruraledu.supervision.models import RectificationItem
from ruraledu.supervision.plan import plan_progress, year_months
from ruraledu.workforce.models import Post

from ..engine import Indicator, Source, add, count, total
from .care import as_of
from .common import ALL_SCHOOLS
from .towns import LINKS

# ---------------------------------------------------------------- visits against plan


class VisitPlanRate(Indicator):
    """Summable: visits counted against the plan over visits expected, per school."""

    code = "supervision_visit_plan_rate"
    name = "督导计划完成率（每校每月督导次数对计划）"
    definition = (
        "有挂牌责任督学的学校，本学年 9 月至当月（7、8 月不计）各月按区教体局为各督导类型设定的“每校每月"
        "应到次数”应督导的次数之和为分母；已签字确认的督导记录（更正记录不重复计）按类型、按月计入分子，"
        "同一类型某月超出应到次数的部分不计。学校仅在有挂牌督学的月份计入。"
    )
    scope = ALL_SCHOOLS
    numerator_label = "计划内已完成督导次数"
    denominator_label = "应督导次数"

    def values(self, ctx):
        in_scope = ctx.scope_units(self.scope)
        schools = School.objects.filter(org_unit_id__in=in_scope)
        progress = plan_progress(
            schools=schools.values("pk"), months=year_months(ctx.year, as_of(ctx.year))
        )
        units = dict(schools.filter(pk__in=list(progress)).values_list("pk", "org_unit_id"))
        base = {
            units[pk]: {"numerator": p.done, "denominator": p.expected}
            for pk, p in progress.items()
        }
        result = {}
        for unit, sums in ctx.roll_up(base).items():
            numerator, denominator = sums["numerator"], sums["denominator"]
            value = numerator / denominator * self.scale if denominator else None
            result[unit] = (value, numerator, denominator, {})
        return result


add(VisitPlanRate())

# ---------------------------------------------------------------- rectification items


def _raised(year: int) -> Q:
    return Q(finding__visit__visited_on__lte=as_of(year))


ITEMS = Source(
    "supervision_items",
    RectificationItem,
    unit="school__org_unit_id",
    year=None,
    label="整改事项",
    base=_raised,
)


def open_at(year: int) -> Q:
    """Not closed by the day."""
    day = as_of(year)
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


def overdue_at(year: int) -> Q:
    """Sent to the school by the day, past its deadline and not closed."""
    day = as_of(year)
    return open_at(year) & Q(notice__issued_on__lte=day, deadline__lt=day)


def due_in(year: int) -> Q:
    """Deadline in the year and already passed (today's deadline is not yet due)."""
    day = as_of(year)
    last = day - dt.timedelta(days=1) if day == timezone.localdate() else day
    return Q(deadline__gte=school_year_bounds(year)[0], deadline__lte=last)


def closed_in(year: int) -> Q:
    return Q(closed_on__gte=school_year_bounds(year)[0], closed_on__lte=as_of(year))


class ItemIndicator(Indicator):
    """Summable; drilled into as the items (indicators.drilldown_supervision)."""

    scope = ALL_SCHOOLS
    requires = (ITEMS,)  # a school never given an item has no figure, not a 0


def _item_indicator(code, name, definition, numerator, denominator=None, **attrs):
    indicator = ItemIndicator()
    indicator.code, indicator.name, indicator.definition = code, name, definition
    indicator.numerator, indicator.denominator = numerator, denominator
    for key, value in attrs.items():
        setattr(indicator, key, value)
    return add(indicator)


_item_indicator(
    "supervision_items_open_count",
    "未销号整改事项数",
    "学年末（当前学年为今天）尚未销号的整改事项数（含待下发、整改中、待核查、已退回）；计入所在学校，"
    "督导日期在当天之后的不计。",
    count(ITEMS, open_at),
    unit="项",
    higher_is_better=False,
    numerator_label="未销号整改事项",
)
_item_indicator(
    "supervision_items_overdue_count",
    "逾期未销号整改事项数",
    "学年末（当前学年为今天）已下发整改通知书、超过整改期限仍未销号的整改事项数。",
    count(ITEMS, overdue_at),
    unit="项",
    higher_is_better=False,
    numerator_label="逾期未销号整改事项",
)
_item_indicator(
    "supervision_items_closed_on_time_rate",
    "整改事项按期销号率",
    "整改期限在本学年内且已到期（当前学年为今天以前）的整改事项中，在期限当天或之前销号的项数 ÷ 到期的项数。",
    count(ITEMS, lambda year: due_in(year) & Q(closed_on__lte=F("deadline"))),
    count(ITEMS, due_in),
    numerator_label="按期销号",
    denominator_label="到期的整改事项",
)
_item_indicator(
    "supervision_item_days_to_close_avg",
    "整改事项平均销号天数",
    "本学年内（当前学年为今天以前）销号的整改事项，从下发整改通知书到销号的天数之和 ÷ 销号项数。",
    total(ITEMS, "days_to_close", closed_in),
    count(ITEMS, closed_in),
    unit="天",
    scale=1.0,
    higher_is_better=False,
    numerator_label="销号用时合计（天）",
    denominator_label="本学年销号的整改事项",
)

# ---------------------------------------------------------------- 听课 this semester


def term_of(year: int) -> int:
    """The semester the figure describes: the one holding the day."""
    return semester_of(as_of(year))[1]


def term_observations(year: int):
    """This semester's 听课 of each (researcher, linked school), for a link row."""
    return (
        LessonObservation.objects.filter(
            observer=OuterRef("person"),
            school=OuterRef("school"),
            year=year,
            semester=term_of(year),
        )
        .order_by()
        .values("observer")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def observed_enough(year: int) -> Q:
    done = Coalesce(Subquery(term_observations(year)), 0)
    return Q(GreaterThanOrEqual(done, observations_per_semester()))


def _linked(year: int) -> Q:
    """听课 of the year's semester by a researcher at a school they are linked to."""
    researchers = Post.objects.filter(year=year, is_researcher=True).values("person_id")
    links = SchoolLink.objects.filter(
        person=OuterRef("observer"), school=OuterRef("school"), year=year, person__in=researchers
    )
    return Q(semester=term_of(year)) & Q(Exists(links))


OBSERVATIONS = Source(
    "supervision_term_observations",
    LessonObservation,
    unit="school_id",
    label="听课记录",
    base=_linked,
)


class LinkIndicator(Indicator):
    """Summable over 包校 links; drilled into as the links with their 听课 this semester."""

    scope = ALL_SCHOOLS
    requires = (LINKS,)


def _link_indicator(code, name, definition, numerator, **attrs):
    indicator = LinkIndicator()
    indicator.code, indicator.name, indicator.definition = code, name, definition
    indicator.numerator, indicator.denominator = numerator, count(LINKS)
    indicator.denominator_label = "包校关系数"
    for key, value in attrs.items():
        setattr(indicator, key, value)
    return add(indicator)


_link_indicator(
    "researcher_term_observation_rate",
    "包校教研员本学期听课达标率",
    "本学年包校（定点联系）关系中，教研员本学期（学年末为第二学期）在该校听课次数达到每学期规定次数"
    "（默认 8 次）的关系数 ÷ 包校关系数；教研员以当年任职登记为教研员的人员为准，听课包括平台记录和 Excel 导入。",
    count(LINKS, observed_enough),
    numerator_label="本学期听课达标的包校关系",
)
_link_indicator(
    "researcher_term_observation_avg",
    "包校教研员本学期人均听课次数",
    "本学期包校教研员在所联系学校的听课次数 ÷ 包校关系数（每位教研员在每所联系学校计一个关系）。",
    count(OBSERVATIONS),
    unit="次",
    scale=1.0,
    numerator_label="本学期在联系学校的听课次数",
)
