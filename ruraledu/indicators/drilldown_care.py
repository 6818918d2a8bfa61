"""Drill-down of the care-case indicators: the cases behind a figure, never with a name in
full. A care role that works the case sees the masked name (张*明); other roles see the case
number only (counts, not children)."""

from django.db.models import OuterRef, Subquery

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.care.models import GrowthFile, GrowthFileHolding

from .definitions.care import as_of
from .drilldown import SHORT_LABEL, Drill, mask_name, scope_units


def _part_records(indicator, part: str, year: int):
    """The records behind one part of a figure; "short" is the denominator's records the
    numerator does not count."""
    if part == "short":
        counted = indicator.numerator.records(year).values("pk")
        return indicator.denominator.records(year).exclude(pk__in=counted)
    return indicator.measures()[part].records(year)


class CaseDrill:
    def parts(self, indicator) -> dict[str, str]:
        parts = {"numerator": indicator.numerator_label}
        if indicator.denominator is not None:
            parts["denominator"] = indicator.denominator_label
            parts["short"] = SHORT_LABEL
        return parts

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        records = _part_records(indicator, part, year)
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


class GrowthDrill(CaseDrill):
    """学困生成长档案 figures: the pupils (or files) behind a figure with the state of the file,
    the name masked for a care role over the school and a dash for everyone else."""

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        records = _part_records(indicator, part, year)
        care = Reach(user, Action.CARE)
        day = as_of(year)
        if records.model is GrowthFileHolding:
            # each file at the school that held it on the day
            records = (
                records.filter(unit__in=units)
                .select_related("file__person", "file__unit", "unit")
                .order_by("unit__path", "file__assessed_on", "file_id")
            )

            def render(holding):
                file, unit = holding.file, holding.unit
                # the name only for a care role over the school holding the file now
                who = mask_name(file.person.name) if care.covers(file.unit.path) else "—"
                review = file.last_review_on.isoformat() if file.last_review_on else "无"
                return [
                    f"#{file.pk}",
                    who,
                    unit.name,
                    file.assessed_on.isoformat(),
                    file.plan_set_on.isoformat(),
                    review,
                ]

            headers = ["档案", "学生", "学校", "认定日期", "计划制定日期", "最近评估"]
            return Drill(headers, records, render, note=f"按 {day:%Y-%m-%d} 计")
        latest = GrowthFile.objects.filter(
            person_id=OuterRef("person_id"), assessed_on__lte=day
        ).order_by("-assessed_on", "-pk")
        records = (
            records.filter(school__org_unit__in=units)
            .select_related("person", "school__org_unit")
            .annotate(
                file_pk=Subquery(latest.values("pk")[:1]),
                file_plan=Subquery(latest.values("plan_set_on")[:1]),
                file_exit=Subquery(latest.values("exited_on")[:1]),
            )
            .order_by("school__org_unit__path", "grade", "pk")
        )

        def render_pupil(enrolment):
            school = enrolment.school.org_unit
            who = mask_name(enrolment.person.name) if care.covers(school.path) else "—"
            plan = enrolment.file_plan
            return [
                who,
                school.name,
                enrolment.grade,
                f"#{enrolment.file_pk}" if enrolment.file_pk else "未建档",
                plan.isoformat() if plan and plan <= day else "无",
                enrolment.file_exit.isoformat() if enrolment.file_exit else "",
            ]

        headers = ["学生", "学校", "年级", "成长档案", "帮扶计划", "转出日期"]
        # enrolments, as the roster's drill-down, but never named in full here
        return Drill(
            headers, records, render_pupil, note=f"按 {day:%Y-%m-%d} 计", names_masked=True
        )
