"""Reads for the cockpit pages: a fixed number of queries whatever the number of schools."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from ruraledu.indicators.choices import STATUS_SEVERITY, TargetStatus
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.evaluation import plan_root_unit
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.plans.choices import ResponsibilityRole
from ruraledu.plans.models import Plan, Responsibility, Target

HEADLINES = [
    ("urban_rural_teacher_bachelor_ratio", "城乡义务教育教师本科学历比例之比", "≤ 1.05"),
    ("rural_principal_under45_rate", "45岁以下乡村校（园）长占比", "≥ 50%"),
    ("county_yzjh_resource_unmet_count", "优质均衡资源配置未达标项数", "= 0 项"),
    ("town_preschool_public_rate", "乡镇学前教育公办率", "≥ 55%"),
    ("town_preschool_inclusive_rate", "乡镇学前教育普惠率", "≥ 87%"),
]


def worst(statuses) -> str | None:
    statuses = [s for s in statuses if s]
    return min(statuses, key=lambda s: STATUS_SEVERITY.get(s, 9)) if statuses else None


def dashboard_cockpit(*, plan: Plan, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    targets = list(
        Target.objects.filter(plan=plan)
        .select_related("state", "project__section")
        .order_by("due_date", "code")
    )
    leads = defaultdict(list)
    for r in Responsibility.objects.filter(
        project__plan=plan, role=ResponsibilityRole.LEAD
    ).select_related("department"):
        leads[r.project_id].append(r.department)
    status_of = {t.pk: getattr(getattr(t, "state", None), "status", None) for t in targets}
    counts = Counter(s for s in status_of.values() if s)
    by_project = defaultdict(list)
    for t in targets:
        by_project[t.project_id].append(t)
    sections = []
    for section in plan.sections.prefetch_related("projects").order_by("number"):
        projects = [
            (p, worst(status_of[t.pk] for t in by_project[p.pk]), len(by_project[p.pk]))
            for p in section.projects.all()
        ]
        sections.append((section, projects))
    watch = [
        (t, leads.get(t.project_id, []))
        for t in targets
        if status_of[t.pk] in (TargetStatus.OVERDUE, TargetStatus.AT_RISK)
    ]
    watch.sort(key=lambda pair: (STATUS_SEVERITY[status_of[pair[0].pk]], pair[0].due_date))
    since = timezone.now() - dt.timedelta(days=30)
    moved = list(
        TargetStatusChange.objects.filter(target__plan=plan, changed_at__gte=since)
        .exclude(previous="")
        .select_related("target")
        .order_by("-changed_at")[:30]
    )
    return {
        "counts": [
            (s, TargetStatus(s).label, counts.get(s, 0))
            for s in TargetStatus.values
            if counts.get(s)
        ],
        "total": len(targets),
        "sections": sections,
        "watch": watch,
        # (change, worse?): a lower severity number is a worse status
        "moved": [(c, STATUS_SEVERITY.get(c.status, 9) < STATUS_SEVERITY.get(c.previous, 9)) for c in moved],
        "headlines": headline_figures(),
    }


def headline_figures() -> list[dict]:
    root = plan_root_unit()
    codes = [code for code, _, _ in HEADLINES]
    series = defaultdict(list)
    if root:
        for code, year, value in (
            IndicatorValue.objects.filter(code__in=codes, unit=root)
            .order_by("year")
            .values_list("code", "year", "value")
        ):
            series[code].append((year, value))
    figures = []
    for code, label, goal in HEADLINES:
        points = series.get(code, [])
        figures.append(
            {
                "code": code,
                "label": label,
                "goal": goal,
                "unit": REGISTRY[code].unit if code in REGISTRY else "",
                "latest": points[-1] if points else None,
                "points": points,
            }
        )
    return figures


def target_states_by_code(codes) -> dict[str, TargetState]:
    return {
        s.target.code: s
        for s in TargetState.objects.filter(target__code__in=codes).select_related("target")
    }


def prefetch_states():
    return Prefetch(
        "targets", queryset=Target.objects.select_related("state").order_by("due_date", "code")
    )
