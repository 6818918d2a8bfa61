"""学校诊断报告: one school's indicators against the standards, its town and the district,
their trend, what it still lacks (还需), and the supervision and care figures of the year
(counts and problems, never a child's name). Context builder and body."""

import datetime as dt
import math
from collections import Counter, defaultdict

from django.utils import timezone

from ruraledu.care.choices import CaseStatus, GrowthFileStatus
from ruraledu.care.models import DropoutCase, GrowthFile
from ruraledu.core.schoolyear import collecting_years
from ruraledu.dashboards.selectors import YZJH_KEYS, dashboard_unit_profile
from ruraledu.indicators.definitions.quality import RESOURCES
from ruraledu.indicators.evaluation import plan_root_unit
from ruraledu.indicators.models import IndicatorValue
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.supervision.choices import PENDING_STATUSES, ItemStatus, VisitStatus
from ruraledu.supervision.models import Finding, RectificationItem, Visit
from ruraledu.supervision.overview import visible_schools

from . import charts
from .gongwen import add_figure, add_table
from .progress_report import chart_stamp, plain_figure

TREND_YEARS = 5
MARKS = {"pass": "达标", "partial": "基本达标", "fail": "未达标"}


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def figure(value) -> str:
    return "—" if value is None or value.value is None else f"{value.value:.4g}"


def build_context(*, school: OrgUnit, user, year: int | None = None, now=None) -> dict:
    """Everything the report states about `school`, read from the stored values."""
    now = now or timezone.now()
    profile = dashboard_unit_profile(unit=school, year=year)
    year = profile["year"]
    record = School.objects.select_related("org_unit__parent").get(org_unit=school)
    town = school.parent
    from ruraledu.evaluation.units import evaluated_unit_of

    # compared with its own district's figures, on a platform of one district or of many
    root = evaluated_unit_of(school.path) or plan_root_unit()
    codes = [row["target"].indicator_code for row in profile["rows"]]
    yzjh_codes = [f"yzjh_{k}" for k in YZJH_KEYS]
    compare = defaultdict(dict)
    for value in IndicatorValue.objects.filter(
        code__in=codes, year=year, unit__in=[u for u in (town, root) if u is not None]
    ):
        compare[value.code][value.unit_id] = value
    collecting = set(collecting_years())
    trend = defaultdict(dict)
    for value in IndicatorValue.objects.filter(unit=school, code__in=[*codes, *yzjh_codes]):
        if value.year not in collecting and value.value is not None:
            trend[value.code][value.year] = value
    resources = []
    for key in YZJH_KEYS:
        value = trend.get(f"yzjh_{key}", {}).get(year)
        resources.append((key, value))
    return {
        "title": f"{school.name}{year}学年诊断报告" if year else f"{school.name}诊断报告",
        "school": school,
        "record": record,
        "town": town,
        "root": root,
        "year": year,
        "generated_at": timezone.localtime(now),
        "rows": profile["rows"],
        "gaps": profile["gaps"],
        "resources": resources,
        "compare": compare,
        "trend": trend,
        "supervision": _supervision(record, user, year) if year else None,
        "care": _care(record, year) if year else None,
    }


def _supervision(record: School, user, year: int) -> dict | None:
    """The year's visits, findings by area and rectification items; None when the user's
    role does not see the school's supervision (as on the school page)."""
    if not visible_schools(user).filter(pk=record.pk).exists():
        return None
    start, end = school_year_bounds(year)
    visits = Visit.objects.filter(
        school=record, visited_on__range=(start, end), status=VisitStatus.SIGNED_OFF
    )
    findings = Counter(
        Finding.objects.filter(visit__in=visits).values_list("area", flat=True).order_by()
    )
    items = list(
        RectificationItem.objects.filter(school=record, created_at__date__lte=end)
        .exclude(closed_on__lt=start)
        .order_by("deadline", "pk")
    )
    today = timezone.localdate()
    return {
        "visits": visits.count(),
        "findings": sorted(findings.items(), key=lambda pair: (-pair[1], pair[0])),
        "items": items,
        "closed": sum(1 for i in items if i.status == ItemStatus.CLOSED),
        "overdue": sum(1 for i in items if i.status in PENDING_STATUSES and i.deadline < today),
    }


def _care(record: School, year: int) -> dict:
    """Counts only: 控辍保学 cases by status and 学困生 growth files."""
    cases = Counter(
        DropoutCase.objects.filter(school=record, year=year).values_list("status", flat=True)
    )
    files = Counter(
        GrowthFile.objects.filter(school=record, year=year).values_list("status", flat=True)
    )
    return {
        "cases": [(CaseStatus(s).label, n) for s in CaseStatus.values if (n := cases.get(s))],
        "cases_total": sum(cases.values()),
        "files_total": sum(files.values()),
        "files_exited": files.get(GrowthFileStatus.EXITED, 0),
    }


def resource_gap(value, key: str) -> str:
    """What the school lacks to reach the standard of a resource indicator (还需 …)."""
    threshold = (value.details or {}).get("threshold")
    if threshold is None or value.denominator in (None, 0) or value.numerator is None:
        return ""
    name, unit, per = RESOURCES[key]
    needed = threshold * value.denominator / per - value.numerator
    if needed <= 0:
        return ""
    amount = math.ceil(needed - 1e-9) if unit in ("人", "间", "元") else round(needed + 0.05, 1)
    return f"还需 {amount:g} {unit}"


