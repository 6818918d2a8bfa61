"""Care personas beside the shared ones: the school's 控辍保学 officer, a pupil of school A
who has stopped coming, and a helper that opens a case and walks it to a status."""

import datetime as dt

import pytest

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.core.models import SchoolYear
from ruraledu.reporting.choices import CalendarDayKind
from ruraledu.reporting.models import CalendarDay
from ruraledu.spreadsheets.testing import new_id
from ruraledu.students.models import Enrolment, StudentPerson, Transfer
from ruraledu.students.services import transfer_confirm

from .. import services
from ..choices import CaseCategory, CaseFileKind, CaseSource, CaseStatus, ContactKind

YEAR = 2025
# a plain PDF the evidence checks accept: stands for a scanned hospital certificate
CERTIFICATE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
FOUND_ON = dt.date(2025, 9, 22)  # a Monday


@pytest.fixture(autouse=True)
def _calendar(db):
    """National Day 2025 as the State Council set it: 1–8 October off, 28 September and
    11 October (weekend days) worked in exchange."""
    CalendarDay.objects.all().delete()
    for day in range(1, 9):
        CalendarDay.objects.create(
            date=dt.date(2025, 10, day), kind=CalendarDayKind.HOLIDAY, name="国庆节、中秋节"
        )
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.HOLIDAY, name="元旦")
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.WORKDAY, name="国庆调休")


def make_pupil(school, name="王小明", year=YEAR, grade=7, family_status=""):
    SchoolYear.objects.get_or_create(year=year, defaults={"is_current": True})
    person = StudentPerson(name=name, sex="1", birth_date=dt.date(2012, 5, 1))
    person.set_id_number(new_id())
    person.save()
    Enrolment.objects.create(
        person=person, school=school, year=year, grade=grade, family_status=family_status
    )
    return person


@pytest.fixture
def pupil(school_a):
    return make_pupil(school_a)


@pytest.fixture
def care_officer(school_a):
    user = UserFactory(username="care_officer", full_name="赵专干")
    RoleAssignmentFactory(user=user, role=Role.SCHOOL_CARE_OFFICER, org_unit=school_a.org_unit)
    return user


@pytest.fixture
def inspector(school_a):
    user = UserFactory(username="inspector")
    RoleAssignmentFactory(user=user, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    return user


def open_case(person, actor, on=FOUND_ON):
    case, _ = services.case_open(
        person=person,
        category=CaseCategory.SUSPECTED_DROPOUT,
        source=CaseSource.SCHOOL,
        opened_on=on,
        actor=actor,
        year=YEAR,
    )
    return case


WALK_PLAN = "李老师每周家访一次，张三做家长思想工作，两周内劝返"


def walk(case, actor, to: str, town_actor=None):
    """Take a found case to `to` by the ordinary steps (town steps by `town_actor`); an
    assigned case has its written plan."""
    order = [
        CaseStatus.ASSIGNED,
        CaseStatus.CONTACTING,
        CaseStatus.ESCALATED_TOWN,
        CaseStatus.ESCALATED_DISTRICT,
    ]
    on = case.opened_on
    for step in order[: order.index(to) + 1] if to in order else order[:2]:
        case.refresh_from_db()
        if step == CaseStatus.ASSIGNED:
            services.case_assign(
                case=case,
                actor=actor,
                version=case.version,
                on=on,
                teacher_name="李老师",
                village_cadre="村支书 张三",
            )
            # the written plan comes before persuasion and the town's notice
            case.refresh_from_db()
            services.case_plan_set(
                case=case, actor=actor, version=case.version, on=on, plan=WALK_PLAN
            )
        elif step == CaseStatus.CONTACTING:
            services.case_contact_add(
                case=case,
                actor=actor,
                version=case.version,
                kind=ContactKind.HOME_VISIT,
                on=on,
                who="李老师、张三",
                outcome="家长同意劝说孩子返校",
                next_step="三天后回访",
            )
        elif step == CaseStatus.ESCALATED_TOWN:
            services.case_escalate(
                case=case, actor=town_actor, version=case.version, on=on, guardian="王大山"
            )
        else:
            services.case_escalate(
                case=case,
                actor=town_actor,
                version=case.version,
                on=on,
                procedure="提请镇人民政府送达责令改正通知书",
            )
    case.refresh_from_db()
    if to in (CaseStatus.RETURNED, CaseStatus.PLACED, CaseStatus.SICK_LEAVE):
        services.case_resolve(
            case=case,
            actor=actor,
            version=case.version,
            outcome=to,
            on=on,
            certificate_number="ZB-2025-001",
            certificate_issuer="区人民医院",
            placement_note="区特殊教育学校",
        )
        case.refresh_from_db()
    if to == CaseStatus.SICK_LEAVE:
        upload_certificate(case, actor)
    return case


def upload_certificate(case, actor):
    case.refresh_from_db()
    services.case_file_add(
        case=case,
        actor=actor,
        version=case.version,
        kind=CaseFileKind.CERTIFICATE,
        data=CERTIFICATE_PDF,
        filename="诊断证明.pdf",
    )
    case.refresh_from_db()
    return case


def confirm_transfer(person_id: int, to_school, by):
    """The pupil's 转学 to `to_school`, asked by that school and confirmed by `by`."""
    enrolment = Enrolment.objects.get(person=person_id)
    transfer = Transfer.objects.create(
        person_id=person_id,
        year=enrolment.year,
        from_school=enrolment.school,
        to_school=to_school,
        grade=enrolment.grade,
        requested_by=by,
    )
    return transfer_confirm(transfer=transfer, actor=by)
