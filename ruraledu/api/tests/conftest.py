"""API fixtures on the shared personas: values, reports and import jobs in town A / school A
(inside the school clerk's and town officer's reach) and in town B / school B (outside)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.api.tokens import token_create
from ruraledu.core.models import SchoolYear
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.reporting import services as reporting
from ruraledu.reporting.models import ReportingPeriod
from ruraledu.reporting.tests.factories import MilestoneFactory, ProjectFactory
from ruraledu.spreadsheets.models import ImportJob

TODAY = dt.date(2026, 5, 10)
YEAR = 2024


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_throttle(django_db_setup, django_db_blocker):
    from django.core.cache import caches

    from ruraledu.api.auth import THROTTLE_CACHE

    # the counts' table outlives transactional tests (flush leaves it), so empty it each time
    with django_db_blocker.unblock():
        caches[THROTTLE_CACHE].clear()


@pytest.fixture
def school_year(db):
    """The install's current school year, the one after YEAR: uploads may then be for YEAR - 4
    up to YEAR + 2, whatever today's date."""
    return SchoolYear.objects.create(year=YEAR + 1, is_current=True)


def code_of_rate() -> str:
    """A registered indicator with a denominator (a rate)."""
    return sorted(c for c, i in REGISTRY.items() if i.denominator is not None)[0]


def token_client(user, *, can_write=True, days=30) -> APIClient:
    _, secret = token_create(user=user, name="测试", days=days, can_write=can_write)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def values(district, town_a, town_b, school_a, school_b):
    code = code_of_rate()
    now = timezone.now()
    rows = {}
    for unit, (num, den) in {
        district: (150, 200),
        town_a: (90, 100),
        town_b: (60, 100),
        school_a.org_unit: (45, 50),
        school_b.org_unit: (30, 50),
    }.items():
        rows[unit.code] = IndicatorValue.objects.create(
            code=code,
            unit=unit,
            year=YEAR,
            value=num / den * 100,
            numerator=num,
            denominator=den,
            computed_at=now,
        )
    return rows


@pytest.fixture
def inspector(school_a):
    user = UserFactory(username="inspector")
    RoleAssignmentFactory(user=user, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    return user


@pytest.fixture
def researcher(town_a):
    user = UserFactory(username="researcher")
    RoleAssignmentFactory(user=user, role=Role.RESEARCHER, org_unit=town_a)
    return user


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="care_officer")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


@pytest.fixture
def reports(district_admin, school_clerk, outsider, school_a, school_b):
    """One draft report each for school A and school B on a quarterly project."""
    project = ProjectFactory(name="乡村教师补充工程")
    MilestoneFactory(project=project, code="P01-1", text="制度基本建立")
    reporting.schedule_set(
        project=project,
        actor=district_admin,
        frequency="quarterly",
        deadline_working_days=10,
        starts_on=dt.date(2026, 1, 1),
        departments=[],
        org_units=[school_a.org_unit, school_b.org_unit],
        today=TODAY,
    )
    period = ReportingPeriod.objects.get(project=project, starts_on=dt.date(2026, 1, 1))
    return {
        "SA": reporting.report_start(
            period=period, actor=school_clerk, org_unit=school_a.org_unit, today=TODAY
        ),
        "SB": reporting.report_start(
            period=period, actor=outsider, org_unit=school_b.org_unit, today=TODAY
        ),
    }


def import_job(user) -> ImportJob:
    job = ImportJob(kind="schools", year=YEAR, filename="学校.xlsx", created_by=user)
    job.file.save("upload.xlsx", ContentFile(b"x"), save=False)
    job.save()
    return job
