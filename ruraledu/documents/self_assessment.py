"""优质均衡 / 普及普惠 自评报告 from what the platform holds: the district's basic facts, each
part's indicators with values and verdicts (the evaluation sheet: filled-in values, reviews and
the survey once the bureau has started that evaluation, the computed indicators before), the per-school resource table and the 差异系数 table (优质均衡),
problems (failing schools, coefficients, open rectification items) and measures (what the
failing schools still lack). Sections grow with the evaluation data; none is left blank."""

from collections import Counter

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.dashboards.selectors import YZJH_KEYS, dashboard_yzjh
from ruraledu.indicators.definitions.quality import RESOURCES
from ruraledu.orgunits.districts import districts_covered
from ruraledu.orgunits.models import School
from ruraledu.supervision.choices import ItemStatus
from ruraledu.supervision.models import RectificationItem

from .diagnosis import resource_gap
from .gongwen import add_table

# signs every CJK font has (the pages' ✓ and ✗ fall back to other fonts in print)
MARK_SIGNS = {"pass": "√", "near": "△", "fail": "×", "none": ""}
# the evaluation's framework codes (ruraledu.evaluation.choices.Framework)
YZJH, XQPJPH = "yzjh", "xqpjph"
TITLES = {
    YZJH: "县域义务教育优质均衡发展自评报告",
    XQPJPH: "县域学前教育普及普惠发展自评报告",
}


def assessed_districts(user) -> list:
    """The districts whose 自评报告 `user` may make: those whose evaluation they change."""
    return districts_covered(user, Action.REVIEW)


def may_assess(user) -> bool:
    return bool(assessed_districts(user))


def build_context(
    *, user, framework: str = YZJH, year: int | None = None, unit: str = "", now=None
):
    """The report of the district coded `unit` (default: the user's first)."""
    from ruraledu.evaluation.models import Evaluation
    from ruraledu.evaluation.selectors import evaluation_sheet

    now = now or timezone.now()
    districts = assessed_districts(user)
    if unit:
        root = next((d for d in districts if d.code == unit), None)
    else:
        root = districts[0] if districts else None
    if root is None:
        raise Http404  # a district out of reach, as one that does not exist
    yzjh = dashboard_yzjh(user=user, unit=root, year=year)
    year = yzjh["year"] if year is None else year
    evaluation = Evaluation.objects.filter(unit=root, framework=framework, year=year).first()
    started = evaluation is not None
    # one not started yet still has the verdicts of its computed indicators
    sheet = evaluation_sheet(evaluation or Evaluation(unit=root, framework=framework, year=year))
    inside = {"org_unit__is_active": True, "org_unit__path__startswith": root.path}
    stages = Counter(
        School.objects.filter(org_unit__kind="school", **inside)
        .values_list("stage", flat=True)
        .order_by()
    )
    items = (
        RectificationItem.objects.exclude(status=ItemStatus.CLOSED)
        .filter(school__org_unit__path__startswith=root.path)
        .values("area")
        .annotate(n=Count("pk"))
        .order_by("-n", "area")
    )
    return {
        "title": f"{root.name if root else ''}{TITLES[framework]}（{year}学年）",
        "framework": framework,
        "year": year,
        "root": root,
        "generated_at": timezone.localtime(now),
        "yzjh": yzjh if framework == YZJH else None,
        "sheet": sheet,
        "started": started,
        "stages": stages,
        "open_items": list(items),
    }


