"""The plan's quarterly or annual progress report (进展情况报告): context builder and body."""

import datetime as dt
import html
from collections import Counter, defaultdict
from types import SimpleNamespace

from django.utils import timezone
from django.utils.html import strip_tags

from ruraledu.dashboards.selectors import dashboard_project, headline_figures
from ruraledu.indicators.choices import TargetStatus
from ruraledu.indicators.models import TargetStatusChange
from ruraledu.indicators.selectors import target_statuses_at
from ruraledu.indicators.templatetags.figures import vs
from ruraledu.indicators.versions import version_label
from ruraledu.plans.models import Plan, Target, chinese_number
from ruraledu.reporting.choices import ReportStatus
from ruraledu.reporting.models import ProgressReport
from ruraledu.reporting.selectors import expected_reports

from . import charts
from .gongwen import add_figure, add_table
from .periods import Period


def plain_figure(figure, target) -> str:
    """A figure as the pages show it against its target (`vs`), as plain text."""
    return html.unescape(strip_tags(vs(figure, target)))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def build_context(
    *,
    plan: Plan,
    period: Period,
    user,
    now: dt.datetime | None = None,
    project_number: int | None = None,
) -> dict:
    """Everything the report states, read from the stored values, states and reports; with
    `project_number` the second part covers that key project only. Target statuses and their
    changes are as at the period's end (as at `now` while it runs); the project tables and
    the overdue units are current, and the document says so."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # a period not over yet is reported as it stands when the document is made
    as_at = min(_start_of(period.end + dt.timedelta(days=1)), now)
    ended = as_at < now
    targets = list(Target.objects.filter(plan=plan).select_related("state"))
    counts = Counter(target_statuses_at(plan=plan, at=as_at).values())
    changes = list(
        TargetStatusChange.objects.filter(
            target__plan=plan, changed_at__gte=_start_of(period.start), changed_at__lt=as_at
        )
        .exclude(previous="")
        .select_related("target")
        .order_by("changed_at", "pk")
    )
    sections = []
    for section in plan.sections.order_by("number").prefetch_related("projects"):
        projects = []
        for project in sorted(section.projects.all(), key=lambda p: p.number):
            if project_number is not None and project.number != project_number:
                continue
            rows = dashboard_project(project=project, user=user)["rows"]
            projects.append((project, rows))
        if project_number is None or projects:
            sections.append((section, projects))
    # reports are due after their period closes: pick them by the period they report on,
    # approved at any time up to now
    approved = list(
        ProgressReport.objects.filter(
            period__project__plan=plan,
            period__ends_on__gte=period.start,
            period__ends_on__lte=period.end,
            status=ReportStatus.APPROVED,
            reviewed_at__lte=now,
        )
        .select_related("period__project", "department", "org_unit")
        .order_by("period__project__number", "period__starts_on", "pk")
    )
    overdue = defaultdict(list)
    for row in expected_reports(today=today):
        if row.period.project.plan_id == plan.pk and row.period.starts_on <= period.end:
            if row.is_overdue(today):
                overdue[str(row.unit)].append(row)
    title = f"{plan.title}{period.label}进展情况报告"
    if project_number is not None:
        title += f"（重点项目{project_number}）"
    return {
        "title": title,
        # the plan's name may fill a title alone (both hold 200 characters)
        "title_advice": "标题由方案名称和报告期组成，请缩短方案名称后再生成。",
        "plan": plan,
        "period": period,
        "generated_at": timezone.localtime(now),
        "ended": ended,
        # the day the target statuses are counted at: the period's last day, or today
        "as_of": period.end if ended else today,
        "total": len(targets),
        "counts": [(s, TargetStatus(s).label, counts[s]) for s in TargetStatus.values if counts[s]],
        "changes": changes,
        "sections": sections,
        "approved": approved,
        "overdue": sorted(overdue.items(), key=lambda item: (-len(item[1]), item[0])),
        # the cockpit's headline figures: the same stored district values its charts show
        "headlines": headline_figures(targets),
    }


def chart_stamp(context: dict) -> str:
    return f"数据版本 {version_label(context['data_version'])} · 生成于 {context['generated_at']:%Y-%m-%d %H:%M}"


def write_charts(document, context: dict) -> None:
    stamp = chart_stamp(context)
    counts = context["counts"]
    if counts:
        add_figure(
            document,
            charts.status_bars(counts=counts, stamp=stamp),
            f"图1 目标状态分布（截至{context['as_of']:%Y-%m-%d}，{stamp}）",
            "；".join(f"{label} {n} 个" for _, label, n in counts),
        )
    headlines = [f for f in context["headlines"] if f["points"]]
    if headlines:
        add_figure(
            document,
            charts.small_multiples(
                panels=[(f["label"], f["unit"], f["points"]) for f in headlines], stamp=stamp
            ),
            f"图2 主要指标逐年变化（全区，{stamp}）",
            "；".join(
                f"{f['label']}："
                + "，".join(f"{year}学年 {_headline(f, value)}" for year, value in f["points"])
                for f in headlines
            ),
            width_mm=156,
        )


def _headline(figure: dict, value: float) -> str:
    # as the tables print it: against the target when there is one, else in the indicator's unit
    return plain_figure(SimpleNamespace(value=value, code=figure["code"]), figure["target"])


def _where(values, target) -> str:
    return "；".join(f"{v.unit.name} {plain_figure(v, target)}" for v in values)


def _tally(context: dict) -> str:
    """Each status's count, and the targets not evaluated by then, so the parts add up."""
    parts = [f"{label} {n} 个" for _, label, n in context["counts"]]
    unjudged = context["total"] - sum(n for *_, n in context["counts"])
    if not parts:
        return "均尚未评估"
    return "，".join(parts + ([f"未评估 {unjudged} 个"] if unjudged else []))


