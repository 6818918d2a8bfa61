"""送教上门 progress against the frequency, worked by hand (2 visits in each ended term month,
made-up visits count; a month counts from the first whole month after the placement)."""

import datetime as dt
from decimal import Decimal

import pytest

from ..choices import DecisionKind
from ..models import HomeVisit, VisitRule
from ..reconcile import home_children
from .conftest import YEAR, enrol, listed
from .test_reconcile import decide

D = dt.date


def visit(row_key, school, on, user):
    HomeVisit.objects.create(
        year=YEAR,
        id_index=row_key,
        school=school,
        unit=school.org_unit,
        on=on,
        teachers="李老师",
        content="生活自理训练",
        hours=Decimal("2"),
        recorded_by=user,
    )


@pytest.fixture
def children(village_a, school_a, district_admin):
    """甲 enrolled 送教上门 from the year's start: Sep 2, Oct 1, Nov 3 visits (6 of 6 due by
    10 Dec, October's shortfall made up in November). 乙 decided 送教上门 on 20 Sep: one visit
    in October, 4 due (Oct, Nov)."""
    a, n = listed("送甲", village_a)
    enrolment = enrol(n, "送甲", school_a, placement="home")
    for day in (D(2025, 9, 5), D(2025, 9, 19), D(2025, 10, 17), D(2025, 11, 3)):
        visit(enrolment.person.id_index, school_a, day, district_admin)
    for day in (D(2025, 11, 14), D(2025, 11, 28), D(2025, 12, 5), D(2025, 12, 20)):
        visit(enrolment.person.id_index, school_a, day, district_admin)
    b, _ = listed("送乙", village_a)
    decision = decide(b, DecisionKind.HOME, district_admin, school=school_a)
    visit(b.id_index, school_a, D(2025, 10, 10), district_admin)
    return enrolment, decision


def test_progress_by_hand(children):
    enrolment, decision = children
    rows = {r.name: r for r in home_children(YEAR, D(2025, 12, 10))}
    first, second = rows["送甲"], rows["送乙"]
    # visits after the day (20 Dec) are not counted yet
    assert (first.due, first.done, first.behind) == (6, 7, False)
    assert first.key == f"p{enrolment.person_id}"
    assert [m[1:] for m in first.months] == [(2, 2), (1, 2), (3, 2), (1, None)]
    assert (second.due, second.done, second.short) == (4, 1, 3)
    assert second.since == D(2025, 9, 20)
    assert second.months[0] == ("2025年9月", 0, None)  # placed mid-month: not due


def test_the_bureau_s_frequency_and_term_months_are_used(children):
    VisitRule.objects.create(year=YEAR, visits_per_month=1, term_months="10,11")
    rows = {r.name: r for r in home_children(YEAR, D(2026, 8, 31))}
    assert (rows["送甲"].due, rows["送乙"].due) == (2, 2)
    assert rows["送乙"].behind and rows["送乙"].short == 1