def write_body(document, context: dict) -> None:
    from ruraledu.orgunits.choices import SchoolStage

    year, yzjh, sheet = context["year"], context["yzjh"], context["sheet"]
    document.add_heading("一、基本情况", level=1)
    stages = "，".join(
        f"{SchoolStage(stage).label} {n} 所" for stage, n in sorted(context["stages"].items()) if n
    )
    document.add_paragraph(
        f"{context['root'].name if context['root'] else '本区'}现有学校（含幼儿园）"
        f"{sum(context['stages'].values())} 所：{stages or '暂无登记'}。本报告依据{year}学年"
        "平台计算结果和评估填报数据，全部数字取自同一数据版本。"
    )

    document.add_heading("二、评估指标达成情况", level=1)
    if not context["started"]:
        computed = "下列结论只按平台计算的指标得出；" if sheet["results"] else ""
        document.add_paragraph(
            f"{year}学年的评估尚未在平台开展（“评估”页面）：{computed}各部分指标的填报值、专家评审和"
            "问卷结果录入后，本部分逐项列出数值和结论。"
        )
    if sheet["results"]:
        overall = sheet["overall"]
        document.add_paragraph(f"总体结论：{overall.label}。")
        for part in sheet["parts"]:
            document.add_heading(
                f"{part.name}（达标 {part.passed} 项，未达标 {part.failed} 项，待认定 {part.pending} 项）",
                level=2,
            )
            add_table(
                document,
                ["编号", "指标", "标准", "数值", "结论", "依据"],
                [
                    [
                        r.item.code,
                        r.item.name,
                        r.item.threshold_text or "—",
                        "—" if r.value is None else f"{r.value:.4g}{r.item.unit}",
                        r.verdict_label,
                        r.basis + (f"（佐证 {len(r.evidence)} 份）" if r.evidence else ""),
                    ]
                    for r in part.items
                ],
                widths_mm=[12, 56, 24, 20, 16, 28],
            )
        result = sheet["survey_result"]
        if result is not None and getattr(result, "rate", None) is not None:
            document.add_paragraph(f"社会认可度问卷调查满意度 {result.rate:.4g}%。")

    if yzjh is not None:
        _resource_sections(document, yzjh)

    document.add_heading("四、存在的问题", level=1)
    problems = []
    if yzjh is not None and yzjh["rows"]:
        short = Counter(
            RESOURCES[key][0]
            for _, marks, verdict in yzjh["rows"]
            if not verdict
            for key, (_, _, cell) in zip(YZJH_KEYS, marks, strict=True)
            if cell == "fail"
        )
        problems.append(
            f"{yzjh['failing']} 所学校未达到逐校标准（共 {len(yzjh['rows'])} 所），短板指标："
            + ("，".join(f"{name} {n} 所" for name, n in short.most_common()) or "无")
            + "。"
        )
        failing_cv = [
            f"{label}（{part}）"
            for label, *cells in yzjh["coefficients"]
            for part, (_, _, passed) in zip(("小学", "初中"), cells, strict=True)
            if passed is False
        ]
        if failing_cv:
            problems.append(f"校际差异系数超过限值的指标：{'、'.join(failing_cv)}。")
    if context["open_items"]:
        problems.append(
            "督导发现尚未销号的整改事项："
            + "，".join(f"{row['area']} {row['n']} 项" for row in context["open_items"])
            + "。"
        )
    for line in problems or ["平台数据未显示需要整改的问题。"]:
        document.add_paragraph(line)

    document.add_heading("五、整改措施", level=1)
    measures = []
    if yzjh is not None:
        for key in YZJH_KEYS:
            index = YZJH_KEYS.index(key)
            schools = [
                (school, marks[index][0])
                for school, marks, verdict in yzjh["rows"]
                if not verdict and marks[index][2] == "fail" and marks[index][0] is not None
            ]
            gaps = [(school, resource_gap(value, key)) for school, value in schools]
            gaps = [(school, gap) for school, gap in gaps if gap]
            if gaps:
                measures.append(
                    f"{RESOURCES[key][0]}：{len(gaps)} 所学校未达标，"
                    + "；".join(f"{school.name}{gap}" for school, gap in gaps[:10])
                    + ("等" if len(gaps) > 10 else "")
                    + "。"
                )
    if context["open_items"]:
        measures.append("对督导发现的问题逐项整改，按期销号，逾期事项报镇街和区教体局督办。")
    for line in measures or ["巩固现有成果，持续监测各项指标。"]:
        document.add_paragraph(line)


def _resource_sections(document, yzjh: dict) -> None:
    document.add_heading("三、资源配置（逐校与校际差异系数）", level=1)
    document.add_heading("（一）校际差异系数", level=2)
    add_table(
        document,
        ["指标", "小学", "初中"],
        [
            [label, *[_coefficient(cell) for cell in cells]]
            for label, *cells in yzjh["coefficients"]
        ],
        widths_mm=[80, 38, 38],
    )
    document.add_heading("（二）逐校达标情况", level=2)
    document.add_paragraph(
        f"每校 7 项指标至少 6 项达标，其余 1 项不低于标准的 {yzjh['partial'] * 100:g}%。"
        "表中 √ 达标、△ 不低于标准的规定比例、× 未达标。"
    )
    add_table(
        document,
        ["学校", *[f"R{n}" for n in range(1, 8)], "结论"],
        [
            [
                school.name,
                *[
                    "—" if value is None else f"{short(value.value)}{MARK_SIGNS.get(cell, '')}"
                    for value, _, cell in marks
                ],
                "达标" if verdict else "未达标",
            ]
            for school, marks, verdict in yzjh["rows"]
        ],
        widths_mm=[38, *[14] * 7, 16],
    )
    document.add_paragraph(
        "R1—R7："
        + "；".join(f"R{n} {RESOURCES[key][0]}" for n, key in enumerate(YZJH_KEYS, start=1))
        + "。",
        style="公文表格",
    )


def short(value: float) -> str:
    """Three significant digits, whole numbers from 1,000 on (no exponent in print)."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _coefficient(cell) -> str:
    value, limit, passed = cell
    if value is None:
        return "—"
    verdict = {True: "达标", False: "超限", None: ""}[passed]
    return f"{value:.3f} / {limit}（{verdict}）" if verdict else f"{value:.3f} / {limit}"
