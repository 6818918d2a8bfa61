"""Reads for plan pages. The plan itself is open to every signed-in user; what is "ours"
depends on the user's departments."""

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.scoping import user_departments
from ruraledu.orgunits.models import Department

from .choices import ResponsibilityRole
from .models import Plan, Project, Responsibility, Section, Target


def plan_get_current() -> Plan:
    plan = Plan.objects.order_by("-start_year", "-pk").first()
    if plan is None:
        raise Http404("尚未导入工作方案。")
    return plan


def _responsibilities():
    return Prefetch(
        "responsibilities",
        queryset=Responsibility.objects.select_related("department").order_by("role", "sort_order"),
    )


def _targets():
    return Prefetch(
        "targets", queryset=Target.objects.select_related("state").order_by("due_date", "code")
    )


def plan_sections(*, plan: Plan) -> list[Section]:
    projects = Project.objects.prefetch_related(_responsibilities(), _targets()).order_by("number")
    return list(
        plan.sections.prefetch_related(
            _responsibilities(), Prefetch("projects", queryset=projects), _targets()
        ).order_by("number")
    )


def plan_general_targets(*, plan: Plan) -> list[Target]:
    return list(plan.targets.filter(project=None, section=None).select_related("state"))


def project_get(*, plan: Plan, number: int) -> Project:
    try:
        return (
            Project.objects.select_related("section")
            .prefetch_related(_responsibilities(), "tasks", "targets")
            .get(plan=plan, number=number)
        )
    except Project.DoesNotExist as exc:
        raise Http404("没有这个项目。") from exc


def user_project_ids(*, user, plan: Plan) -> set[int]:
    """Projects that the user's departments lead or take part in ("ours")."""
    departments = user_departments(user)
    if not departments:
        return set()
    return set(
        Responsibility.objects.filter(department__in=departments, project__plan=plan).values_list(
            "project_id", flat=True
        )
    )


def user_project_numbers(*, user, plan: Plan) -> set[int]:
    departments = user_departments(user)
    if not departments:
        return set()
    return set(
        Responsibility.objects.filter(department__in=departments, project__plan=plan).values_list(
            "project__number", flat=True
        )
    )


def department_list(*, plan: Plan) -> list[Department]:
    return list(Department.objects.all())


def department_get(*, code: str) -> Department:
    try:
        return Department.objects.get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404("没有这个部门。") from exc


def department_work(*, plan: Plan, department: Department) -> dict:
    """What a department leads, what it supports, and the targets that are therefore its own."""
    rows = Responsibility.objects.filter(department=department).select_related("project", "section")
    lead_projects, partner_projects, lead_sections, partner_sections = [], [], [], []
    for row in rows:
        if row.project_id and row.project.plan_id == plan.pk:
            bucket = lead_projects if row.role == ResponsibilityRole.LEAD else partner_projects
            bucket.append(row.project)
        elif row.section_id and row.section.plan_id == plan.pk:
            bucket = lead_sections if row.role == ResponsibilityRole.LEAD else partner_sections
            bucket.append(row.section)
    project_ids = [p.pk for p in lead_projects + partner_projects]
    due_horizon = timezone.localdate() + dt.timedelta(days=365)
    targets = (
        Target.objects.filter(project_id__in=project_ids)
        .select_related("project", "state")
        .order_by("due_date", "code")
    )
    lead_ids = {p.pk for p in lead_projects}
    return {
        "lead_projects": sorted(lead_projects, key=lambda p: p.number),
        "partner_projects": sorted(partner_projects, key=lambda p: p.number),
        "lead_sections": sorted(lead_sections, key=lambda s: s.number),
        "partner_sections": sorted(partner_sections, key=lambda s: s.number),
        "targets": [(t, t.project_id in lead_ids) for t in targets],
        "due_soon": [
            t
            for t in targets
            if t.due_date <= due_horizon
            and getattr(getattr(t, "state", None), "status", "") not in ("achieved", "done")
        ],
    }
