"""Drill-downs of indicators with their own `values()`: which schools a rule counted (read from
the stored per-school values, so the lists match the figures), the records behind per-student
resources, the per-school table a 差异系数 is computed from, and the items of an 未达标项数."""

from django.db.models import Case, F, FloatField, Q, Value, When

from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage

from .definitions import care, inclusion, preschool, quality, special
from .definitions.common import FACILITY, KG_CLASSES, POSTS, RURAL_SCHOOLS
from .drilldown import SHORT_LABEL, Drill, measure_drill, scope_units, short_drill, town_of
from .drilldown_care import CaseDrill, GrowthDrill
from .drilldown_inclusion import EnrolmentDrill, HomeVisitDrill, UnplacedDrill
from .drilldown_supervision import ADAPTERS as SUPERVISION_ADAPTERS
from .engine import Measure
from .models import IndicatorValue

SCHOOL, CAMPUS = OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS


def _visible(unit, user, kinds=(SCHOOL, CAMPUS)):
    from ruraledu.orgunits.models import OrgUnit

    return OrgUnit.objects.for_user(user).filter(path__startswith=unit.path, kind__in=kinds)


def _stored(code: str, year: int, unit, user, kinds=(SCHOOL, CAMPUS)) -> dict[int, IndicatorValue]:
    values = IndicatorValue.objects.filter(
        code=code, year=year, unit__in=_visible(unit, user, kinds)
    ).select_related("unit__parent__parent", "unit__school")
    return {v.unit_id: v for v in values.order_by("unit__path")}


def _own(values: dict[int, IndicatorValue], attr: str) -> dict[int, float]:
    """Each school's or campus's own share of a stored part: its stored sum less its campuses'."""
    own = {u: getattr(v, attr) or 0.0 for u, v in values.items()}
    for v in values.values():
        if v.unit.kind == CAMPUS and v.unit.parent_id in own:
            own[v.unit.parent_id] -= getattr(v, attr) or 0.0
    return own


def _table(headers: list[str], rows: list[list], amount: int | None = None, note="") -> Drill:
    return Drill(headers, rows, lambda row: row, amount, note)


def _unit_rows(values, part: str, columns) -> list[list]:
    """Schools (and campuses) counted in a part: `numerator`, `denominator` or `short`."""
    numerator, denominator = _own(values, "numerator"), _own(values, "denominator")
    rows = []
    for unit_id, stored in values.items():
        own = {
            "numerator": numerator[unit_id],
            "denominator": denominator[unit_id],
            "short": denominator[unit_id] - numerator[unit_id],
        }[part]
        if round(own, 6) > 0:
            unit = stored.unit
            rows.append([unit.name, town_of(unit), *columns(unit, stored)])
    return rows


class Adapter:
    labels: dict[str, str] = {}

    def parts(self, indicator) -> dict[str, str]:
        return dict(self.labels)


# ---------------------------------------------------------------- 优质均衡


class Resources(Adapter):
    """Per-student resources: the resource records at the schools valued (and their campuses),
    and the pupils enrolled at them."""

    def parts(self, indicator):
        return {"numerator": indicator.numerator_label, "denominator": indicator.denominator_label}

    def drill(self, indicator, part, unit, year, user):
        from ruraledu.orgunits.models import OrgUnit

        schools = IndicatorValue.objects.filter(
            code=indicator.code,
            year=year,
            unit__in=_visible(unit, user, (SCHOOL,)),
            denominator__gt=0,
        ).values("unit_id")
        if part == "denominator":
            return measure_drill(quality.MEASURES["students"], schools, year, user)
        if indicator.key != "r1":
            names = {indicator.key: schools}
        else:  # 规定学历 depends on the school's stage
            primary = schools.filter(unit__school__stage__in=quality.PRIMARY_STAGES)
            names = {
                quality._r1(stage, {"r1_college": "r1_college", "r1_bachelor": "r1_bachelor"}): q
                for stage, q in (
                    (SchoolStage.PRIMARY, primary),
                    (SchoolStage.JUNIOR, schools.exclude(unit_id__in=primary)),
                )
            }
        drills = []
        for name, at in names.items():
            campuses = OrgUnit.objects.filter(kind=CAMPUS, parent__in=at).values("pk")
            units = Q(pk__in=at) | Q(pk__in=campuses)
            units = OrgUnit.objects.filter(units).values("pk")
            drills.append(
                measure_drill(
                    quality.MEASURES[name], units, year, user, amount_label=indicator.name
                )
            )
        drill = drills[0]
        for other in drills[1:]:
            drill.rows = drill.rows | other.rows
        return drill


