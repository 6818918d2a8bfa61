"""Reporting fixtures on top of the shared personas: a project reported on quarterly by the
health department (persona `department_reporter`) and by school A (`school_clerk`)."""

import datetime as dt

import pytest

from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.plans.choices import ResponsibilityRole
from ruraledu.reporting import services
from ruraledu.reporting.models import ReportingPeriod

from .factories import MeasuredFactory, MilestoneFactory, ProjectFactory, ResponsibilityFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TODAY = dt.date(2026, 5, 10)  # services take `today`; Q1 2026 is due 2026-04-15


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def bureau_department(db):
    return DepartmentFactory(code="education", name="区教体局")


@pytest.fixture
def project(db, department, bureau_department):
    project = ProjectFactory(name="乡村教师补充工程")
    ResponsibilityFactory(
        project=project, department=bureau_department, role=ResponsibilityRole.LEAD
    )
    ResponsibilityFactory(project=project, department=department, role=ResponsibilityRole.PARTNER)
    return project


@pytest.fixture
def milestone(project):
    return MilestoneFactory(project=project, code="P01-1", text="制度基本建立")


@pytest.fixture
def measured(project):
    return MeasuredFactory(project=project, code="P01-2", text="补充教师比例")


@pytest.fixture
def schedule(project, milestone, measured, department, school_a, district_admin):
    return services.schedule_set(
        project=project,
        actor=district_admin,
        frequency="quarterly",
        deadline_working_days=10,
        starts_on=dt.date(2026, 1, 1),
        departments=[department],
        org_units=[school_a.org_unit],
        today=TODAY,
    )


@pytest.fixture
def period(schedule):
    return ReportingPeriod.objects.get(project=schedule.project, starts_on=dt.date(2026, 1, 1))


@pytest.fixture
def second_admin(district):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory

    user = UserFactory(username="second_admin", email="second@example.org")
    RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, org_unit=district)
    return user


def start(period, reporter, **unit):
    return services.report_start(period=period, actor=reporter, today=TODAY, **unit)


def fill(report, reporter, milestone, *, progress="done", evidence=True):
    """A complete report: text, the milestone's progress and (for 已完成) its evidence."""
    report = services.report_update(
        report=report,
        actor=reporter,
        expected_version=report.version,
        work_done="完成了新任教师招聘。",
        problems="",
        next_steps="继续推进。",
        lines={milestone.pk: {"progress": progress, "note": "已印发文件"}},
    )
    if evidence:
        services.evidence_add(
            report=report, actor=reporter, data=PDF, filename="印发文件.pdf", target=milestone
        )
        report.refresh_from_db()
    return report


@pytest.fixture
def draft(period, department_reporter, department):
    return start(period, department_reporter, department=department)


@pytest.fixture
def submitted(draft, department_reporter, milestone):
    report = fill(draft, department_reporter, milestone)
    return services.report_submit(
        report=report, actor=department_reporter, expected_version=report.version
    )
