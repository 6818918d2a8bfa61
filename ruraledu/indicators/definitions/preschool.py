"""学前教育: public and inclusive shares, kindergarten grades, class sizes, 普及普惠 checks."""

from django.db.models import Q

from ruraledu.facilities.choices import KindergartenGrade, TitleKind
from ruraledu.facilities.models import FacilityRecord
from ruraledu.orgunits.choices import OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.rural import rural_codes

from ..compare import above, below
from ..engine import Indicator, Scope, count, define, register, total
from ..standards import standard
from .common import FACILITY, KG_CLASSES, POSTS, SCHOOLS, TOWN_KINDERGARTENS, VILLAGES, holds_title
from .common import _schools as schools_q

CHILDREN = total(KG_CLASSES, "children")
PUBLIC = Q(school__ownership=Ownership.PUBLIC)
INCLUSIVE = PUBLIC | Q(school__is_inclusive=True)

# a kindergarten's 分园 (a campus) registers its own classes and staff: scopes over children hold
# the kindergarten campuses too, so that they roll up into their kindergarten
_KG_CAMPUS = Q(kind=OrgUnitKind.CAMPUS, school__stage=SchoolStage.KINDERGARTEN)
TOWN_KG_AND_BRANCHES = Scope(
    "town_kindergartens_and_branches",
    "乡镇幼儿园（含分园）",
    lambda y: TOWN_KINDERGARTENS.units(y) | (_KG_CAMPUS & Q(parent__parent__kind=OrgUnitKind.TOWN)),
)

define(
    "town_preschool_public_rate",
    "乡镇学前教育公办率",
    "镇（不含街道）公办幼儿园在园幼儿数 ÷ 镇幼儿园在园幼儿总数。",
    TOWN_KG_AND_BRANCHES,
    total(KG_CLASSES, "children", PUBLIC),
    CHILDREN,
    requires=(KG_CLASSES,),
    numerator_label="公办园在园幼儿数",
    denominator_label="在园幼儿数",
)
define(
    "town_preschool_inclusive_rate",
    "乡镇学前教育普惠率",
    "镇公办幼儿园与普惠性民办幼儿园在园幼儿数之和 ÷ 镇幼儿园在园幼儿总数。",
    TOWN_KG_AND_BRANCHES,
    total(KG_CLASSES, "children", INCLUSIVE),
    CHILDREN,
    requires=(KG_CLASSES,),
    numerator_label="公办及普惠园在园幼儿数",
    denominator_label="在园幼儿数",
)

TOWN_CENTRAL_KG = Scope(
    "town_central_kindergartens",
    "镇中心幼儿园",
    lambda y: schools_q(
        school__stage=SchoolStage.KINDERGARTEN,
        school__ownership=Ownership.PUBLIC,
        school__is_town_seat=True,
        parent__kind=OrgUnitKind.TOWN,
    ),
)
OTHER_RURAL_PUBLIC_KG = Scope(
    "other_rural_public_kindergartens",
    "其他乡村公办幼儿园",
    lambda y: (
        schools_q(
            school__stage=SchoolStage.KINDERGARTEN,
            school__ownership=Ownership.PUBLIC,
            school__urban_rural_code__in=rural_codes(),
        )
        & ~Q(school__is_town_seat=True)
    ),
)
define(
    "town_central_kindergarten_model_rate",
    "镇中心幼儿园省级示范园比例",
    "持有省级及以上示范幼儿园称号的镇中心幼儿园（镇驻地公办园）数 ÷ 镇中心幼儿园数。",
    TOWN_CENTRAL_KG,
    count(SCHOOLS, lambda y: holds_title(y, TitleKind.MODEL_KINDERGARTEN, "2")),
    count(SCHOOLS),
    numerator_label="省级示范园数",
    denominator_label="镇中心幼儿园数",
)


def _class2_or_better(year: int) -> Q:
    grades = (KindergartenGrade.GRADE_1, KindergartenGrade.GRADE_2)
    records = FacilityRecord.objects.filter(year=year, kindergarten_grade__in=grades)
    return Q(pk__in=records.values("school_id"))


define(
    "rural_public_kindergarten_class2_rate",
    "其他乡村公办幼儿园省级二类及以上比例",
    "本学年等级为省级一类或二类的乡村公办幼儿园（不含镇中心幼儿园）数 ÷ 该类幼儿园数。",
    OTHER_RURAL_PUBLIC_KG,
    count(SCHOOLS, _class2_or_better),
    count(SCHOOLS),
    requires=(FACILITY,),
    numerator_label="二类及以上园数",
    denominator_label="幼儿园数",
)

RURAL_KG = Scope(
    "rural_kindergartens",
    "乡村幼儿园",
    lambda y: schools_q(
        school__stage=SchoolStage.KINDERGARTEN, school__urban_rural_code__in=rural_codes()
    ),
)


class KindergartenStandard(Indicator):
    code = "rural_kindergarten_class2_standard_rate"
    name = "乡村幼儿园保教设施生均指标达到省定Ⅱ类比例"
    definition = "生均室外游戏场地面积、生均园舍建筑面积均达到省定标准（待核定）的乡村幼儿园数 ÷ 乡村幼儿园数。"
    scope = RURAL_KG
    requires = (FACILITY, KG_CLASSES)
    numerator_label, denominator_label = "达标幼儿园数", "幼儿园数"
    local = True
    parts = {
        "outdoor": total(FACILITY, "outdoor_play_area"),
        "building": total(FACILITY, "building_area"),
        "children": CHILDREN,
    }

    def measures(self):
        return dict(self.parts)

    def values(self, ctx):
        columns = {name: ctx.measure(m) for name, m in self.parts.items()}
        base = {}
        for unit in ctx.scope_units(self.scope):
            children = columns["children"].get(unit, 0)
            if not children or not ctx.has_data(unit, self.requires):
                continue
            outdoor = standard("kg_outdoor_area", "kindergarten", unit)[0]
            building = standard("kg_building_area", "kindergarten", unit)[0]
            meets = (
                columns["outdoor"].get(unit, 0) / children >= outdoor
                and columns["building"].get(unit, 0) / children >= building
            )
            base[unit] = {"numerator": float(meets), "denominator": 1.0}
        return {
            u: (s["numerator"] / s["denominator"] * 100, s["numerator"], s["denominator"], {})
            for u, s in ctx.roll_up(base).items()
        }


