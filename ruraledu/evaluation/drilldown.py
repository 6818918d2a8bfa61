"""Drill-downs of the evaluation's own indicators (G03 专用教室, G04 学校规模, G05 班额, G06 公用
经费, G10 交流轮岗, Q09 质量监测): the schools each figure counted, read from the stored per-school
values so the lists match the figures, or the teachers behind 交流轮岗. Added to the indicator
app's adapters when the app is ready."""

from ruraledu.indicators.definitions.evaluation import ClassSizeRate, SchoolSizeRate
from ruraledu.indicators.definitions.evaluation_schools import (
    FundsRate,
    MonitoringLevelRate,
    MonitoringSchoolGap,
    SpecialRoomsRate,
)
from ruraledu.indicators.definitions.evaluation_staff import (
    RotationBackboneRate,
    RotationRate,
    rotation_people,
)
from ruraledu.indicators.drilldown import COLUMNS, SHORT_LABEL, scope_units, town_of
from ruraledu.indicators.drilldown_custom import (
    SCHOOL,
    Adapter,
    _stored,
    _table,
    _unit_rows,
)


class _Parts(Adapter):
    def parts(self, indicator):
        return {
            "numerator": indicator.numerator_label,
            "denominator": indicator.denominator_label,
            "short": SHORT_LABEL,
        }


class SchoolSize(_Parts):
    def drill(self, indicator, part, unit, year, user):
        def columns(school, stored):
            details = stored.details or {}
            return [
                details.get("students"),
                details.get("limit"),
                "是" if stored.numerator else "否",
            ]

        values = _stored(indicator.code, year, unit, user, (SCHOOL,))
        headers = ["学校", "镇街", "义务教育阶段在校生", "规模上限", "达标"]
        return _table(headers, _unit_rows(values, part, columns))


class ClassSize(_Parts):
    def drill(self, indicator, part, unit, year, user):
        rows = []
        for stored in _stored(indicator.code, year, unit, user, (SCHOOL,)).values():
            good, classes = stored.numerator or 0.0, stored.denominator or 0.0
            amount = {"numerator": good, "denominator": classes, "short": classes - good}[part]
            if round(amount, 6) > 0:
                school = stored.unit
                rows.append([school.name, town_of(school), int(amount), int(classes - good)])
        headers = ["学校", "镇街", "班级数", "超额班级数"]
        return _table(headers, rows, amount=2, note="小学每班不超过 45 人，初中不超过 50 人。")


class SpecialRooms(_Parts):
    def drill(self, indicator, part, unit, year, user):
        def columns(school, stored):
            d = stored.details or {}
            return [
                d.get("classes"),
                d.get("needed"),
                d.get("music"),
                d.get("music_area"),
                d.get("art"),
                d.get("art_area"),
                "是" if stored.numerator else "否",
            ]

        values = _stored(indicator.code, year, unit, user, (SCHOOL,))
        headers = ["学校", "镇街", "班级数", "应配间数", "音乐教室", "音乐教室面积（㎡）"]
        headers += ["美术教室", "美术教室面积（㎡）", "达标"]
        note = "每 12 个班级各配 1 间，面积不少于应配间数 × 96㎡（音乐）、90㎡（美术）。"
        return _table(headers, _unit_rows(values, part, columns), note=note)


class Funds(_Parts):
    def drill(self, indicator, part, unit, year, user):
        def columns(school, stored):
            d = stored.details or {}
            rule = (
                "特殊教育学校生均不低于 6000 元" if d.get("rule") == "special" else "按 100 人核定"
            )
            return [rule, d.get("pupils"), d.get("funded", ""), d.get("funds")]

        values = _stored(indicator.code, year, unit, user)
        headers = ["学校", "镇街", "规则", "在校生", "核定学生数", "公用经费（元）"]
        return _table(headers, _unit_rows(values, part, columns))


class Rotation(Adapter):
    """The teachers: eligible at their school last year, and where they are this year."""

    def parts(self, indicator):
        return {
            "numerator": indicator.numerator_label,
            "denominator": indicator.denominator_label,
        }

    def drill(self, indicator, part, unit, year, user):
        from ruraledu.orgunits.choices import OrgUnitKind
        from ruraledu.orgunits.models import OrgUnit

        # the units the figure counted (its scope's schools and their campuses) in the user's view
        visible = set(scope_units(indicator.scope, unit, year, user).values_list("pk", flat=True))
        wanted = {
            (RotationRate, "numerator"): lambda p: p["rotated"],
            (RotationRate, "denominator"): lambda p: True,
            (RotationBackboneRate, "numerator"): lambda p: p["rotated"] and p["backbone"],
            (RotationBackboneRate, "denominator"): lambda p: p["rotated"],
        }[(type(indicator), part)]
        people = [p for p in rotation_people(year) if p["unit"] in visible and wanted(p)]
        units = {p["now"] for p in people} | {p["unit"] for p in people}
        names, towns = {}, {}
        for pk, name, kind, parent, grandparent in OrgUnit.objects.filter(pk__in=units).values_list(
            "pk", "name", "kind", "parent__name", "parent__parent__name"
        ):
            names[pk] = name
            towns[pk] = grandparent if kind == OrgUnitKind.CAMPUS else parent  # as town_of
        rows = [
            [
                # the name read with the post: a city's teachers, asked for by id, would pass
                # SQLite's limit on parameters per statement
                p["post"].person_name,
                names.get(p["unit"], ""),
                towns.get(p["unit"], ""),
                p["years"],
                "是" if p["backbone"] else "否",
                names.get(p["now"], "") if p["rotated"] else "",
            ]
            for p in people
        ]
        rows.sort(key=lambda r: (r[2], r[1], r[0]))
        headers = ["教师", "上一学年学校", "镇街", "同校任教年限", "骨干教师", "交流轮岗到"]
        return _table(headers, rows, note="符合交流条件：上一学年末同校连续任教满 6 年。")


class Monitoring(Adapter):
    labels = {"table": "监测科目"}

    def drill(self, indicator, part, unit, year, user):
        from ruraledu.indicators.models import IndicatorValue

        stored = IndicatorValue.objects.filter(code=indicator.code, unit=unit, year=year).first()
        details = (stored.details or {}) if stored else {}
        rows = [list(row) for row in details.get("subjects", [])]
        note = f"{details['monitoring_year']}学年收到的监测结果。" if details else ""
        return _table(["年级", "学科", "学业表现水平", "校际差异率"], rows, note=note)


ADAPTERS = {
    SchoolSizeRate: SchoolSize(),
    ClassSizeRate: ClassSize(),
    SpecialRoomsRate: SpecialRooms(),
    FundsRate: Funds(),
    RotationRate: Rotation(),
    RotationBackboneRate: Rotation(),
    MonitoringLevelRate: Monitoring(),
    MonitoringSchoolGap: Monitoring(),
}


def register() -> None:
    from ruraledu.indicators.drilldown_custom import ADAPTERS as INDICATOR_ADAPTERS

    INDICATOR_ADAPTERS.update(ADAPTERS)
    # the 初中三年巩固率 cohort lists the enrolments of two years before, as the roster does
    COLUMNS.setdefault("junior_cohort", COLUMNS["enrolment"])