def _changed(changes: list) -> str:
    """How many targets changed status; a target may change more than once in a period."""
    if not changes:
        return "报告期内没有目标状态发生变化。"
    targets = len({c.target_id for c in changes})
    if targets == len(changes):
        return f"报告期内共有 {targets} 个目标状态发生变化。"
    return f"报告期内共有 {targets} 个目标状态发生变化，共变化 {len(changes)} 次。"


def _overdue_reports(rows) -> str:
    """A unit's overdue reports, each key project named once with its periods in order."""
    periods = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.period.project.number, r.period.deadline)):
        periods[row.period.project].append(row.period)
    return "；".join(
        f"{project.number}. {project.name}："
        + "、".join(f"{p.label}（{p.deadline:%Y-%m-%d}截止）" for p in due)
        for project, due in periods.items()
    )


def write_body(document, context: dict) -> None:
    period = context["period"]
    as_of = f"{context['as_of']:%Y年%m月%d日}"
    today = f"{context['generated_at']:%Y年%m月%d日}"
    if context["ended"]:
        # indicator values are kept as last computed, without their history
        scope = (
            f"目标状态的统计和变化为截至报告期末（{as_of}）的情况；各项重点任务的最新值、状态、"
            f"未达标的镇街和学校，主要指标逐年变化图，以及逾期未报的单位，为截至{today}的当前数据"
        )
    else:
        scope = f"报告期尚未结束，全部数字为截至生成日（{today}）的情况"
    document.add_paragraph(
        f"本报告反映{period.label}（{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}）"
        f"《{context['plan'].title}》的推进情况。{scope}。"
        "全部数字取自平台同一数据版本的计算结果。"
    )

    document.add_heading("一、总体情况", level=1)
    document.add_paragraph(f"截至{as_of}，方案共有目标 {context['total']} 个：{_tally(context)}。")
    changes = context["changes"]
    write_charts(document, context)
    document.add_paragraph(_changed(changes))
    if changes:
        add_table(
            document,
            ["目标", "原状态", "新状态", "值", "时间"],
            [
                [
                    c.target.code,
                    c.get_previous_display(),
                    c.get_status_display(),
                    "—" if c.value is None else plain_figure(c.value, c.target),
                    f"{timezone.localtime(c.changed_at):%Y-%m-%d}",
                ]
                for c in changes
            ],
        )

    document.add_heading("二、各项重点任务进展", level=1)
    if context["ended"]:
        document.add_paragraph(f"本部分的最新值、状态和未达标单位为截至{today}的当前数据。")
    for section, projects in context["sections"]:
        document.add_heading(f"（{chinese_number(section.number)}）{section.title}", level=2)
        if not projects:
            document.add_paragraph("本条目无重点项目。")
        for project, rows in projects:
            document.add_heading(f"{project.number}. {project.name}", level=3)
            if not rows:
                document.add_paragraph("本项目无目标。")
                continue
            add_table(
                document,
                ["代码", "目标", "完成时限", "最新值", "目标值", "状态"],
                [
                    [
                        row["target"].code,
                        row["target"].text,
                        f"{row['target'].due_date:%Y-%m-%d}",
                        plain_figure(row["figure"], row["target"]) if row["state"] else "—",
                        row["target"].threshold_label,
                        row["state"].get_status_display() if row["state"] else "未评估",
                    ]
                    for row in rows
                ],
                widths_mm=[16, 62, 22, 20, 20, 16],
            )
            for row in rows:
                if row["towns"] or row["schools"]:
                    lines = [f"{row['target'].code} 未达到目标值的"]
                    if row["towns"]:
                        lines.append(f"镇街：{_where(row['towns'], row['target'])}")
                    if row["schools"]:
                        lines.append(f"学校：{_where(row['schools'], row['target'])}")
                    document.add_paragraph("，".join(lines[1:]).join([lines[0], "。"]))

    document.add_heading("三、本报告期的进展报告（已审核通过）", level=1)
    approved = context["approved"]
    if approved:
        add_table(
            document,
            ["重点项目", "填报单位", "报告期", "本期工作完成情况", "下步工作打算"],
            [
                [
                    f"{r.period.project.number}. {r.period.project.name}",
                    r.reporter_name,
                    r.period.label,
                    r.work_done or "—",
                    r.next_steps or "—",
                ]
                for r in approved
            ],
            widths_mm=[30, 26, 24, 38, 38],
        )
    else:
        document.add_paragraph(f"截至{today}，本报告期没有审核通过的进展报告。")

    document.add_heading("四、逾期未报的单位", level=1)
    overdue = context["overdue"]
    if overdue:
        document.add_paragraph(f"截至{today}仍逾期未报的单位如下。")
        add_table(
            document,
            ["单位", "逾期份数", "逾期的报告"],
            [
                [
                    unit,
                    str(len(rows)),
                    _overdue_reports(rows),
                ]
                for unit, rows in overdue
            ],
            widths_mm=[36, 18, 102],
        )
    else:
        document.add_paragraph(f"截至{today}没有逾期未报的单位。")