class Coefficient(Adapter):
    """The per-school table (value, weight = enrolment of the part) and the 差异系数 from it."""

    labels = {"table": "逐校数据"}

    def drill(self, indicator, part, unit, year, user):
        from .engine import Tree, YearContext

        table = quality.school_table(YearContext(year, [indicator], Tree()))
        below = _visible(unit, user, (SCHOOL,)).exclude(pk=unit.pk)
        units = {u.pk: u for u in below.filter(pk__in=list(table)).select_related("parent")}
        rows = []
        for unit_id, row in table.items():
            weight = row["weights"].get(indicator.part, 0)
            value = quality.resource_value(row, indicator.key)
            if unit_id in units and weight and value is not None:
                school = units[unit_id]
                stage = SchoolStage(row["stage"]).label
                rows.append([school.name, town_of(school), stage, value, round(weight)])
        rows.sort(key=lambda r: (r[1], r[0]))
        cv = quality.weighted_cv([(r[3], r[4]) for r in rows])
        note = f"按上表以在校生数加权重算的差异系数：{cv:.4f}" if cv is not None else ""
        unit_label = quality.RESOURCES[indicator.key][1]
        headers = ["学校", "镇街", "办学类型", f"值（{unit_label}）", "权重（学段在校生数）"]
        drill = _table(headers, rows, note=note)
        drill.extra["cv"] = cv
        return drill


class SchoolRule(Adapter):
    """Schools meeting a per-school rule (优质均衡逐校标准, 省定Ⅱ类): from the stored verdicts."""

    def parts(self, indicator):
        return {
            "numerator": indicator.numerator_label,
            "denominator": indicator.denominator_label,
            "short": SHORT_LABEL,
        }

    def drill(self, indicator, part, unit, year, user):
        keys = list(quality.RESOURCES) if indicator.code.startswith("yzjh") else ["r4", "r5", "r6"]
        resources = {
            (v.code[5:], v.unit_id): v  # yzjh_<key>: one query for the keys shown
            for v in IndicatorValue.objects.filter(
                code__in=[f"yzjh_{key}" for key in keys],
                year=year,
                unit__in=_visible(unit, user, (SCHOOL,)),
            )
        }

        def columns(school, stored):
            cells = []
            for key in keys:
                value = resources.get((key, school.pk))
                if value is None or value.value is None:
                    cells.append("")
                    continue
                threshold = value.details.get("threshold")
                text = f"{value.value:.2f}"
                cells.append(f"{text}（标准 {threshold:g}）" if threshold is not None else text)
            return [*cells, "是" if stored.numerator else "否"]

        values = _stored(indicator.code, year, unit, user, (SCHOOL,))
        headers = ["学校", "镇街", *(quality.RESOURCES[k][0] for k in keys), "达标"]
        return _table(headers, _unit_rows(values, part, columns))


class KindergartenRule(SchoolRule):
    """乡村幼儿园生均指标: the kindergartens (and 分园) valued, with their per-child areas."""

    def drill(self, indicator, part, unit, year, user):
        from django.db.models import Sum

        values = _stored(indicator.code, year, unit, user)
        ids = list(values)
        children = dict(
            KG_CLASSES.model.objects.filter(year=year, school_id__in=ids)
            .values("school_id")
            .annotate(n=Sum("children"))
            .values_list("school_id", "n")
        )
        areas = {
            row["school_id"]: row
            for row in FACILITY.model.objects.filter(year=year, school_id__in=ids).values(
                "school_id", "outdoor_play_area", "building_area"
            )
        }

        def per_child(unit_id, name):
            count, area = children.get(unit_id) or 0, areas.get(unit_id, {}).get(name)
            return round(float(area) / count, 2) if count and area is not None else ""

        def columns(kindergarten, stored):
            return [
                children.get(kindergarten.pk) or 0,
                per_child(kindergarten.pk, "outdoor_play_area"),
                per_child(kindergarten.pk, "building_area"),
                "是" if stored.numerator else "否",
            ]

        headers = [
            "幼儿园",
            "镇街",
            "在园幼儿数",
            "生均户外场地（㎡）",
            "生均园舍建筑（㎡）",
            "达标",
        ]
        return _table(headers, _unit_rows(values, part, columns))


