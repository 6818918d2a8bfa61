"""The two inclusion indicators worked by hand, rolled up the tree, and their drill-downs
(masked names for care roles, a dash for read-only roles)."""

import datetime as dt

import pytest

from ruraledu.indicators import drilldown_inclusion
from ruraledu.indicators.definitions import inclusion as definitions
from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year

from ..choices import DecisionKind
from .conftest import YEAR, enrol, listed
from .test_progress import visit
from .test_reconcile import decide

AS_OF = dt.date(2025, 12, 10)  # Sep, Oct, Nov ended: 6 visits due from the year's start
CODES = [
    "disabled_child_unplaced_count",
    "home_teaching_on_schedule_rate",
    "disabled_child_enrolment_rate",
]


@pytest.fixture
def worked(monkeypatch, roster, village_a, village_b, school_a, school_b, district_admin):
    """Unplaced: 甲一, 甲二 (town A), 乙一 (town B); 甲三 deferred, 甲四 at school A, 乙二 too
    young. 送教上门: 送一 at school A with 6 visits (on schedule), 送二 at school A with 2
    (behind), 送三 at school B decided 10 Nov (nothing due yet: not counted)."""
    monkeypatch.setattr(definitions, "as_of", lambda year: AS_OF)
    monkeypatch.setattr(drilldown_inclusion, "as_of", lambda year: AS_OF)
    listed("甲一", village_a)
    listed("甲二", village_a)
    listed("乙一", village_b)
    deferred, _ = listed("甲三", village_a)
    decide(deferred, DecisionKind.DEFERRED, district_admin, reason="康复", evidence="证明")
    entry, number = listed("甲四", village_a)
    enrol(number, "甲四", school_a, placement="mainstream")
    listed("乙二", village_b, born=dt.date(2021, 1, 1))
    one = enrol(listed("送一", village_a)[1], "送一", school_a, placement="home")
    two = enrol(listed("送二", village_a)[1], "送二", school_a, placement="home")
    for day in (5, 12, 19, 26):
        visit(one.person.id_index, school_a, dt.date(2025, 9, day), district_admin)
    for day in (10, 24):
        visit(one.person.id_index, school_a, dt.date(2025, 10, day), district_admin)
    for day in (3, 20):
        visit(two.person.id_index, school_a, dt.date(2025, 9, day), district_admin)
    three, _ = listed("送三", village_b)
    late = decide(three, DecisionKind.HOME, district_admin, school=school_b)
    late.decided_on = dt.date(2025, 11, 10)
    late.save()
    return compute_year(YEAR, [REGISTRY[c] for c in CODES], Tree())[0]


def test_unplaced_children_by_town(worked, town_a, town_b, district):
    counts = {u: worked[(CODES[0], u)][0] for u in (town_a.pk, town_b.pk, district.pk)}
    assert counts == {town_a.pk: 2, town_b.pk: 1, district.pk: 3}


def test_visited_at_the_set_frequency(worked, school_a, school_b, district):
    assert worked[(CODES[1], school_a.pk)][:3] == (50.0, 1, 2)
    assert (CODES[1], school_b.pk) not in worked  # nothing due yet at school B
    assert worked[(CODES[1], district.pk)][:3] == (50.0, 1, 2)


def test_enrolment_rate_counts_placed_children_of_school_age(worked, town_a, town_b, district):
    # town A: 甲四, 送一, 送二 in school of 甲一, 甲二, 甲三 (deferred), 甲四, 送一, 送二;
    # town B: 送三 (decided 送教上门) of 乙一, 送三 — 乙二 is too young to count
    rates = {u: worked[(CODES[2], u)][:3] for u in (town_a.pk, town_b.pk, district.pk)}
    assert rates == {town_a.pk: (50.0, 3, 6), town_b.pk: (50.0, 1, 2), district.pk: (50.0, 4, 8)}


def test_without_the_list_the_count_is_not_computed(roster, district):
    rows = compute_year(YEAR, [REGISTRY[CODES[0]]], Tree())[0]
    assert (CODES[0], district.pk) not in rows


def test_drill_downs_are_masked_and_read_only_roles_see_no_names(
    worked, district, town_officer, town_a, district_leader
):
    unplaced = drill_records(
        indicator=REGISTRY[CODES[0]], part="numerator", unit=town_a, year=YEAR, user=town_officer
    )
    assert sorted(unplaced.render(r)[0] for r in unplaced.rows) == ["甲*", "甲*"]
    short = drill_records(
        indicator=REGISTRY[CODES[1]], part="short", unit=district, year=YEAR, user=district_leader
    )
    assert [short.render(r) for r in short.rows] == [["—", "甲镇中心小学", 6, 2, 4]]


def test_the_indicator_pages_show_the_figures_and_the_masked_records(
    client, monkeypatch, roster, village_a, district_admin, town_a
):
    from django.urls import reverse

    from ruraledu.indicators.services import recompute

    monkeypatch.setattr(definitions, "as_of", lambda year: AS_OF)
    listed("孙小云", village_a)
    recompute(years=[YEAR])
    client.force_login(district_admin)
    code = CODES[0]
    page = client.get(reverse("indicators:indicator_detail", args=[code]) + f"?year={YEAR}")
    assert page.status_code == 200 and "未安置的适龄残疾儿童数" in page.content.decode()
    records = client.get(
        reverse("indicators:indicator_records", args=[code])
        + f"?year={YEAR}&unit={town_a.code}&part=numerator"
    )
    body = records.content.decode()
    assert records.status_code == 200 and "孙*云" in body and "孙小云" not in body


def test_enrolment_rate_drill_down_lists_the_children_counted(worked, town_a, town_officer):
    rate = REGISTRY[CODES[2]]
    drill = {
        part: drill_records(indicator=rate, part=part, unit=town_a, year=YEAR, user=town_officer)
        for part in ("numerator", "denominator")
    }
    assert len(drill["numerator"].rows) == 3 and len(drill["denominator"].rows) == 6
    states = sorted(drill["denominator"].render(r)[3] for r in drill["denominator"].rows)
    assert states == sorted(["未安置", "未安置", "暂缓入学", "随班就读", "送教上门", "送教上门"])


def test_a_towns_reconciliation_reads_its_own_list_only(worked, town_a, town_b, district):
    from ruraledu.inclusion.reconcile import reconcile

    whole = reconcile(YEAR)
    for town in (town_a, town_b):
        own = reconcile(YEAR, within=town.path)
        assert own and {r.entry.town_id for r in own} == {town.pk}
        assert [(r.entry.pk, r.state) for r in own] == [
            (r.entry.pk, r.state) for r in whole if r.entry.town_id == town.pk
        ]
    assert len(reconcile(YEAR, within=district.path)) == len(whole)