def write_body(document, context: dict) -> None:
    school, record, year = context["school"], context["record"], context["year"]
    stamp = chart_stamp(context)
    document.add_heading("一、基本情况", level=1)
    document.add_paragraph(
        f"{school.name}属{context['town'].name if context['town'] else ''}，"
        f"办学类型为{record.get_stage_display()}，{record.get_ownership_display()}，"
        f"城乡分类代码 {record.urban_rural_code or '未填'}（{'乡村学校' if record.is_rural else '城镇学校'}）。"
        f"本报告依据{year}学年平台计算结果，全部数字取自同一数据版本。"
        if year
        else f"{school.name}尚无可用的计算结果。"
    )
    if not year:
        return

    document.add_heading("二、优质均衡资源配置", level=1)
    resources = [(key, value) for key, value in context["resources"] if value is not None]
    if resources:
        labels = [RESOURCES[key][0] for key, _ in resources]
        shares = [
            value.value / value.details["threshold"] * 100
            if value.details.get("threshold")
            else None
            for _, value in resources
        ]
        add_figure(
            document,
            charts.radar(labels=labels, shares=shares, stamp=stamp),
            f"图1 七项资源配置指标与标准之比（{stamp}）",
            "；".join(
                f"{label} {value.value:.4g}（标准 {value.details.get('threshold', '—')}）"
                for label, (_, value) in zip(labels, resources, strict=True)
            ),
            width_mm=110,
        )
        add_table(
            document,
            ["指标", "本校", "标准", "判定", "差距"],
            [
                [
                    f"{RESOURCES[key][0]}（{RESOURCES[key][1]}）",
                    figure(value),
                    f"{value.details.get('threshold', '—')}",
                    MARKS.get(value.details.get("mark"), "—"),
                    resource_gap(value, key) or "—",
                ]
                for key, value in resources
            ],
            widths_mm=[62, 22, 20, 20, 32],
        )
    else:
        document.add_paragraph("本学年没有优质均衡资源配置指标的计算结果（如幼儿园、教学点）。")

    document.add_heading("三、目标指标与镇街、全区对照", level=1)
    rows = context["rows"]
    if rows:
        town, root = context["town"], context["root"]
        compare = context["compare"]
        add_table(
            document,
            ["代码", "指标", "本校", "本镇街", "全区", "目标值", "判定"],
            [
                [
                    row["target"].code,
                    row["name"] or row["target"].text,
                    plain_figure(row["value"], row["target"]),
                    figure(compare[row["target"].indicator_code].get(getattr(town, "pk", None))),
                    figure(compare[row["target"].indicator_code].get(getattr(root, "pk", None))),
                    row["target"].threshold_label,
                    {True: "达到", False: "未达到", None: "计入全区"}[row["passed"]],
                ]
                for row in rows
            ],
            widths_mm=[14, 50, 22, 18, 18, 18, 16],
        )
    else:
        document.add_paragraph("本学年没有可与目标对照的指标值。")

    document.add_heading("四、逐年变化", level=1)
    trend = context["trend"]
    years = sorted({y for values in trend.values() for y in values})[-TREND_YEARS:]
    lines = [(row["name"] or row["target"].text, row["target"].indicator_code) for row in rows] + [
        (RESOURCES[key][0], f"yzjh_{key}") for key in YZJH_KEYS
    ]
    lines = [(name, code) for name, code in lines if trend.get(code)]
    if years and lines:
        add_table(
            document,
            ["指标", *[f"{y}学年" for y in years]],
            [[name, *[figure(trend[code].get(y)) for y in years]] for name, code in lines],
            widths_mm=[60, *[96 / len(years)] * len(years)],
        )
    else:
        document.add_paragraph("暂无往年数据。")

    document.add_heading("五、差距与努力方向", level=1)
    needs = [f"{t.text}：还需 {n} 个（{label}）达到要求。" for t, n, label in context["gaps"]]
    needs += [
        f"{RESOURCES[key][0]}：{gap}方可达到优质均衡标准。"
        for key, value in resources
        if (gap := resource_gap(value, key))
    ]
    for line in needs or ["各项可计算的目标和资源配置指标均已达到要求，或暂无数据。"]:
        document.add_paragraph(line)

    document.add_heading("六、督导发现与整改", level=1)
    supervision = context["supervision"]
    if supervision is None:
        document.add_paragraph("（督导情况不在本账号的查看范围内。）")
    else:
        found = "，".join(f"{area} {n} 个" for area, n in supervision["findings"]) or "无"
        document.add_paragraph(
            f"本学年经校长确认的督导 {supervision['visits']} 次，发现问题：{found}。"
            f"整改事项 {len(supervision['items'])} 项，已销号 {supervision['closed']} 项，"
            f"逾期未整改 {supervision['overdue']} 项。"
        )
        if supervision["items"]:
            add_table(
                document,
                ["领域", "问题", "整改期限", "状态"],
                [
                    [i.area, i.description, f"{i.deadline:%Y-%m-%d}", i.get_status_display()]
                    for i in supervision["items"]
                ],
                widths_mm=[24, 82, 24, 26],
            )

    document.add_heading("七、关爱工作", level=1)
    care = context["care"]
    cases = "，".join(f"{label} {n} 人" for label, n in care["cases"])
    document.add_paragraph(
        f"本学年控辍保学个案 {care['cases_total']} 人" + (f"（{cases}）" if cases else "") + "；"
        f"学困生成长档案 {care['files_total']} 份，其中已转出 {care['files_exited']} 份。"
        "（只列人数，不含个人信息。）"
    )
