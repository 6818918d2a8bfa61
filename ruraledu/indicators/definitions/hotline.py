"""督学热线: complaints answered on time, computed from the hotline's complaints.

A complaint counts for the school year it was received in, at the unit it concerns (a school,
a town or the district), once its answer is due by the day the figure describes (the year's
last day, or today while the year runs) or it has been answered. The caller is never read."""

from django.db.models import F, Q

from ruraledu.core.schoolyear import school_year_bounds
from ruraledu.hotline.models import Complaint
from ruraledu.orgunits.choices import BUREAU_KINDS, TOWN_LEVEL_KINDS, OrgUnitKind

from ..drilldown import COLUMNS, town_of
from ..engine import Indicator, Scope, Source, count, register
from .care import as_of


def _due_in_year(year: int) -> Q:
    """Received in the year, assigned, and either answered or due by the day."""
    start, end = school_year_bounds(year)
    return Q(received_on__gte=start, received_on__lte=end, due_on__isnull=False) & (
        Q(answered_on__isnull=False) | Q(due_on__lt=as_of(year))
    )


def answered_in_time(year: int) -> Q:
    return Q(answered_on__isnull=False, answered_on__lte=F("due_on"))


COMPLAINTS = Source(
    "hotline_complaints", Complaint, unit="unit_id", year=None, label="热线工单", base=_due_in_year
)
COMPLAINT_UNITS = Scope(
    "hotline_units",
    "区县、镇街和学校（工单涉及的单位）",
    lambda y: Q(kind__in=[*BUREAU_KINDS, OrgUnitKind.SCHOOL, *TOWN_LEVEL_KINDS]),
)


def _town(unit) -> str:
    if unit.kind in TOWN_LEVEL_KINDS:
        return unit.name
    return "" if unit.kind in BUREAU_KINDS else town_of(unit)


# the drill-down lists the complaints behind a figure: when, where and by whom answered; neither the
# caller nor what was asked (a school reads only the complaints assigned to it)
COLUMNS[COMPLAINTS.key] = (
    ["unit__parent", "assigned_unit", "assigned_department"],
    [
        ("工单", lambda r, c: f"#{r.pk}"),
        ("涉及单位", lambda r, c: r.unit.name),
        ("镇街", lambda r, c: _town(r.unit)),
        ("受理日期", lambda r, c: r.received_on.isoformat()),
        ("承办单位", lambda r, c: str(r.assignee or "")),
        ("答复期限", lambda r, c: r.due_on.isoformat() if r.due_on else ""),
        ("答复日期", lambda r, c: r.answered_on.isoformat() if r.answered_on else "未答复"),
        ("状态", lambda r, c: r.get_status_display()),
    ],
)


@register
class ComplaintsAnsweredOnTime(Indicator):
    code = "hotline_answered_on_time_rate"
    name = "督学热线按时答复率"
    definition = (
        "本学年受理并交办的督学热线工单中，在答复期限（交办后若干个工作日）内答复的件数 ÷ "
        "已答复或答复期限已过的件数；计入工单涉及的学校、镇街或区县，逐级汇总。"
        "按学年末（当前学年为今天）计，尚未到期且未答复的不计。"
    )
    scope = COMPLAINT_UNITS
    numerator = count(COMPLAINTS, answered_in_time)
    denominator = count(COMPLAINTS)
    numerator_label = "按时答复的工单"
    denominator_label = "应答复的工单"
