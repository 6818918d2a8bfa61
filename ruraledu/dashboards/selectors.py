"""Reads for the cockpit pages: a fixed number of queries whatever the number of schools."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from ruraledu.core.schoolyear import collecting_years, judged_school_year
from ruraledu.indicators.choices import STATUS_SEVERITY, TargetStatus
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.evaluation import plan_root_unit, plan_unit
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.plans.choices import YEAR_ON_YEAR, ResponsibilityRole
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


def unit_pages_open(user, unit_code: str | None = None) -> bool:
    """Whether the pages that find their unit with `unit_for_user` (an indicator, 优质均衡, a
    unit's profile) open for `user` instead of answering 404: the one rule for showing a link
    to them. A department account, for one, has no unit of its own.

    Without a unit code the page starts at `home_unit`, which exists exactly when the user is a
    superuser or holds a role on some unit (an assignment's unit always exists), so that case
    is answered from the cached role assignments, without a query: the navigation asks it on
    every page.
    """
    from django.http import Http404

    from ruraledu.accounts.scoping import scope_paths
    from ruraledu.indicators.selectors import unit_for_user

    if not user.is_authenticated:
        return False
    if not unit_code:
        return user.is_superuser or bool(scope_paths(user, "view"))
    try:
        unit_for_user(user, unit_code)
    except Http404:
        return False
    return True


def root_figures(pairs, root=None) -> dict[tuple[str, int], IndicatorValue]:
    """The district's (`root`, else the plan's root unit) stored values for (indicator code,
    year) pairs, with numerator and denominator, so that a figure can be shown with its gap to
    the threshold."""
    pairs = {(code, year) for code, year in pairs if code and year}
    root = root or plan_root_unit()
    if not pairs or root is None:
        return {}
    values = IndicatorValue.objects.filter(
        unit=root, code__in={c for c, _ in pairs}, year__in={y for _, y in pairs}
    )
    return {(v.code, v.year): v for v in values if (v.code, v.year) in pairs}


def state_figure(target: Target, figures: dict):
    """The stored value behind a target's state when it is the same figure, else the state."""
    from ruraledu.indicators.templatetags.figures import backing_value

    state = getattr(target, "state", None)
    if state is None:
        return None
    return backing_value(state, figures.get((target.indicator_code, state.value_year)))


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
    root = plan_unit(plan)
    figures = root_figures(((t.indicator_code, t.state.value_year) for t, _ in watch), root)
    watch = [(t, leads, state_figure(t, figures)) for t, leads in watch]
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
        "moved": [
            (c, STATUS_SEVERITY.get(c.status, 9) < STATUS_SEVERITY.get(c.previous, 9))
            for c in moved
        ],
        "headlines": headline_figures(targets, root),
        "collecting": collecting_summary(),
    }


def collecting_summary() -> dict | None:
    """The year being collected, shown apart from the judged figures: how many schools have
    checked their data."""
    from ruraledu.core.models import SchoolYear, SchoolYearState
    from ruraledu.orgunits.models import School

    school_year = SchoolYear.objects.filter(state=SchoolYearState.COLLECTING).first()
    if school_year is None:
        return None
    return {
        "year": school_year,
        "judged_year": judged_school_year(),
        "checked": school_year.checks.count(),
        "schools": School.objects.filter(org_unit__kind="school", org_unit__is_active=True).count(),
    }


YZJH_COUNT = "county_yzjh_resource_unmet_count"
YZJH_COMPLIANCE = "yzjh_school_compliance_rate"


def headline_figures(targets: list[Target], root=None) -> list[dict]:
    """The headline indicators of the plan's district (or city): latest value, trend, and the
    target they are judged against (the earliest one with a threshold)."""
    root = root or plan_root_unit()
    codes = [code for code, _, _ in HEADLINES]
    series, latest = defaultdict(list), {}
    if root:
        for value in (
            IndicatorValue.objects.filter(code__in=[*codes, YZJH_COMPLIANCE], unit=root)
            .exclude(year__in=collecting_years())  # a year being collected is no headline
            .order_by("year")
        ):
            if value.value is not None:
                series[value.code].append((value.year, value.value))
                latest[value.code] = value
    judged_by = {}
    for t in targets:
        if t.indicator_code in codes and t.threshold is not None:
            judged_by.setdefault(t.indicator_code, t)
    figures = []
    for code, label, goal in HEADLINES:
        points = series.get(code, [])
        target = judged_by.get(code)
        figure = {
            "code": code,
            "label": label,
            "goal": target.threshold_label if target else goal,
            "target": target,
            "unit": REGISTRY[code].unit if code in REGISTRY else "",
            "latest": latest.get(code),
            "points": points,
        }
        if code == YZJH_COUNT:
            figure.update(yzjh_headline(latest.get(code), latest.get(YZJH_COMPLIANCE)))
        figures.append(figure)
    return figures


