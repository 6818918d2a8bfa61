"""本学期最近联系 and 已联系 count the contacts of the child's own school, for every viewer
and every figure (list, dashboard counts, the indicator, the reminder): a contact the child's
former school recorded before a transfer does not count for the new one."""

import datetime as dt

from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute

from .. import selectors
from ..choices import ContactKind
from ..models import CareContact
from ..reminders import children_due
from .conftest import make_child

YEAR = 2024  # ended: the list describes its last term, 1 February to 31 August 2025


def _contact(child, school, on, actor):
    CareContact.objects.create(
        person_id=child.person_id, school=school, unit=school.org_unit, year=YEAR, on=on,
        kind=ContactKind.PHONE, who="班主任", content="电话联系监护人。", recorded_by=actor,
    )  # fmt: skip


def _last_contacts(user):
    return [c.last_contact for c in selectors.child_list(user=user, year=YEAR)]


def test_a_contact_by_the_former_school_is_not_the_new_schools_last_contact(
    school_a, school_b, care_officer, town_officer, district_admin
):
    # given a child now at school A, contacted by school B (before the transfer) later than
    # by school A this term
    child = make_child(school_a, "陈转学", YEAR, left_behind=True)
    _contact(child, school_a, dt.date(2025, 3, 10), district_admin)
    _contact(child, school_b, dt.date(2025, 4, 20), district_admin)
    # then school A, its town and the bureau all see school A's contact
    assert _last_contacts(care_officer) == [dt.date(2025, 3, 10)]
    assert _last_contacts(town_officer) == [dt.date(2025, 3, 10)]
    assert _last_contacts(district_admin) == [dt.date(2025, 3, 10)]


def test_a_child_contacted_only_by_the_former_school_is_not_contacted_here(
    school_a, school_b, care_officer, district_admin
):
    child = make_child(school_a, "陈未联", YEAR, left_behind=True)
    _contact(child, school_b, dt.date(2025, 3, 10), district_admin)
    assert _last_contacts(care_officer) == [None]
    assert _last_contacts(district_admin) == [None]
    # and every count agrees: the dashboard, the indicator and the reminder
    counts = selectors.dashboard_contacts(user=district_admin, year=YEAR)
    assert (counts["totals"]["contacted"], counts["totals"]["missing"]) == (0, 1)
    recompute(years=[YEAR])
    value = IndicatorValue.objects.get(
        code="left_behind_no_contact_count", unit__code="D", year=YEAR
    )
    assert value.value == 1
    due = children_due(today=dt.date(2025, 8, 29))
    assert due == {school_a.pk: 1}
