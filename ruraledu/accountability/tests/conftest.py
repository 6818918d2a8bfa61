"""问责 fixtures: a project led by the health department (persona `department_reporter`),
reported quarterly from 2026, and an overdue rectification item at school A."""

import datetime as dt

import pytest

from ruraledu.core.models import SchoolYear
from ruraledu.orgunits.tests.factories import DepartmentFactory
from ruraledu.plans.choices import ResponsibilityRole
from ruraledu.reporting import services as reporting
from ruraledu.reporting.choices import CalendarDayKind
from ruraledu.reporting.models import CalendarDay
from ruraledu.reporting.tests.factories import ProjectFactory, ResponsibilityFactory
from ruraledu.supervision import services as supervision
from ruraledu.supervision.tests.conftest import (  # noqa: F401 - fixtures
    inspector,
    items_of,
    kind,
    signed_visit_with_findings,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Q1 2026 ends 31 March; ten working days later (Qingming 4–6 April off) is 15 April
REPORT_DEADLINE = dt.date(2026, 4, 15)
ITEM_DEADLINE = dt.date(2025, 10, 20)


@pytest.fixture(autouse=True)
def _calendar(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    CalendarDay.objects.all().delete()
    holidays = [dt.date(2025, 10, d) for d in range(1, 9)]
    holidays += [dt.date(2025, 1, 1), dt.date(2026, 1, 1)]
    holidays += [dt.date(2026, 4, d) for d in (4, 5, 6)]
    for day in holidays:
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.HOLIDAY, name="节假日")
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.WORKDAY, name="国庆调休")
    # the overdue item's inspector holds school A by an assignment of this school year
    SchoolYear.objects.get_or_create(year=2025, defaults={"is_current": True})


@pytest.fixture
def partner(db):
    return DepartmentFactory(code="finance", name="区财政局")


@pytest.fixture
def project(department, partner):
    project = ProjectFactory(name="乡村学校卫生健康工程")
    ResponsibilityFactory(project=project, department=department, role=ResponsibilityRole.LEAD)
    ResponsibilityFactory(project=project, department=partner, role=ResponsibilityRole.PARTNER)
    return project


@pytest.fixture
def schedule(project, department, partner, district_admin):
    return reporting.schedule_set(
        project=project,
        actor=district_admin,
        frequency="quarterly",
        deadline_working_days=10,
        starts_on=dt.date(2026, 1, 1),
        departments=[department, partner],
        today=dt.date(2026, 4, 29),
    )


@pytest.fixture
def overdue_item(inspector, kind, school_a):  # noqa: F811 - the imported fixtures
    visit, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    items = items_of(findings, inspector, deadline=ITEM_DEADLINE)
    supervision.notice_issue(actor=inspector, items=items, issued_on=dt.date(2025, 9, 23))
    return items[0]
