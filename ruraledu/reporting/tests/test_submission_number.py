"""The version users see is the submission number: 第1版 is the first submission, 第2版 the
resubmission after a return; saving a draft or adding a file in between does not count."""

import re

from django.urls import reverse

from ruraledu.reporting import services
from ruraledu.reporting.models import ReportEvent

from .conftest import PDF


def shown_version(client, report) -> str:
    """What the report's head shows beside 版本 (第 n 版, or 尚未提交 for a draft)."""
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    return re.search(r"版本</dt>\s*<dd[^>]*>(第 \d+ 版|尚未提交)", page).group(1)


def test_a_draft_has_no_version_yet(client, draft, department_reporter):
    # given a draft saved twice
    for text in ("第一稿", "第二稿"):
        draft = services.report_update(
            report=draft,
            actor=department_reporter,
            expected_version=draft.version,
            work_done=text,
            problems="",
            next_steps="",
        )
    client.force_login(department_reporter)
    assert shown_version(client, draft) == "尚未提交"


def test_one_return_and_resubmission_makes_version_two(
    client, submitted, department_reporter, district_admin, milestone
):
    client.force_login(district_admin)
    # given the first submission
    assert shown_version(client, submitted) == "第 1 版"
    # when it is returned, the author saves twice and adds a file, then resubmits
    report = services.report_return(
        report=submitted,
        actor=district_admin,
        reason="补充名单",
        expected_version=submitted.version,
    )
    assert shown_version(client, report) == "第 1 版"
    for text in ("补充后", "再补充"):
        report = services.report_update(
            report=report,
            actor=department_reporter,
            expected_version=report.version,
            work_done=text,
            problems="",
            next_steps="",
        )
    services.evidence_add(report=report, actor=department_reporter, data=PDF, filename="名单.pdf")
    report.refresh_from_db()
    report = services.report_resubmit(
        report=report, actor=department_reporter, expected_version=report.version
    )
    # then the reviewer sees the second version (the lock counter went much further)
    assert report.version > 2
    assert shown_version(client, report) == "第 2 版"
    # and it stays the second version once approved
    report = services.report_approve(
        report=report, actor=district_admin, expected_version=report.version
    )
    assert shown_version(client, report) == "第 2 版"


def test_reports_submitted_before_the_fix_are_counted_from_their_log(
    client, submitted, district_admin
):
    # given a report whose stored counter is far ahead of its submissions (as old data is)
    type(submitted).objects.filter(pk=submitted.pk).update(version=10)
    # then the page counts the submissions in its log
    assert ReportEvent.objects.filter(report=submitted, kind="submitted").count() == 1
    client.force_login(district_admin)
    assert shown_version(client, submitted) == "第 1 版"
