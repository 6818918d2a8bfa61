"""Drill-down of the supervision indicators: the schools behind visits against plan, the
rectification items behind an item figure, and the 包校 links with their 听课 this semester.
Each lists exactly what the figure counted, within the user's view."""

from django.db.models import Subquery
from django.db.models.functions import Coalesce

from ruraledu.orgunits.choices import BUREAU_KINDS
from ruraledu.orgunits.models import School
from ruraledu.supervision.conf import observations_per_semester
from ruraledu.supervision.plan import plan_progress, year_months

from .definitions import supervision
from .definitions.care import as_of
from .drilldown import SHORT_LABEL, Drill, measure_records, scope_units, town_of


def _parts(indicator) -> dict[str, str]:
    parts = {"numerator": indicator.numerator_label}
    if indicator.denominator is not None:
        parts["denominator"] = indicator.denominator_label
        if indicator.unit == "%":  # a shortfall only of a rate (not of an average)
            parts["short"] = SHORT_LABEL
    return parts


def _note(year: int) -> str:
    return f"按 {as_of(year):%Y-%m-%d} 计"


class PlanDrill:
    """Schools on the plan with their expected and counted visits."""

    def parts(self, indicator) -> dict[str, str]:
        return {
            "numerator": indicator.numerator_label,
            "denominator": indicator.denominator_label,
            "short": SHORT_LABEL,
        }

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        schools = School.objects.filter(org_unit__in=units)
        progress = plan_progress(
            schools=schools.values("pk"), months=year_months(year, as_of(year))
        )
        rows = []
        on_plan = schools.filter(pk__in=list(progress)).select_related("org_unit__parent")
        for school in on_plan.order_by("org_unit__code"):
            p = progress[school.pk]
            amount = {"numerator": p.done, "denominator": p.expected, "short": p.short}[part]
            if amount > 0:
                org_unit = school.org_unit
                rows.append([org_unit.name, town_of(org_unit), p.expected, p.done, p.short])
        amount = {"numerator": 3, "denominator": 2, "short": 4}[part]
        headers = ["学校", "镇街", "应督导次数", "计划内完成次数", "差额"]
        return Drill(headers, rows, lambda row: row, amount, note=_note(year))


class ItemDrill:
    """The rectification items behind a figure ("short": due but not closed on time)."""

    def parts(self, indicator) -> dict[str, str]:
        return _parts(indicator)

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        if part == "short":
            counted = indicator.numerator.records(year).values("pk")
            records = indicator.denominator.records(year).exclude(pk__in=counted)
        else:
            records = indicator.measures()[part].records(year)
        records = (
            records.filter(school__org_unit__in=units)
            .select_related("school__org_unit__parent", "notice")
            .order_by("school__org_unit__code", "deadline", "pk")
        )

        def render(item):
            org_unit = item.school.org_unit
            return [
                f"#{item.pk}",
                org_unit.name,
                town_of(org_unit) if org_unit.kind not in BUREAU_KINDS else "",
                item.area,
                item.description,
                item.notice.label if item.notice_id else "",
                item.deadline.isoformat(),
                item.get_status_display(),
                item.closed_on.isoformat() if item.closed_on else "",
                item.days_to_close if item.days_to_close is not None else "",
            ]

        headers = ["事项", "学校", "镇街", "领域", "整改事项", "整改通知书", "整改期限", "状态"]
        headers += ["销号日期", "销号用时（天）"]
        summed = part == "numerator" and indicator.numerator.field
        drill = Drill(headers, records, render, 9 if summed else None, note=_note(year))
        drill.amount_field = "days_to_close"
        return drill


class LinkDrill:
    """包校 links (researcher, school) with their 听课 this semester."""

    def parts(self, indicator) -> dict[str, str]:
        return _parts(indicator)

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        links = measure_records(indicator.denominator, year, units)
        done = Coalesce(Subquery(supervision.term_observations(year)), 0)
        links = (
            links.annotate(done=done)
            .select_related("person", "school__org_unit__parent")
            .order_by("school__org_unit__code", "person__name", "pk")
        )
        rule = observations_per_semester()
        rate = indicator.numerator.source is not supervision.OBSERVATIONS
        rows = []
        for link in links:
            enough = link.done >= rule
            if rate and ((part == "numerator" and not enough) or (part == "short" and enough)):
                continue
            if not rate and part == "numerator" and not link.done:
                continue
            if not rate and part == "short" and enough:
                continue
            org_unit = link.school.org_unit
            rows.append([link.person.name, org_unit.name, town_of(org_unit), link.done, rule])
        amount = 3 if (part == "numerator" and not rate) else None
        semester = "第一学期" if supervision.term_of(year) == 1 else "第二学期"
        headers = ["教研员", "联系学校", "镇街", f"{semester}听课次数", "每学期要求"]
        return Drill(headers, rows, lambda row: row, amount, note=_note(year))


ADAPTERS = {
    supervision.VisitPlanRate: PlanDrill(),
    supervision.ItemIndicator: ItemDrill(),
    supervision.LinkIndicator: LinkDrill(),
}
