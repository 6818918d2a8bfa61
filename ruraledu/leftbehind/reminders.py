"""Contacts falling due: every child on the care list is to be contacted (家访, 电话, 谈心)
every CONTACT_EVERY working days of the term. A child whose last contact of the term (or the
term's start, when none) lies that many working days back or more is due; the school's care
officers and clerks get one notice a week naming how many of their children are due (no names:
the notice may reach a group robot). Run daily; a second run in the same week sends nothing."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.core.schoolyear import school_year_of
from ruraledu.orgunits.models import OrgUnit
from ruraledu.reporting.choices import NotificationKind
from ruraledu.reporting.reminders import notify
from ruraledu.reporting.workdays import WorkingCalendar
from ruraledu.students.models import Enrolment

from .choices import cared_for
from .selectors import last_contact_here
from .terms import term_start

# 每月至少联系一次: about 20 working days; a district may set its own
CONTACT_EVERY = getattr(settings, "LEFTBEHIND_CONTACT_WORKING_DAYS", 20)
RECIPIENT_ROLES = (Role.SCHOOL_CARE_OFFICER, Role.SCHOOL_CLERK)


def due_on(calendar: WorkingCalendar, start: dt.date, last: dt.date | None) -> dt.date:
    """The day the next contact is due: CONTACT_EVERY working days after the last contact of
    the term, or after the day before the term starts when there was none."""
    since = last if last and last >= start else start - dt.timedelta(days=1)
    return calendar.add_working_days(since, CONTACT_EVERY)[0]


def children_due(*, today: dt.date) -> dict[int, int]:
    """school unit pk -> number of its cared-for children whose contact is due by `today`."""
    start = term_start(today)
    calendar = WorkingCalendar.load(range(start.year, today.year + 1))
    rows = (
        Enrolment.objects.filter(cared_for(), year=school_year_of(today))
        .annotate(last=last_contact_here(today))  # the child's school's own, as on its list
        .values_list("school_id", "last")
    )
    due: dict[int, int] = {}
    for school, last in rows:
        if due_on(calendar, start, last) <= today:
            due[school] = due.get(school, 0) + 1
    return due


def contacts_remind(*, today: dt.date) -> int:
    """Notify each school with children due; returns the notices sent."""
    due = children_due(today=today)
    if not due:
        return 0
    holders = RoleAssignment.objects.filter(role__in=RECIPIENT_ROLES, org_unit_id__in=due)
    users_of: dict[int, set[int]] = {}
    for unit, user in holders.values_list("org_unit_id", "user_id"):
        users_of.setdefault(unit, set()).add(user)
    users = get_user_model().objects.in_bulk({pk for pks in users_of.values() for pk in pks})
    schools = OrgUnit.objects.in_bulk(due)
    year, week, _ = today.isocalendar()
    url = reverse("leftbehind:child_list") + "?show=nocontact"
    sent = 0
    for school, count in sorted(due.items()):
        recipients = [users[pk] for pk in users_of.get(school, ())]
        sent += notify(
            recipients=recipients,
            concerns=schools[school],
            kind=NotificationKind.TASK,
            title=f"关爱联系到期：本校 {count} 名留守或困境儿童已超过 {CONTACT_EVERY} 个工作日未联系",
            body="请成长导师或班主任尽快家访或电话联系，并在关爱名单中登记。",
            url=url,
            dedupe_key=f"leftbehind-contacts-{school}-{year}w{week:02d}",
        )
    return sent
