"""The 残联 list reconciled with the roster and the decisions, worked by hand."""

import datetime as dt

import pytest

from ruraledu.orgunits.choices import SchoolStage
from ruraledu.orgunits.tests.factories import SchoolFactory

from ..choices import DecisionKind, PlacementState
from ..models import PlacementDecision
from ..reconcile import reconcile
from .conftest import YEAR, enrol, listed


def decide(entry, kind, user, school=None, town=None, **extra):
    unit = school.org_unit if school else entry.town
    return PlacementDecision.objects.create(
        year=YEAR,
        id_index=entry.id_index,
        entry=entry,
        kind=kind,
        school=school,
        decided_on=dt.date(2025, 9, 20),
        town=entry.town,
        unit=unit,
        decided_by=user,
        **extra,
    )


@pytest.fixture
def worked(village_a, village_b, school_a, town_a, district_admin):
    """甲 enrolled 随班就读; 乙 enrolled with no placement and no disability flag; 丙 decided
    送教上门 by school A; 丁 deferred; 戊 unplaced; 己 five years old; 庚 enrolled last year
    only (unplaced this year); 辛 at a special school with no placement marked."""
    a, n = listed("张甲", village_a)
    enrol(n, "张甲", school_a, placement="mainstream")
    b, n = listed("张乙", village_a)
    enrol(n, "张乙", school_a, disability=False)
    c, _ = listed("张丙", village_a)
    decide(c, DecisionKind.HOME, district_admin, school=school_a)
    d, _ = listed("张丁", village_a)
    decide(d, DecisionKind.DEFERRED, district_admin, reason="术后康复", evidence="区医院诊断证明")
    listed("张戊", village_a)
    listed("张己", village_b, born=dt.date(2020, 3, 1))
    g, n = listed("张庚", village_b)
    enrol(n, "张庚", school_a, placement="mainstream", year=YEAR - 1)
    special = SchoolFactory(
        org_unit__code="SP",
        org_unit__name="特教学校",
        org_unit__parent=town_a,
        stage=SchoolStage.SPECIAL,
    )
    h, n = listed("张辛", village_a)
    enrol(n, "张辛", special)
    return {r.entry.name: r for r in reconcile(YEAR)}


def test_each_child_stands_where_the_registry_or_the_decision_puts_them(worked, school_a):
    states = {name: (row.state, row.source) for name, row in worked.items()}
    assert states == {
        "张甲": (PlacementState.MAINSTREAM, "学籍"),
        "张乙": (PlacementState.ENROLLED, "学籍"),
        "张丙": (PlacementState.HOME, "安置决定"),
        "张丁": (PlacementState.DEFERRED, "安置决定"),
        "张戊": (PlacementState.UNPLACED, ""),
        "张己": (PlacementState.OUT_OF_AGE, ""),
        "张庚": (PlacementState.UNPLACED, ""),
        "张辛": (PlacementState.SPECIAL_SCHOOL, "学籍"),
    }
    assert worked["张乙"].note == "学籍未标记残疾"
    assert worked["张甲"].unit_path == school_a.org_unit.path


def test_an_unplaced_child_lives_at_the_town_of_the_list(worked, town_a, town_b):
    assert worked["张戊"].unit_id == town_a.pk
    assert worked["张庚"].unit_id == town_b.pk
    assert worked["张丁"].unit_id == town_a.pk  # a deferral names no school


def test_the_registry_wins_over_a_decision(village_a, school_a, district_admin):
    entry, number = listed("王甲", village_a)
    decide(entry, DecisionKind.DEFERRED, district_admin, reason="康复", evidence="证明")
    enrol(number, "王甲", school_a, placement="home")
    (row,) = reconcile(YEAR)
    assert (row.state, row.source, row.school_name) == ("home", "学籍", "甲镇中心小学")


def test_another_years_list_is_not_read(village_a):
    listed("李甲", village_a, year=YEAR - 1)
    assert reconcile(YEAR) == []