register(KindergartenStandard)

ALL_KG = Scope(
    "kindergartens_and_branches",
    "幼儿园（含分园）",
    lambda y: schools_q(school__stage=SchoolStage.KINDERGARTEN) | _KG_CAMPUS,
)
ALL_VILLAGES = Scope("villages_all", "村居", lambda y: Q(kind=OrgUnitKind.VILLAGE))
KG_TEACHERS = count(POSTS, Q(is_full_time_teacher=True))


class Xqpjph(Indicator):
    """县域学前教育普及普惠: P1 毛入园率, P2 普惠覆盖率, P3 公办率, Q1 班额达标率, Q2 幼师比."""

    scope = ALL_KG
    parts = {
        "children": CHILDREN,
        "public": total(KG_CLASSES, "children", PUBLIC),
        "inclusive": total(KG_CLASSES, "children", INCLUSIVE),
        "classes": total(KG_CLASSES, "classes"),
        "oversized": total(KG_CLASSES, "oversized_classes"),
        "teachers": KG_TEACHERS,
        "population": total(VILLAGES, "preschool_population"),
    }
    requires = (KG_CLASSES,)
    local = True

    def __init__(self, key: str = ""):
        self.key = key
        labels = {
            "p1": ("学前三年毛入园率", "在园幼儿数 ÷ 3–5 周岁常住儿童数（按村居登记汇总）。", "%"),
            "p2": ("普惠性幼儿园覆盖率", "公办园和普惠性民办园在园幼儿数 ÷ 在园幼儿总数。", "%"),
            "p3": ("公办园在园幼儿占比", "公办园在园幼儿数 ÷ 在园幼儿总数。", "%"),
            "q1": ("幼儿园班额达标率", "班额不超标的班数 ÷ 班级总数。", "%"),
            "q2": ("在园幼儿与专任教师之比", "在园幼儿数 ÷ 幼儿园专任教师数（越低越好）。", ""),
        }
        if key:
            self.code = f"xqpjph_{key}"
            self.name, self.definition, self.unit = labels[key]
            self.higher_is_better = key != "q2"
            # children from outside the villages count too: above 100 % is a real figure
            self.can_exceed_100 = key == "p1"

    def measures(self):
        return dict(self.parts)

    def figures(self, ctx) -> dict[int, dict[str, float]]:
        if "xqpjph" not in ctx.cache:
            kg_units = ctx.scope_units(self.scope)
            base = {}
            for name, measure in self.parts.items():
                units = ctx.scope_units(ALL_VILLAGES) if name == "population" else kg_units
                for unit, value in ctx.measure(measure).items():
                    if unit in units:
                        base.setdefault(unit, {})[name] = value
            ctx.cache["xqpjph"] = ctx.roll_up(base)
        return ctx.cache["xqpjph"]

    def compute(
        self, key: str, f: dict[str, float]
    ) -> tuple[float | None, float | None, float | None]:
        fractions = {
            "p1": ("children", "population"),
            "p2": ("inclusive", "children"),
            "p3": ("public", "children"),
            "q2": ("children", "teachers"),
        }
        if key == "q1":
            classes = f.get("classes", 0)
            good = classes - f.get("oversized", 0)
            return (good / classes * 100 if classes else None), good, classes
        top, bottom = fractions[key]
        numerator, denominator = f.get(top, 0), f.get(bottom, 0)
        scale = 1 if key == "q2" else 100
        return (numerator / denominator * scale if denominator else None), numerator, denominator

    def values(self, ctx):
        result = {}
        for unit, f in self.figures(ctx).items():
            if not f.get("children"):
                continue
            value, numerator, denominator = self.compute(self.key, f)
            if value is not None:
                result[unit] = (value, numerator, denominator, {})
        return result


class XqpjphUnmet(Xqpjph):
    code = "county_xqpjph_unmet_count"
    name = "学前教育普及普惠未达标项数"
    definition = "P1 毛入园率 ≥85%、P2 普惠覆盖率 ≥80%、P3 公办率 ≥50%、Q1 班额达标率 ≥85%、Q2 幼儿与专任教师比 ≤15 五项中未达标的项数。"
    unit = "项"
    higher_is_better = False

    def values(self, ctx):
        result = {}
        for unit, f in self.figures(ctx).items():
            if not f.get("children") or not f.get("population"):
                continue
            unmet = []
            for key in ("p1", "p2", "p3", "q1", "q2"):
                value = self.compute(key, f)[0]
                limit = standard(f"xqpjph_{key}", "", unit)[0]
                if value is None or (above if key == "q2" else below)(value, limit):
                    unmet.append(key)
            result[unit] = (float(len(unmet)), None, None, {"unmet": unmet})
        return result


for _key in ("p1", "p2", "p3", "q1", "q2"):
    register(lambda key=_key: Xqpjph(key))
register(XqpjphUnmet)