class Unmet(Adapter):
    """The items judged for an 未达标项数, each with its value, limit and result."""

    labels = {"table": "判定项"}
    unmet_key = "unmet"  # where the stored details list the items over their limit

    def items(self) -> list[tuple[str, str, str]]:
        """(item key, label, code of the stored value that is judged)."""
        items = []
        for key, (label, _, _) in quality.RESOURCES.items():
            for part, part_label in (("primary", "小学"), ("junior", "初中")):
                items.append(
                    (f"{key}_{part}", f"{part_label}{label}差异系数", f"yzjh_cv_{key}_{part}")
                )
        return items

    def limit(self, key: str, stored) -> str:
        return f"≤ {stored.details['limit']:g}" if stored and "limit" in stored.details else ""

    def more_rows(self, verdict, unit, year, user) -> list[list]:
        return []

    def drill(self, indicator, part, unit, year, user):
        verdict = IndicatorValue.objects.filter(code=indicator.code, year=year, unit=unit).first()
        rows = []
        if verdict is not None:
            items = self.items()
            stored = {
                v.code: v
                for v in IndicatorValue.objects.filter(
                    year=year, unit=unit, code__in=[code for _, _, code in items]
                )
            }
            unmet = set(verdict.details.get(self.unmet_key, []))
            for key, label, code in items:
                value = stored.get(code)
                shown = "" if value is None or value.value is None else round(value.value, 4)
                rows.append(
                    [label, shown, self.limit(key, value), "未达标" if key in unmet else "达标"]
                )
            rows += self.more_rows(verdict, unit, year, user)
        note = f"未达标 {sum(r[3] == '未达标' for r in rows)} 项" if rows else ""
        return _table(["判定项", "值", "标准", "结果"], rows, note=note)


class QualityUnmet(Unmet):
    """G-1: the 14 差异系数 against their limits, then every school short of the per-school rule."""

    unmet_key = "cv_over_limit"

    def more_rows(self, verdict, unit, year, user):
        compliance = _stored(quality.ComplianceRate.code, year, unit, user, (SCHOOL,))
        return [
            [f"逐校标准：{v.unit.name}（{town_of(v.unit)}）", "", "达到逐校标准", "未达标"]
            for v in compliance.values()
            if v.denominator and (v.numerator or 0) < v.denominator
        ]


# ---------------------------------------------------------------- 学前教育普及普惠

XQ_LABELS = {
    "p1": ("children", "population", "在园幼儿数", "3–5 周岁常住儿童数"),
    "p2": ("inclusive", "children", "公办及普惠园在园幼儿数", "在园幼儿数"),
    "p3": ("public", "children", "公办园在园幼儿数", "在园幼儿数"),
    "q1": ("good", "classes", "班额达标班数", "班级数"),
    "q2": ("children", "teachers", "在园幼儿数", "专任教师数"),
}
GOOD_CLASSES = Measure(KG_CLASSES, field=F("classes") - F("oversized_classes"))


class Preschool(Adapter):
    def parts(self, indicator):
        _, _, top, bottom = XQ_LABELS[indicator.key]
        parts = {"numerator": top, "denominator": bottom}
        if indicator.key in ("p2", "p3", "q1"):
            parts["short"] = SHORT_LABEL
        return parts

    def drill(self, indicator, part, unit, year, user):
        top, bottom, top_label, bottom_label = XQ_LABELS[indicator.key]
        measures = {**indicator.parts, "good": GOOD_CLASSES}
        kindergartens = scope_units(indicator.scope, unit, year, user)
        if part == "short":
            return short_drill(measures[top], measures[bottom], kindergartens, year, user)
        name, label = (top, top_label) if part == "numerator" else (bottom, bottom_label)
        scope = preschool.ALL_VILLAGES if name == "population" else indicator.scope
        units = scope_units(scope, unit, year, user)
        return measure_drill(measures[name], units, year, user, amount_label=label)


class PreschoolUnmet(Unmet):
    def items(self):
        return [(key, preschool.Xqpjph(key).name, f"xqpjph_{key}") for key in XQ_LABELS]

    def limit(self, key, stored):
        from .standards import standard

        unit = stored.unit_id if stored is not None else None
        return f"{'≤' if key == 'q2' else '≥'} {standard(f'xqpjph_{key}', '', unit)[0]:g}"


# ---------------------------------------------------------------- special roll-ups