def yzjh_headline(count: IndicatorValue | None, compliance: IndicatorValue | None) -> dict:
    """What the 优质均衡 count is made of, in words, and how many schools fail the per-school
    rule (from the compliance rate of the same year, whatever the count's own definition)."""
    indicator = REGISTRY.get(YZJH_COUNT)
    extra = {"counts_what": indicator.definition if indicator else "", "links_to_yzjh": True}
    if compliance is not None and compliance.denominator:
        extra["failing_schools"] = round(compliance.denominator - (compliance.numerator or 0))
        extra["schools"] = round(compliance.denominator)
        extra["schools_year"] = compliance.year
    return extra


def target_states_by_code(codes) -> dict[str, TargetState]:
    return {
        s.target.code: s
        for s in TargetState.objects.filter(target__code__in=codes).select_related("target")
    }


def prefetch_states():
    return Prefetch(
        "targets", queryset=Target.objects.select_related("state").order_by("due_date", "code")
    )


def _value_series(codes, unit) -> dict[str, list[tuple[int, float]]]:
    series = defaultdict(list)
    if unit is not None:
        rows = (
            IndicatorValue.objects.filter(code__in=codes, unit=unit, value__isnull=False)
            .exclude(year__in=collecting_years())
            .order_by("year")
        )
        for code, year, value in rows.values_list("code", "year", "value"):
            series[code].append((year, value))
    return series


def judges_unit(value: IndicatorValue, root) -> bool:
    """A target is judged at its own scope. Below the district only a rate or a per-unit figure
    (stored with a denominator) carries a verdict; a district total (书香校园数, 实习支教 30 人
    左右, 未达标项数) is the district's to meet, and a town or school only contributes to it."""
    return (root is not None and value.unit_id == root.pk) or value.denominator is not None


def meets_threshold(target: Target, value: float | None) -> bool | None:
    from ruraledu.indicators.evaluation import meets

    if value is None or not target.comparator or target.comparator in YEAR_ON_YEAR:
        return None
    return bool(meets(target, value))


def dashboard_project(*, project, user) -> dict:
    """A project's targets with status, trend and the towns and schools where it lags."""
    from ruraledu.orgunits.models import OrgUnit

    targets = list(project.targets.select_related("state").order_by("due_date", "code"))
    codes = {t.indicator_code for t in targets if t.indicator_code}
    root = plan_unit(project.plan)
    series = _value_series(codes, root)
    figures = root_figures(
        ((t.indicator_code, t.state.value_year) for t in targets if getattr(t, "state", None)),
        root,
    )
    latest_year = {code: points[-1][0] for code, points in series.items() if points}
    visible = OrgUnit.objects.for_user(user).filter(
        kind__in=("town", "subdistrict", "zone", "school")
    )
    lagging = defaultdict(list)
    by_target = {
        t.indicator_code: t
        for t in targets
        if t.indicator_code and t.comparator and t.comparator not in YEAR_ON_YEAR
    }
    # only the latest judged year of each judged indicator is read (the loop skips the rest)
    values = IndicatorValue.objects.filter(
        code__in=set(by_target) & set(latest_year),
        year__in=set(latest_year.values()),
        unit__in=visible,
        value__isnull=False,
    ).select_related("unit")
    for value in values:
        target = by_target.get(value.code)
        if target is None or value.year != latest_year.get(value.code):
            continue
        if judges_unit(value, root) and meets_threshold(target, value.value) is False:
            lagging[value.code].append(value)
    for code, rows in lagging.items():
        indicator = REGISTRY.get(code)
        rows.sort(key=lambda v: v.value, reverse=bool(indicator and not indicator.higher_is_better))
    rows = []
    for t in targets:
        state = getattr(t, "state", None)
        units = lagging.get(t.indicator_code, [])
        rows.append(
            {
                "target": t,
                "state": state,
                "figure": state_figure(t, figures),
                "points": series.get(t.indicator_code, []),
                "towns": [v for v in units if v.unit.kind != "school"][:10],
                "schools": [v for v in units if v.unit.kind == "school"][:10],
            }
        )
    return {"rows": rows}


YZJH_KEYS = ("r1", "r2", "r3", "r4", "r5", "r6", "r7")


