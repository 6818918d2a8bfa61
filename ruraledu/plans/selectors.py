"""Reads for plan pages. The plan itself is open to every signed-in user; what is "ours"
depends on the user's departments."""

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.scoping import user_departments
from ruraledu.core.params import int_param
from ruraledu.orgunits.models import Department

from .choices import ResponsibilityRole
from .models import Plan, Project, Responsibility, Section, Target


def plan_get_current(user=None) -> Plan:
    """The plan a user works under: that of the nearest district (or city) above the places the
    user holds roles on (a department's owner for its reporters); for a user above every plan
    (a city leader without a city plan), the highest plan below. Without a user, a superuser
    or a user of no place: the install's own plan (one without an owner, else the root's)."""
    plans = list(Plan.objects.select_related("org_unit").order_by("-start_year", "-pk"))
    if not plans:
        raise Http404("尚未导入工作方案。")
    places = _places(user)
    best, best_rank = None, None
    for plan in plans:
        owner = plan.org_unit.path if plan.org_unit_id else ""
        if any(place.startswith(owner) for place in places):
            rank = (1, len(owner))  # the user is inside: the nearest owner wins
        elif any(owner.startswith(place) for place in places):
            rank = (0, -len(owner))  # the owner is inside the user's reach: the highest wins
        else:
            continue
        if best_rank is None or rank > best_rank:
            best, best_rank = plan, rank
    if best is not None:
        return best
    own = [p for p in plans if p.org_unit_id is None]
    at_root = [p for p in plans if p.org_unit_id and p.org_unit.parent_id is None]
    return (own or at_root or plans)[0]


def target_get(user, code: str, plan_id: str | None = None) -> Target:
    """A target by its code, in the plan named (a link from a page of that plan) or else the
    plan the user works under: codes repeat across districts' plans. A plan the user neither
    works under nor reaches (another district's) is a 404."""
    from ruraledu.accounts.choices import Action
    from ruraledu.accounts.policy import Reach

    if plan_id is None:
        plan = plan_get_current(user)
    else:
        plan = Plan.objects.select_related("org_unit").filter(pk=int_param(plan_id)).first()
        own = plan is not None and plan == plan_get_current(user)
        reached = plan is not None and (
            Reach(user, Action.VIEW).covers(plan.org_unit.path if plan.org_unit_id else None)
            or plan.org_unit_id is None
        )
        if not (own or reached):
            raise Http404("没有找到该目标。")
    targets = Target.objects.select_related("project", "section", "state", "plan")
    target = targets.filter(plan=plan, code=code).first()
    if target is None:
        raise Http404("没有找到该目标。")
    return target


def plan_of_unit(unit) -> Plan | None:
    """The plan of the nearest district (or city) at or above `unit`, else the install's own."""
    plans = list(Plan.objects.select_related("org_unit").order_by("-start_year", "-pk"))
    inside = [p for p in plans if p.org_unit_id and unit.path.startswith(p.org_unit.path)]
    if inside:
        return max(inside, key=lambda p: len(p.org_unit.path))
    return next((p for p in plans if p.org_unit_id is None), None)


def _places(user) -> list[str]:
    from ruraledu.accounts.scoping import scope_paths

    if user is None or not user.is_authenticated or user.is_superuser:
        return []
    places = list(scope_paths(user, "view"))
    places += [d.org_unit.path if d.org_unit_id else "" for d in user_departments(user)]
    return places


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
    """The departments of the plan's district (or city)."""
    return list(Department.objects.filter(org_unit=plan.org_unit_id))


def department_get(*, code: str, plan: Plan | None = None) -> Department:
    departments = Department.objects.all()
    if plan is not None:  # another district's department is not one of this plan's
        departments = departments.filter(org_unit=plan.org_unit_id)
    try:
        return departments.get(code=code)
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
