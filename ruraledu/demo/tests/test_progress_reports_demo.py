"""The demo's progress reports: the last ended quarter of three of the demo department's
projects, one approved, one handed in late and waiting, one returned; made once."""

import datetime as dt

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.demo.reporting import progress_reports_demo_setup, reporting_demo_setup
from ruraledu.orgunits.models import Department
from ruraledu.reporting.choices import ReportStatus
from ruraledu.reporting.models import ProgressReport

TODAY = dt.date(2026, 12, 7)


def test_the_demo_department_hands_in_an_approved_a_late_and_a_returned_report(
    zichuan_plan, district_admin
):
    reporter = UserFactory(username="hr_reporter")
    RoleAssignmentFactory(
        user=reporter,
        role=Role.DEPARTMENT_REPORTER,
        department=Department.objects.get(code="human-resources"),
    )
    reporting_demo_setup(today=TODAY)
    made = progress_reports_demo_setup(reporter=reporter, reviewer=district_admin, today=TODAY)
    reports = list(
        ProgressReport.objects.with_first_submission()
        .select_related("period__project")
        .order_by("period__project__number")
    )
    assert made == len(reports) == 3
    assert [r.status for r in reports] == [
        ReportStatus.APPROVED,
        ReportStatus.SUBMITTED,
        ReportStatus.RETURNED,
    ]
    assert [r.handed_in_late for r in reports] == [False, True, False]
    assert all(r.period.ends_on < TODAY and r.period.project.number != 25 for r in reports)
    # once: a second start adds nothing
    assert progress_reports_demo_setup(reporter=reporter, reviewer=district_admin, today=TODAY) == 0
    assert ProgressReport.objects.count() == 3