def dashboard_unit_profile(*, unit, year: int | None = None) -> dict:
    """Every target figure of one unit against its threshold, and what the unit still lacks."""
    import math

    from ruraledu.plans.selectors import plan_of_unit

    plan = plan_of_unit(unit)  # the unit's own district's (or city's) plan
    targets = {
        t.indicator_code: t
        for t in Target.objects.filter(plan=plan)
        .exclude(indicator_code="")
        .exclude(comparator="")
        .order_by("due_date")
    }
    values = IndicatorValue.objects.filter(
        unit=unit, code__in=[*targets, *(f"yzjh_{k}" for k in YZJH_KEYS)]
    )
    years = sorted({v.year for v in values})
    year = year if year in years else judged_school_year(years)
    current = {v.code: v for v in values if v.year == year}
    root = plan_unit(plan) if plan else None
    rows, gaps = [], []
    for code, target in targets.items():
        value = current.get(code)
        if value is None or value.value is None:
            continue
        judged = judges_unit(value, root)
        passed = meets_threshold(target, value.value) if judged else None
        rows.append(
            {
                "target": target,
                "value": value,
                "passed": passed,
                "contribution": not judged,  # counts toward the district's figure
                "name": REGISTRY[code].name if code in REGISTRY else "",
            }
        )
        if passed is False and target.unit == "%" and value.denominator:
            # how many more schools, pupils or teachers would reach the threshold
            needed = math.ceil(
                float(target.threshold) / 100 * value.denominator - value.numerator - 1e-9
            )
            if needed > 0:
                gaps.append(
                    (target, needed, REGISTRY[code].denominator_label if code in REGISTRY else "")
                )
    radar = None
    if all(f"yzjh_{k}" in current for k in YZJH_KEYS):
        radar = [
            (k, current[f"yzjh_{k}"].value, current[f"yzjh_{k}"].details.get("threshold"))
            for k in YZJH_KEYS
        ]
    return {"year": year, "years": years, "rows": rows, "gaps": gaps, "radar": radar}


# a stored mark -> the page's cell class (yz-pass, yz-near, yz-fail; yz-none without a mark)
YZJH_CELL = {"pass": "pass", "partial": "near", "fail": "fail"}


def dashboard_yzjh(*, user, unit, year: int | None = None) -> dict:
    """优质均衡: the seven indicators per school, the verdict, and the 差异系数 under `unit`,
    all as the engine stored them (marks, verdicts, standards and limits): the page applies
    no rule of its own."""
    from ruraledu.indicators.definitions.quality import RESOURCES
    from ruraledu.orgunits.models import OrgUnit

    schools = OrgUnit.objects.for_user(user).filter(path__startswith=unit.path, kind="school")
    codes = [f"yzjh_{k}" for k in YZJH_KEYS]
    years = sorted(
        IndicatorValue.objects.filter(code="yzjh_r1", unit=unit).values_list("year", flat=True)
    )
    year = year if year in years else judged_school_year(years)
    table, verdicts = defaultdict(dict), {}
    for v in IndicatorValue.objects.filter(
        code__in=[*codes, YZJH_COMPLIANCE], year=year, unit__in=schools
    ).select_related("unit"):
        if v.code == YZJH_COMPLIANCE:
            verdicts[v.unit_id] = bool(v.details.get("verdict", v.numerator))
        else:
            table[v.unit][v.code[5:]] = v
    rows = []
    for school, cells in sorted(table.items(), key=lambda item: item[0].path):
        marks = []
        for key in YZJH_KEYS:
            v = cells.get(key)
            details = v.details if v else {}
            # "none": no value, or stored before marks were (shown without a symbol)
            marks.append((v, details.get("threshold"), YZJH_CELL.get(details.get("mark"), "none")))
        rows.append((school, marks, verdicts.get(school.pk, False)))
    cv_codes = [f"yzjh_cv_{k}_{p}" for k in YZJH_KEYS for p in ("primary", "junior")]
    stored = {
        v.code: v
        for v in IndicatorValue.objects.filter(
            code__in=[*cv_codes, YZJH_COMPLIANCE], year=year, unit=unit
        )
    }
    coefficients = []
    for key in YZJH_KEYS:
        row = [RESOURCES[key][0]]
        for part in ("primary", "junior"):
            v = stored.get(f"yzjh_cv_{key}_{part}")
            details = v.details if v else {}
            # passed: True, False, or None for a value stored before its mark was
            passed = {"pass": True, "fail": False}.get(details.get("mark"))
            row.append((v.value if v else None, details.get("limit"), passed))
        coefficients.append(row)
    compliance = stored.get(YZJH_COMPLIANCE)
    if compliance is not None and "partial" in compliance.details:
        partial = compliance.details["partial"]
    else:  # nothing judged under the unit this year: the legend states the bureau's figure
        from ruraledu.indicators.standards import standard

        partial = standard("yzjh_partial", "", unit.pk)[0]
    return {
        "year": year,
        "years": years,
        "rows": rows,
        "coefficients": coefficients,
        "labels": [RESOURCES[k][0] for k in YZJH_KEYS],
        "partial": partial,
        "failing": sum(1 for _, _, verdict in rows if not verdict),
    }
