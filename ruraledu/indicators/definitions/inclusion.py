"""残疾儿童入学安置与送教上门: computed from the 残联 list reconciled with the roster and the
placement decisions, and from the 送教上门 visits against the bureau's frequency
(`ruraledu.inclusion.reconcile`, a few queries for the whole district). Both sum up the org
tree; the drill-downs list the children, masked (indicators.drilldown_inclusion)."""

from django.db.models import Q

from ruraledu.care.choices import ListKind
from ruraledu.care.models import ListEntry
from ruraledu.inclusion.choices import PlacementState
from ruraledu.inclusion.reconcile import home_children, reconcile
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.students.choices import Placement

from ..engine import Indicator, Scope, UnitQuery, register
from .care import as_of
from .common import ALL_SCHOOLS, ENROLMENT

TOWNS = Scope("towns_inclusion", "镇街", lambda y: Q(kind__in=TOWN_LEVEL_KINDS))


def _home_placed(records):
    """Per school: [[person pk, ID index]] of its pupils placed 送教上门 (no names: the rate
    counts them, and what is kept for the next recompute holds no child's name)."""
    children: dict[int, list] = {}
    for school, person, id_index in records.filter(placement=Placement.HOME).values_list(
        "school_id", "person_id", "person__id_index"
    ):
        children.setdefault(school, []).append([person, id_index])
    return sorted(children.items())


# kept per school, so that a roster import reads its own schools' pupils again, not the year's
HOME_PLACED = UnitQuery("home_placed", ENROLMENT, _home_placed)


def reconciled(ctx) -> list:
    """The year's 残联 list reconciled with the roster (shared by the engine's year)."""
    key = ("inclusion_reconciled", ctx.year)
    if key not in ctx.cache:
        ctx.cache[key] = reconcile(ctx.year)
    return ctx.cache[key]


def unplaced_rows(ctx) -> list:
    """The year's unplaced school-age children of the 残联 list."""
    return [r for r in reconciled(ctx) if r.state == PlacementState.UNPLACED]


# in school in some form: the 入学率's numerator
ENROLLED_STATES = (
    PlacementState.MAINSTREAM,
    PlacementState.SPECIAL_SCHOOL,
    PlacementState.HOME,
    PlacementState.ENROLLED,
    PlacementState.ELSEWHERE,
)


class UnplacedDisabled(Indicator):
    code = "disabled_child_unplaced_count"
    name = "未安置的适龄残疾儿童数"
    definition = (
        "本学年区残联残疾儿童名单中义务教育年龄段（8 月 31 日满 6 周岁不满 15 周岁）的儿童，本学年"
        "在全区学籍中没有登记、也没有登记安置决定（随班就读、特教学校、送教上门、暂缓入学、不适宜入学、"
        "区外就读）的人数；计入名单所载户籍村居所在的镇街。应为 0。未导入名单的学年不计算。"
    )
    unit = "人"
    higher_is_better = False
    scope = TOWNS
    requires = (ENROLMENT,)
    numerator_label = "未安置的适龄残疾儿童"

    def values(self, ctx):
        if not ListEntry.objects.filter(year=ctx.year, kind=ListKind.DISABLED).exists():
            return {}
        base = {u: {"n": 0.0} for u in ctx.scope_units(self.scope)}
        for row in unplaced_rows(ctx):
            base.setdefault(row.entry.town_id, {"n": 0.0})["n"] += 1
        return {
            u: (s["n"], s["n"], None, {})
            for u, s in ctx.roll_up(base).items()
            if ctx.has_data(u, self.requires)
        }


class DisabledEnrolmentRate(Indicator):
    code = "disabled_child_enrolment_rate"
    name = "适龄残疾儿童少年入学率"
    definition = (
        "本学年区残联残疾儿童名单中义务教育年龄段的儿童（经评估不适宜入学的除外）中，随班就读、特教学校"
        "就读、送教上门、在校就读或区外就读的人数 ÷ 上述适龄残疾儿童数（暂缓入学、未安置的计入分母）；"
        "计入名单所载户籍村居所在的镇街。优质均衡评估 Q02 读此值。未导入名单的学年不计算。"
    )
    scope = TOWNS
    requires = (ENROLMENT,)
    numerator_label = "已入学（含送教上门）"
    denominator_label = "适龄残疾儿童少年"

    def values(self, ctx):
        base: dict[int, dict[str, float]] = {}
        for row in reconciled(ctx):
            if row.state in (PlacementState.OUT_OF_AGE, PlacementState.UNSUITABLE):
                continue
            parts = base.setdefault(row.entry.town_id, {"num": 0.0, "den": 0.0})
            parts["den"] += 1
            parts["num"] += row.state in ENROLLED_STATES
        return {
            u: (s["num"] / s["den"] * self.scale, s["num"], s["den"], {})
            for u, s in ctx.roll_up(base).items()
            if s["den"] and ctx.has_data(u, self.requires)
        }


class HomeVisitRate(Indicator):
    code = "home_teaching_on_schedule_rate"
    name = "送教上门儿童按规定频次送教比例"
    definition = (
        "本学年送教上门的儿童（学籍登记为送教上门，或登记了送教上门安置决定）中，到学年末（当前学年为"
        "今天）送教次数不少于“已结束的教学月数 × 区教体局规定的每月次数”的人数 ÷ 已有应送次数的送教上门"
        "儿童数；教学月从安置送教之后的第一个整月算起，少送的可以补送；计入送教学校。"
    )
    scope = ALL_SCHOOLS
    requires = (ENROLMENT,)
    queries = (HOME_PLACED,)
    numerator_label = "按频次送教的儿童"
    denominator_label = "应送教的送教上门儿童"

    def values(self, ctx):
        base: dict[int, dict[str, float]] = {}
        for row in home_rows(ctx):
            if row.due:
                parts = base.setdefault(row.school_id, {"num": 0.0, "den": 0.0})
                parts["den"] += 1
                parts["num"] += not row.behind
        return {
            u: (s["num"] / s["den"] * self.scale, s["num"], s["den"], {})
            for u, s in ctx.roll_up(base).items()
            if s["den"] and ctx.has_data(u, self.requires)
        }


def home_rows(ctx) -> list:
    key = ("inclusion_home", ctx.year)
    if key not in ctx.cache:
        enrolled = [
            (person, id_index, "", "", school)
            for school, children in ctx.query(HOME_PLACED).items()
            for person, id_index in children
        ]
        ctx.cache[key] = home_children(ctx.year, as_of(ctx.year), enrolled=enrolled)
    return ctx.cache[key]


for _cls in (UnplacedDisabled, DisabledEnrolmentRate, HomeVisitRate):
    register(_cls)
