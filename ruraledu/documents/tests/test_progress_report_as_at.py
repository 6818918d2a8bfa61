"""A quarter's progress report states the quarter as it stood at its end: target statuses from
their history, the changes within it, the progress reports on it (approved whenever, up to
the day the document is made). A quarter not over yet is stated as at that day."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from ruraledu.documents import engine
from ruraledu.documents.catalogue import KINDS
from ruraledu.documents.periods import period_parse
from ruraledu.indicators.choices import TargetStatus as S
from ruraledu.indicators.models import TargetState, TargetStatusChange
from ruraledu.plans.models import Target
from ruraledu.reporting.choices import Frequency, ReportStatus
from ruraledu.reporting.models import ProgressReport, ReportingPeriod, ReportingSchedule

from .helpers import docx_text


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour))


NOW = at(12, 6, 10)  # the reviewer's day, inside the fourth quarter


@pytest.fixture
def history(zichuan_plan, district):
    # P16-1 recovers in Q2 and slips in Q4; P24-1 slips in Q3; P01-1 is first judged in Q3
    steps = [
        ("P16-1", at(3, 10), "", S.AT_RISK),
        ("P24-1", at(3, 10), "", S.ON_TRACK),
        ("P16-1", at(5, 20), S.AT_RISK, S.ACHIEVED),
        ("P01-1", at(7, 15), "", S.NO_DATA),
        ("P24-1", at(8, 5), S.ON_TRACK, S.OVERDUE),
        ("P16-1", at(12, 1), S.ACHIEVED, S.OVERDUE),
        ("P01-1", at(12, 7), S.NO_DATA, S.ACHIEVED),  # after the document is made
    ]
    for code, changed_at, previous, status in steps:
        target = Target.objects.get(plan=zichuan_plan, code=code)
        TargetStatusChange.objects.create(
            target=target, previous=previous, status=status, changed_at=changed_at
        )
        # the current state, as each evaluation leaves it
        TargetState.objects.update_or_create(
            target=target, defaults={"status": status, "evaluated_at": changed_at}
        )
    return zichuan_plan


@pytest.fixture
def reports(history, department, district_admin):
    """Project 24's reports by the department: Q1 approved in Q2, Q2 approved in Q3 after a
    return, Q3 still waiting for review."""
    project = history.sections.get(projects__number=24).projects.get(number=24)

    def report(starts_on, ends_on, status, reviewed_at=None):
        period = ReportingPeriod.objects.create(
            project=project,
            frequency=Frequency.QUARTERLY,
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=ends_on + dt.timedelta(days=14),
        )
        return ProgressReport.objects.create(
            period=period,
            department=department,
            status=status,
            work_done=f"{period.label}完成情况",
            next_steps="下步打算",
            created_by=district_admin,
            reviewed_at=reviewed_at,
        )

    report(dt.date(2026, 1, 1), dt.date(2026, 3, 31), ReportStatus.APPROVED, at(4, 20))
    report(dt.date(2026, 4, 1), dt.date(2026, 6, 30), ReportStatus.APPROVED, at(7, 20))
    report(dt.date(2026, 7, 1), dt.date(2026, 9, 30), ReportStatus.RESUBMITTED)
    return history


def generate(plan, key: str, user) -> tuple[str, Document]:
    data, _ = engine.render(
        KINDS["progress_report"], plan=plan, period=period_parse(key), user=user, now=NOW
    )
    docx = Document(io.BytesIO(data))
    return docx_text(docx), docx


def table(docx, first_header: str) -> list[list[str]]:
    for t in docx.tables:
        rows = [[c.text for c in row.cells] for row in t.rows]
        if rows[0][0] == first_header:
            return rows[1:]
    return []


def test_a_quarter_counts_the_statuses_at_its_end(reports, district_admin):
    # the second quarter: P16-1 had recovered, P24-1 was on track, P01-1 not yet judged
    text, docx = generate(reports, "2026-Q2", district_admin)
    assert (
        "截至2026年06月30日，方案共有目标 74 个：已达成 1 个，进展正常 1 个，未评估 72 个。" in text
    )
    assert "报告期内共有 1 个目标状态发生变化。" in text
    assert table(docx, "目标") == [["P16-1", "存在风险", "已达成", "—", "2026-05-20"]]
    assert "目标状态的统计和变化为截至报告期末（2026年06月30日）的情况" in text
    assert "为截至2026年12月06日的当前数据" in text

    # the third quarter: P24-1 slipped; P01-1's first judgement is no change
    text, docx = generate(reports, "2026-Q3", district_admin)
    assert (
        "截至2026年09月30日，方案共有目标 74 个：已达成 1 个，已逾期 1 个，缺少数据 1 个，未评估 71 个。"
    ) in text
    assert table(docx, "目标") == [["P24-1", "进展正常", "已逾期", "—", "2026-08-05"]]


def test_a_quarter_not_over_is_stated_as_at_the_day_it_is_made(reports, district_admin):
    text, docx = generate(reports, "2026-Q4", district_admin)
    assert "报告期尚未结束，全部数字为截至生成日（2026年12月06日）的情况" in text
    # the change of 12-07 has not happened yet on 12-06
    assert (
        "截至2026年12月06日，方案共有目标 74 个：已逾期 2 个，缺少数据 1 个，未评估 71 个。" in text
    )
    assert table(docx, "目标") == [["P16-1", "已达成", "已逾期", "—", "2026-12-01"]]
    assert "本部分的最新值" not in text  # nothing in it is older than the rest


def test_a_quarter_lists_the_reports_on_it_whenever_approved(reports, district_admin):
    rows, texts = {}, {}
    for key in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        texts[key], docx = generate(reports, key, district_admin)
        rows[key] = [(r[1], r[2], r[3]) for r in table(docx, "重点项目")]
    assert rows == {
        "2026-Q1": [("区卫生健康局", "2026年第1季度", "2026年第1季度完成情况")],
        "2026-Q2": [("区卫生健康局", "2026年第2季度", "2026年第2季度完成情况")],
        # the third quarter's report still waits for review
        "2026-Q3": [],
        "2026-Q4": [],
    }
    assert "截至2026年12月06日，本报告期没有审核通过的进展报告。" in texts["2026-Q3"]
    # a year lists the reports on every period ending in it
    _, docx = generate(reports, "2026-Y", district_admin)
    assert [r[2] for r in table(docx, "重点项目")] == ["2026年第1季度", "2026年第2季度"]


def test_a_target_changing_twice_counts_once_with_the_changes_said(reports, district_admin):
    # in 2026 up to the day it is made: P16-1 changed twice, P24-1 once
    text, docx = generate(reports, "2026-Y", district_admin)
    assert "报告期内共有 2 个目标状态发生变化，共变化 3 次。" in text
    assert [r[0] for r in table(docx, "目标")] == ["P16-1", "P24-1", "P16-1"]


def test_a_quarter_before_any_evaluation_says_so(zichuan_plan, district_admin):
    text, _ = generate(zichuan_plan, "2026-Q1", district_admin)
    assert "截至2026年03月31日，方案共有目标 74 个：均尚未评估。" in text
    assert "报告期内没有目标状态发生变化。" in text


def test_a_units_overdue_reports_name_each_project_once(reports, department, district_admin):
    # the department owes project 24's third quarter (sent back) and project 22's first two
    plan = reports
    project = plan.sections.get(projects__number=22).projects.get(number=22)
    for number in (24, 22):
        schedule = ReportingSchedule.objects.create(
            project=plan.sections.get(projects__number=number).projects.get(number=number),
            frequency=Frequency.QUARTERLY,
            starts_on=dt.date(2026, 1, 1),
        )
        schedule.departments.add(department)
    for starts_on, ends_on in (
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ):
        ReportingPeriod.objects.create(
            project=project,
            frequency=Frequency.QUARTERLY,
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=ends_on + dt.timedelta(days=14),
        )
    ProgressReport.objects.filter(status=ReportStatus.RESUBMITTED).update(
        status=ReportStatus.RETURNED
    )
    _, docx = generate(plan, "2026-Q4", district_admin)
    assert table(docx, "单位") == [
        [
            "区卫生健康局",
            "3",
            "22. 乡村教师补充工程：2026年第1季度（2026-04-14截止）、2026年第2季度（2026-07-14截止）；"
            "24. 乡村幼儿园教师配备计划：2026年第3季度（2026-10-14截止）",
        ]
    ]
