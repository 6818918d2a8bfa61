"""Drill-downs of the evaluation's own indicators (G04 学校规模, G05 班额): the schools each
figure counted, read from the stored per-school values so the lists match the figures. Added to
the indicator app's adapters when the app is ready."""

from ruraledu.indicators.definitions.evaluation import ClassSizeRate, SchoolSizeRate
from ruraledu.indicators.drilldown import SHORT_LABEL, town_of
from ruraledu.indicators.drilldown_custom import SCHOOL, Adapter, _stored, _table, _unit_rows


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


ADAPTERS = {SchoolSizeRate: SchoolSize(), ClassSizeRate: ClassSize()}


def register() -> None:
    from ruraledu.indicators.drilldown_custom import ADAPTERS as INDICATOR_ADAPTERS

    INDICATOR_ADAPTERS.update(ADAPTERS)
