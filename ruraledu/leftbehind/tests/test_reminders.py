"""Contacts falling due by working days (the holiday table counted), one notice a week per
school to its care officers and clerks, no names in it, nothing new on a second run."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.reporting.choices import CalendarDayKind
from ruraledu.reporting.models import CalendarDay, Notification

from ..choices import ContactKind
from ..models import CareContact
from ..reminders import CONTACT_EVERY, children_due, contacts_remind
from .conftest import make_child

YEAR = 2025


@pytest.fixture
def national_day(db):
    """1–8 October 2025 off, Sunday 28 September and Saturday 11 October worked."""
    for day in range(1, 9):
        CalendarDay.objects.update_or_create(
            date=dt.date(2025, 10, day),
            defaults={"kind": CalendarDayKind.HOLIDAY, "name": "国庆节、中秋节"},
        )
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": CalendarDayKind.WORKDAY, "name": "国庆调休"}
        )


@pytest.fixture
def pupils(school_a, school_b, care_officer, national_day):
    never = make_child(school_a, "王未联", YEAR, left_behind=True)
    seen = make_child(school_a, "王已联", YEAR, orphan=True)
    CareContact.objects.create(
        person=seen.person,
        school=school_a,
        unit=school_a.org_unit,
        year=YEAR,
        on=dt.date(2025, 9, 22),
        kind=ContactKind.HOME_VISIT,
        who="李老师",
        content="家访，了解学习和生活情况",
        recorded_by=care_officer,
    )
    make_child(school_a, "王普通", YEAR)  # not on the care list
    far = make_child(school_b, "李远方", YEAR, left_behind=True)
    return never, seen, far


def test_a_contact_falls_due_by_working_days_across_the_holiday(pupils, school_a, school_b):
    assert CONTACT_EVERY == 20
    # never contacted: 20 working days from 1 September end on Friday 26 September
    assert children_due(today=dt.date(2025, 9, 25)) == {}
    assert children_due(today=dt.date(2025, 9, 26)) == {school_a.pk: 1, school_b.pk: 1}
    # contacted on 22 September: due 24 October (without the holiday table it would be the 20th)
    assert children_due(today=dt.date(2025, 10, 23)) == {school_a.pk: 1, school_b.pk: 1}
    assert children_due(today=dt.date(2025, 10, 24)) == {school_a.pk: 2, school_b.pk: 1}


def test_the_schools_officers_get_one_notice_a_week_without_names(
    pupils, school_a, care_officer, school_clerk, outsider
):
    # given a teacher of school A holding no care role
    other = UserFactory(username="teacher_a")
    RoleAssignmentFactory(user=other, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    # when the daily job runs twice on Monday and again on Wednesday
    call_command("remind_leftbehind_contacts", "--today=2025-09-29", stdout=io.StringIO())
    again = contacts_remind(today=dt.date(2025, 9, 29))
    later = contacts_remind(today=dt.date(2025, 10, 1))
    # then school A's officer and clerk and school B's clerk have one notice each, that week
    assert (again, later) == (0, 0)
    notices = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in notices] == sorted(
        [care_officer.username, school_clerk.username, outsider.username]
    )
    mine = notices.get(recipient=care_officer)
    assert mine.title == "关爱联系到期：本校 1 名留守或困境儿童已超过 20 个工作日未联系"
    assert "王未联" not in mine.title + mine.body
    assert mine.url == "/leftbehind/children/?show=nocontact"
    # the next week reminds again
    assert contacts_remind(today=dt.date(2025, 10, 9)) == 3
