"""Drill-down of the care-case indicators: the cases behind a figure, never with a name in
full. A care role that works the case sees the masked name (张*明); other roles see the case
number only (counts, not children). A case is shown as it stood on the day the figure
describes (its step, plan and last contact then), so the rows explain the figure; a past
year's list adds what became of the case since."""

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.care.choices import CaseStatus
from ruraledu.care.models import (
    CaseContact,
    CaseEvent,
    GrowthFile,
    GrowthFileHolding,
    GrowthReview,
)

from .definitions import care as definitions
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
        day = definitions.as_of(year)  # looked up here: the figure and its rows share one day
        records = (
            _part_records(indicator, part, year)
            .filter(unit__in=units)
            .select_related("person", "unit", "town")
            .annotate(**_as_it_stood(day))
            .order_by("opened_on", "pk")
        )
        care = Reach(user, Action.CARE)
        since = day < timezone.localdate()  # a past year's figure: what became of the case

        def render(case):
            who = mask_name(case.person.name) if care.covers(case.unit.path) else "—"
            # the plan as `care.selectors.neglected_condition` reads it on the day
            planned = case.plan and case.plan_written_on and case.plan_written_on <= day
            row = [
                f"#{case.pk}",
                who,
                case.unit.name,
                case.town.name,
                CaseStatus(case.status_then or CaseStatus.FOUND).label,
                case.opened_on.isoformat(),
                (day - case.opened_on).days,
                "有" if planned else "无",
                case.contact_then.isoformat() if case.contact_then else "无",
            ]
            if since:
                closed = f"（{case.closed_on:%Y-%m-%d}）" if case.closed_on else ""
                row.append(case.get_status_display() + closed)
            return row

        headers = ["个案", "学生", "所在单位", "镇街", "当日状态", "发现日期", "已办理天数"]
        headers += ["劝返方案", "最近联系"] + (["现状态"] if since else [])
        return Drill(headers, records, render, note=f"按 {day:%Y-%m-%d} 计")


def _as_it_stood(day) -> dict:
    """A case's step (the status its last step on or before `day` left) and last contact then."""
    # only steps that moved the status: a later plan or re-assignment may be dated back
    steps = (
        CaseEvent.objects.filter(case=OuterRef("pk"), on__lte=day)
        .exclude(to_status=F("from_status"))
        .order_by("-on", "-at", "-pk")
    )
    contacts = CaseContact.objects.filter(case=OuterRef("pk"), on__lte=day).order_by("-on")
    return {
        "status_then": Subquery(steps.values("to_status")[:1]),
        "contact_then": Subquery(contacts.values("on")[:1]),
    }


class GrowthDrill(CaseDrill):
    """学困生成长档案 figures: the pupils (or files) behind a figure with the state of the file,
    the name masked for a care role over the school and a dash for everyone else."""

    def drill(self, indicator, part, unit, year, user) -> Drill:
        units = scope_units(indicator.scope, unit, year, user)
        records = _part_records(indicator, part, year)
        care = Reach(user, Action.CARE)
        day = definitions.as_of(year)
        if records.model is GrowthFileHolding:
            # each file at the school that held it on the day
            # the last review by the day, as the figure reads the reviews
            reviews = GrowthReview.objects.filter(file=OuterRef("file_id"), on__lte=day)
            records = (
                records.filter(unit__in=units)
                .select_related("file__person", "file__unit", "unit")
                .annotate(review_then=Subquery(reviews.order_by("-on").values("on")[:1]))
                .order_by("unit__path", "file__assessed_on", "file_id")
            )

            def render(holding):
                file, unit = holding.file, holding.unit
                # the name only for a care role over the school holding the file now
                who = mask_name(file.person.name) if care.covers(file.unit.path) else "—"
                review = holding.review_then.isoformat() if holding.review_then else "无"
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
