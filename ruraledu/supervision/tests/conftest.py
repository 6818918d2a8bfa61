"""Supervision personas beside the shared ones: the 挂牌 inspector of school A, a researcher
linked to school A, a published checklist, and helpers that walk a visit and its items."""

import datetime as dt
from io import BytesIO

import pytest
from PIL import Image

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.reporting.choices import CalendarDayKind
from ruraledu.reporting.models import CalendarDay
from ruraledu.spreadsheets.testing import new_id
from ruraledu.workforce.models import StaffPerson

from .. import services
from ..choices import Verdict

YEAR = 2025
VISITED_ON = dt.date(2025, 9, 22)  # a Monday


@pytest.fixture(autouse=True)
def _calendar(db):
    """National Day 2025: 1–8 October off, 28 September and 11 October worked in exchange."""
    CalendarDay.objects.all().delete()
    for day in range(1, 9):
        CalendarDay.objects.create(
            date=dt.date(2025, 10, day), kind=CalendarDayKind.HOLIDAY, name="国庆节、中秋节"
        )
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.HOLIDAY, name="元旦")
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.WORKDAY, name="国庆调休")
    SchoolYear.objects.get_or_create(year=YEAR, defaults={"is_current": True})


@pytest.fixture
def inspector(district_admin, school_a):
    user = UserFactory(username="inspector", full_name="李督学")
    services.inspector_assign(
        actor=district_admin,
        school=school_a,
        inspector=user,
        year=YEAR,
        started_on=dt.date(2025, 9, 1),
        work_phone="0533-5180000",
    )
    return user


@pytest.fixture
def other_inspector(district_admin, school_b):
    user = UserFactory(username="other_inspector", full_name="周督学")
    services.inspector_assign(
        actor=district_admin,
        school=school_b,
        inspector=user,
        year=YEAR,
        started_on=dt.date(2025, 9, 1),
    )
    return user


def staff(name="王教研"):
    person = StaffPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return person


@pytest.fixture
def researcher(district_admin, school_a):
    user = UserFactory(username="researcher", full_name="王教研")
    services.staff_account_link(actor=district_admin, user=user, person=staff())
    services.school_link_assign(actor=district_admin, researcher=user, school=school_a, year=YEAR)
    return user


@pytest.fixture
def kind(district_admin):
    kind = services.visit_kind_save(actor=district_admin, name="经常性督导", visits_per_month=1)
    checklist = services.checklist_draft_save(
        actor=district_admin,
        kind=kind,
        title="经常性督导检查表",
        lines="安全管理：校舍安全隐患排查\n食堂食品安全\n教育教学：课程开齐开足",
    )
    services.checklist_publish(actor=district_admin, checklist=checklist)
    return kind


def jpeg(size=(64, 48), gps=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (36.0, 38.0, 1.0), 3: "E", 4: (117.0, 58.0, 2.0)}
    exif[0x010F] = "PhoneMaker"
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def fill_verdicts(visit, actor, verdict=Verdict.MET):
    return services.visit_update(
        actor=actor,
        visit=visit,
        version=visit.version,
        summary="整体情况良好",
        team="李督学",
        verdicts={i.pk: (verdict, "") for i in visit.checklist.items.all()},
    )


def signed_visit_with_findings(school, inspector, kind, findings=2):
    visit = services.visit_create(actor=inspector, school=school, kind=kind, visited_on=VISITED_ON)
    made = [
        services.finding_add(actor=inspector, visit=visit, area="安全管理", text=f"问题{n}")
        for n in range(1, findings + 1)
    ]
    visit = fill_verdicts(visit, inspector)
    visit = services.visit_sign_off(
        actor=inspector,
        visit=visit,
        version=visit.version,
        principal_name="张校长",
        acknowledged=True,
    )
    return visit, made


def items_of(findings, inspector, deadline=dt.date(2025, 10, 20)):
    return [
        services.item_create(
            actor=inspector,
            finding=f,
            description=f"整改{f.text}",
            deadline=deadline,
            responsible="王主任",
            rule="《中小学校安全管理办法》",
        )
        for f in findings
    ]
