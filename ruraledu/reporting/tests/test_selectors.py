"""Reads: what is owed, and a fixed number of queries whatever the number of reports."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.reporting import selectors, services

from .conftest import TODAY, fill, start


def test_expected_reports_cover_every_unit_and_started_period(schedule):
    rows = selectors.expected_reports(today=TODAY)
    assert sorted((r.period.label, str(r.unit)) for r in rows) == [
        ("2026年第1季度", "区卫生健康局"),
        ("2026年第1季度", "甲镇中心小学"),
        ("2026年第2季度", "区卫生健康局"),
        ("2026年第2季度", "甲镇中心小学"),
    ]
    assert [r.is_overdue(TODAY) for r in rows] == [True, True, False, False]


def test_my_reports_sorts_overdue_todo_and_waiting(submitted, department_reporter):
    mine = selectors.my_reports(user=department_reporter, today=TODAY)
    assert [r.report.pk for r in mine["waiting"]] == [submitted.pk]
    assert [(r.period.label, r.report) for r in mine["todo"]] == [("2026年第2季度", None)]
    assert mine["overdue"] == []


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["reporting:review_queue", "reporting:my_reports"])
def test_pages_take_a_fixed_number_of_queries(
    client, schedule, period, department, department_reporter, district_admin, milestone, url_name
):
    # given one department's submitted report
    report = fill(
        start(period, department_reporter, department=department), department_reporter, milestone
    )
    services.report_submit(report=report, actor=department_reporter)
    user = district_admin if url_name == "reporting:review_queue" else department_reporter
    client.force_login(user)
    url = reverse(url_name)
    client.get(url)  # warm caches (content types, sessions)
    before = queries(client, url)
    # when three more departments report
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory

    for n in range(3):
        other = DepartmentFactory(code=f"other-{n}", name=f"其他部门{n}")
        schedule.departments.add(other)
        RoleAssignmentFactory(
            user=department_reporter, role=Role.DEPARTMENT_REPORTER, department=other
        )
        department_reporter._role_assignment_cache = None
        other_report = fill(
            start(period, department_reporter, department=other), department_reporter, milestone
        )
        services.report_submit(report=other_report, actor=department_reporter)
    # then the page takes as many queries as before
    assert queries(client, url) == before


def test_a_new_quarter_appears_without_the_daily_job(schedule):
    # the schedule was synced on 2026-05-10 (Q1, Q2); on 2026-07-02 Q3 has begun
    assert services.periods_ensure_current(today=TODAY) == 0
    assert services.periods_ensure_current(today=dt.date(2026, 7, 2)) == 1
    labels = [r.period.label for r in selectors.expected_reports(today=dt.date(2026, 7, 2))]
    assert "2026年第3季度" in labels


def late_badges(client, url) -> int:
    return client.get(url).content.decode().count('data-testid="late"')


def test_a_report_first_handed_in_after_its_deadline_is_marked_late(
    client, submitted, district_admin, department_reporter, period
):
    """Q1 2026 was due 2026-04-15: handed in today, it is late on every page listing it."""
    from ruraledu.reporting.choices import ReportEventKind
    from ruraledu.reporting.models import ReportEvent

    pages = [
        reverse("reporting:review_queue"),
        reverse("reporting:project_reports", args=[period.project.number]),
        reverse("reporting:report_detail", args=[submitted.pk]),
    ]
    client.force_login(district_admin)
    assert [late_badges(client, url) for url in pages] == [1, 1, 1]
    # handed in on the deadline, it is not
    ReportEvent.objects.filter(report=submitted, kind=ReportEventKind.SUBMITTED).update(
        at=dt.datetime(2026, 4, 15, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    )
    assert [late_badges(client, url) for url in pages] == [0, 0, 0]
    # nor once the bureau returned it and the unit resubmitted it after the deadline
    report = services.report_return(
        report=submitted,
        actor=district_admin,
        reason="请补充。",
        expected_version=submitted.version,
    )
    services.report_resubmit(
        report=report, actor=department_reporter, expected_version=report.version
    )
    assert [late_badges(client, url) for url in pages] == [0, 0, 0]
