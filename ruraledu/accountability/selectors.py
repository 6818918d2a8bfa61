"""Reads for 问责: the candidates (what is overdue past the bureau's limits, bureau only) and
the steps taken, scoped by `AccountabilityStep.objects.for_user`."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse

from ruraledu.accounts.policy import is_bureau
from ruraledu.plans.choices import ResponsibilityRole
from ruraledu.plans.models import Responsibility
from ruraledu.reporting.selectors import expected_reports
from ruraledu.reporting.workdays import WorkingCalendar
from ruraledu.supervision.choices import PENDING_STATUSES
from ruraledu.supervision.models import RectificationItem

from .conf import item_overdue_days, report_overdue_days
from .models import AccountabilityStep


@dataclass
class Candidate:
    """Something overdue past the limit, the department or school answerable, and the steps
    already taken for it."""

    kind: str  # "report" | "item"
    key: str  # "report-<period>-<department>" | "item-<item>"
    subject: object  # Department or OrgUnit (the school)
    what: str
    deadline: dt.date
    working_days_late: int
    url: str
    steps: list = field(default_factory=list)


def _calendar(today: dt.date) -> WorkingCalendar:
    return WorkingCalendar.load(range(today.year - 2, today.year + 1))


def report_candidates(*, today: dt.date, calendar: WorkingCalendar) -> list[Candidate]:
    """Progress reports a project's lead department owes, not handed in, at least the limit
    of working days past their deadline."""
    leads = set(
        Responsibility.objects.filter(
            role=ResponsibilityRole.LEAD, project__isnull=False
        ).values_list("project_id", "department_id")
    )
    limit = report_overdue_days()
    rows = []
    for row in expected_reports(today=today):
        if not row.is_department or not row.is_overdue(today):
            continue
        if (row.period.project_id, row.unit.pk) not in leads:
            continue
        late = calendar.working_days_between(row.period.deadline, today)
        if late < limit:
            continue
        rows.append(
            Candidate(
                kind="report",
                key=f"report-{row.period.pk}-{row.unit.pk}",
                subject=row.unit,
                what=f"“{row.period.project.name}”{row.period.label}进展报告（{row.status_label}）",
                deadline=row.period.deadline,
                working_days_late=late,
                url=reverse("dashboards:project_detail", args=[row.period.project.number]),
            )
        )
    return rows


def item_candidates(*, today: dt.date, calendar: WorkingCalendar) -> list[Candidate]:
    """Rectification items the school still owes, at least the limit of working days past
    their deadline."""
    limit = item_overdue_days()
    items = (
        RectificationItem.objects.filter(status__in=PENDING_STATUSES, deadline__lt=today)
        .select_related("school__org_unit", "notice")
        .order_by("deadline", "pk")
    )
    rows = []
    for item in items:
        late = calendar.working_days_between(item.deadline, today)
        if late < limit:
            continue
        notice = f"（{item.notice.label}）" if item.notice else ""
        rows.append(
            Candidate(
                kind="item",
                key=f"item-{item.pk}",
                subject=item.school.org_unit,
                what=f"整改事项 #{item.pk}{notice}：{item.area} {item.description[:60]}",
                deadline=item.deadline,
                working_days_late=late,
                url=reverse("supervision:item_detail", args=[item.pk]),
            )
        )
    return rows


def candidate_list(*, user, today: dt.date) -> list[Candidate]:
    """Everything overdue past the limits, most late first, with the steps already taken.
    The bureau only: anyone else gets a 404."""
    if not is_bureau(user):
        raise Http404("页面不存在。")
    calendar = _calendar(today)
    rows = report_candidates(today=today, calendar=calendar)
    rows += item_candidates(today=today, calendar=calendar)
    taken = defaultdict(list)
    for step in AccountabilityStep.objects.order_by("taken_on", "pk"):
        key = (
            f"report-{step.period_id}-{step.department_id}"
            if step.period_id
            else f"item-{step.item_id}"
        )
        taken[key].append(step)
    for row in rows:
        row.steps = taken.get(row.key, [])
    return sorted(rows, key=lambda r: (-r.working_days_late, r.key))


def candidate_get(*, user, key: str, today: dt.date) -> Candidate:
    for row in candidate_list(user=user, today=today):
        if row.key == key:
            return row
    raise Http404("该事项没有逾期超过问责时限。")


def step_list(*, user):
    return AccountabilityStep.objects.for_user(user).select_related(
        "department", "school", "created_by"
    )


def steps_for_department(*, user, department) -> list[AccountabilityStep]:
    return list(step_list(user=user).filter(department=department)[:20])


def step_get(*, user, pk: int) -> AccountabilityStep:
    step = step_list(user=user).filter(pk=pk).first()
    if step is None:
        raise Http404("没有找到该问责记录。")
    return step