class Vacancies(Adapter):
    """Per school: approved posts, staff on the establishment (campuses included) and the gap."""

    labels = {"numerator": "逐校缺额"}

    def drill(self, indicator, part, unit, year, user):
        from django.db.models import Count, Sum

        values = _stored(indicator.code, year, unit, user, (SCHOOL,))
        sites = {u.pk: u.parent_id for u in _visible(unit, user)}
        posts, staffed = {}, {}
        facility = FACILITY.model.objects.filter(year=year, school_id__in=list(sites))
        for school_id, n in facility.values_list("school_id").annotate(
            n=Sum("establishment_posts")
        ):
            school = school_id if school_id in values else sites.get(school_id)
            posts[school] = posts.get(school, 0) + (n or 0)
        on_staff = POSTS.model.objects.filter(
            year=year, school_id__in=list(sites), is_establishment=True
        )
        for school_id, n in on_staff.values_list("school_id").annotate(n=Count("pk")):
            school = school_id if school_id in values else sites.get(school_id)
            staffed[school] = staffed.get(school, 0) + n
        rows = [
            [v.unit.name, town_of(v.unit), posts.get(u, 0), staffed.get(u, 0), v.numerator or 0]
            for u, v in values.items()
        ]
        return _table(["学校", "镇街", "核定编制数", "在编人数", "缺额"], rows, amount=4)


TEACHER = Q(is_full_time_teacher=True)
BACHELOR_SHARE = Measure(
    POSTS,
    lambda year: TEACHER,
    Case(
        When(degree__in=special.BACHELOR, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    ),
)


class BachelorSides(Adapter):
    """The urban and the rural full-time teachers; 本科及以上 is 1 or 0, its sum over the rows."""

    labels = {"numerator": "城区专任教师", "denominator": "乡村专任教师"}

    def drill(self, indicator, part, unit, year, user):
        scope = special.URBAN_COMPULSORY if part == "numerator" else special.RURAL_COMPULSORY
        drill = measure_drill(
            BACHELOR_SHARE,
            scope_units(scope, unit, year, user),
            year,
            user,
            amount_label="本科及以上",
        )
        drill.note = "本科及以上学历比例 = 本科及以上合计 ÷ 专任教师人数"
        return drill


class SmallSchools(Adapter):
    """Small rural schools and 教学点 this year and in the baseline year."""

    labels = {"numerator": "本学年小规模学校和教学点", "denominator": "基准学年小规模学校和教学点"}

    def drill(self, indicator, part, unit, year, user):
        values = _stored(indicator.code, year, unit, user)

        def columns(site, stored):
            point = site.kind == CAMPUS
            return ["教学点" if point else "小规模学校"]

        rows = _unit_rows(values, part, columns)
        baseline = next((v.details.get("baseline_year") for v in values.values()), None)
        note = f"基准学年：{baseline}" if baseline else ""
        return _table(["学校或教学点", "镇街", "类型"], rows, note=note)


class FamousNominees(Adapter):
    labels = {"numerator": "乡村学校入选人员", "denominator": "入选人员"}

    def drill(self, indicator, part, unit, year, user):
        scope = RURAL_SCHOOLS if part == "numerator" else None
        units = scope_units(scope, unit, year, user)
        return measure_drill(indicator.everyone, units, year, user)


ADAPTERS = {
    care.PoorFamilyDropoutOpen: CaseDrill(),
    care.DropoutCasePlanRate: CaseDrill(),
    care.StrugglingStudentRecordRate: GrowthDrill(),
    care.GrowthFileReviewRate: GrowthDrill(),
    inclusion.UnplacedDisabled: UnplacedDrill(),
    inclusion.HomeVisitRate: HomeVisitDrill(),
    inclusion.DisabledEnrolmentRate: EnrolmentDrill(),
    quality.ResourceIndicator: Resources(),
    quality.DifferenceCoefficient: Coefficient(),
    quality.ComplianceRate: SchoolRule(),
    quality.Class2Standard: SchoolRule(),
    quality.UnmetCriteria: QualityUnmet(),
    preschool.KindergartenStandard: KindergartenRule(),
    preschool.Xqpjph: Preschool(),
    preschool.XqpjphUnmet: PreschoolUnmet(),
    special.PostVacancies: Vacancies(),
    special.BachelorRatio: BachelorSides(),
    special.SmallSchoolIncrease: SmallSchools(),
    special.FamousShare: FamousNominees(),
    **SUPERVISION_ADAPTERS,
}
