"""Candidates worked by hand: the lead department's Q1 2026 report (due 15 April) and school
A's item (due 20 October 2025), counted in working days against the limits (10 and 15)."""

import datetime as dt

import pytest
from django.http import Http404

from ruraledu.reporting.models import ReportingPeriod

from ..selectors import candidate_list
from .conftest import ITEM_DEADLINE, REPORT_DEADLINE


def test_the_q1_deadline_is_the_one_worked_by_hand(schedule):
    period = ReportingPeriod.objects.get(project=schedule.project, starts_on=dt.date(2026, 1, 1))
    assert period.deadline == REPORT_DEADLINE


def test_a_lead_department_is_listed_ten_working_days_after_the_deadline(
    schedule, district_admin, department
):
    # 16, 17, 20–24, 27, 28 April: nine working days by the 28th, ten by the 29th
    assert candidate_list(user=district_admin, today=dt.date(2026, 4, 28)) == []
    rows = candidate_list(user=district_admin, today=dt.date(2026, 4, 29))
    # then: the lead department only, never the partner (区财政局)
    assert [(r.kind, r.subject, r.working_days_late) for r in rows] == [("report", department, 10)]
    assert "2026年第1季度" in rows[0].what


def test_an_item_is_listed_fifteen_working_days_after_its_deadline(
    overdue_item, district_admin, school_a
):
    # 21–24, 27–31 October, 3–7 November: fourteen by the 7th; the 10th is the fifteenth
    assert candidate_list(user=district_admin, today=dt.date(2025, 11, 7)) == []
    rows = candidate_list(user=district_admin, today=dt.date(2025, 11, 10))
    assert [(r.kind, r.subject, r.deadline, r.working_days_late) for r in rows] == [
        ("item", school_a.org_unit, ITEM_DEADLINE, 15)
    ]


def test_the_limits_are_configurable(overdue_item, district_admin, settings):
    settings.ACCOUNTABILITY_ITEM_OVERDUE_DAYS = 14
    assert len(candidate_list(user=district_admin, today=dt.date(2025, 11, 7))) == 1


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "department_reporter"])
def test_only_the_bureau_reads_the_candidates(persona, request, schedule):
    with pytest.raises(Http404):
        candidate_list(user=request.getfixturevalue(persona), today=dt.date(2026, 4, 29))
