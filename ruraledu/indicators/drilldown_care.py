"""Drill-down of the care-case indicators: the cases behind a figure, never with a name in
full. A care role that works the case sees the masked name (张*明); other roles see the case
number only (counts, not children)."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach

from .definitions.care import as_of
from .drilldown import SHORT_LABEL, Drill, mask_name, scope_units


class CaseDrill:
    def parts(self, indicator) -> dict[str, str]:
        parts = {"numerator": indicator.numerator_label}
        if indicator.denominator is not None:
            parts["denominator"] = indicator.denominator_label
            parts["short"] = SHORT_LABEL
        return parts

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        if part == "short":
            counted = indicator.numerator.records(year).values("pk")
            records = indicator.denominator.records(year).exclude(pk__in=counted)
        else:
            records = indicator.measures()[part].records(year)
        records = (
            records.filter(unit__in=units)
            .select_related("person", "unit", "town")
            .order_by("opened_on", "pk")
        )
        care = Reach(user, Action.CARE)
        day = as_of(year)

        def render(case):
            who = mask_name(case.person.name) if care.covers(case.unit.path) else "—"
            return [
                f"#{case.pk}",
                who,
                case.unit.name,
                case.town.name,
                case.get_status_display(),
                case.opened_on.isoformat(),
                (day - case.opened_on).days,
                "有" if case.plan else "无",
                case.last_contact_on.isoformat() if case.last_contact_on else "无",
            ]

        headers = ["个案", "学生", "所在单位", "镇街", "状态", "发现日期", "已办理天数"]
        headers += ["劝返方案", "最近联系"]
        return Drill(headers, records, render, note=f"按 {day:%Y-%m-%d} 计")
