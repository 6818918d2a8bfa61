"""Hotline fixtures on top of the shared personas: the National Day 2025 holidays and a call
about school A, logged by the bureau."""

import datetime as dt

import pytest

from ruraledu.reporting.choices import CalendarDayKind
from ruraledu.reporting.models import CalendarDay

from .. import services

CALLER = ("赵来电", "13905330001")
RECEIVED_ON = dt.date(2025, 9, 26)  # a Friday
ASSIGNED_ON = dt.date(2025, 9, 29)  # a Monday; 1–8 October off, 11 October worked


@pytest.fixture(autouse=True)
def _calendar(db):
    CalendarDay.objects.all().delete()
    for day in range(1, 9):
        CalendarDay.objects.create(
            date=dt.date(2025, 10, day), kind=CalendarDayKind.HOLIDAY, name="国庆节、中秋节"
        )
    CalendarDay.objects.create(date=dt.date(2026, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.WORKDAY, name="国庆调休")


@pytest.fixture
def complaint(district_admin, school_a):
    return services.complaint_log(
        actor=district_admin,
        channel="phone",
        received_on=RECEIVED_ON,
        unit=school_a.org_unit,
        topic="乱收费",
        question="学校向学生收取资料费每人两百元",
        caller_name=CALLER[0],
        caller_phone=CALLER[1],
    )


def assign(complaint, actor, unit=None, department=None, on=ASSIGNED_ON):
    complaint.refresh_from_db()
    return services.complaint_assign(
        actor=actor,
        complaint=complaint,
        version=complaint.version,
        assigned_on=on,
        unit=unit,
        department=department,
    )


def answer(complaint, actor, on=dt.date(2025, 10, 15)):
    complaint.refresh_from_db()
    return services.complaint_answer(
        actor=actor,
        complaint=complaint,
        version=complaint.version,
        text="经核实已停止收费并全额退还",
        answered_on=on,
    )


def close(complaint, actor, on=dt.date(2025, 10, 16)):
    complaint.refresh_from_db()
    return services.complaint_close(
        actor=actor, complaint=complaint, version=complaint.version, closed_on=on, note="已回复"
    )
