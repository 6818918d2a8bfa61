"""The gap list on hand-made data. School A (town A): 孤儿甲 qualifies and got nothing;
留守乙 got the living allowance; 普通丙 qualifies for nothing and got it; 残疾丁 got it
from school A and again from school B (town B) in the same term. 春季戊 got aid in term 2
only. School B: 孤儿己 qualifies and got nothing."""

import pytest

from ..choices import GapKind
from ..selectors import gap_counts, gap_querysets, gap_rows
from .conftest import enrol, grant


@pytest.fixture
def world(school_a, school_b):
    enrol(school_a, "孤儿甲", orphan=True)
    grant(enrol(school_a, "留守乙", left_behind=True), school_a)
    grant(enrol(school_a, "普通丙"), school_a)
    both = enrol(school_a, "残疾丁", disability=True)
    grant(both, school_a)
    grant(both, school_b)
    grant(enrol(school_a, "春季戊", hardship=True), school_a, semester=2)
    enrol(school_b, "孤儿己", orphan=True)


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("person__name", flat=True))


def test_the_bureau_sees_every_gap_of_the_term(district_admin, world):
    lists = gap_querysets(user=district_admin, year=2025, semester=1)
    assert names(lists[GapKind.UNAIDED]) == ["孤儿己", "孤儿甲", "春季戊"]
    assert names(lists[GapKind.NOT_ELIGIBLE]) == ["普通丙"]
    assert names(lists[GapKind.DUPLICATE]) == ["残疾丁", "残疾丁"]


def test_another_term_has_its_own_gaps(district_admin, world):
    lists = gap_querysets(user=district_admin, year=2025, semester=2)
    # nobody but 春季戊 was paid in term 2: the other five who qualify are unaided
    assert names(lists[GapKind.UNAIDED]) == ["孤儿己", "孤儿甲", "残疾丁", "留守乙"]
    assert names(lists[GapKind.NOT_ELIGIBLE]) == names(lists[GapKind.DUPLICATE]) == []


def test_a_school_sees_its_own_rows_and_its_half_of_a_duplicate(care_officer, world):
    lists = gap_querysets(user=care_officer, year=2025, semester=1)
    assert names(lists[GapKind.UNAIDED]) == ["孤儿甲", "春季戊"]
    assert names(lists[GapKind.DUPLICATE]) == ["残疾丁"]
    assert {g.school.org_unit.code for g in lists[GapKind.DUPLICATE]} == {"SA"}


def test_a_child_who_no_longer_qualifies_for_the_kind_is_listed(district_admin, school_a):
    # 留守 qualifies for the living allowance but not for 营养膳食补助 (脱贫/监测 only)
    child = enrol(school_a, "留守庚", left_behind=True)
    grant(child, school_a, "nutrition", amount="400")
    lists = gap_querysets(user=district_admin, year=2025, semester=1)
    assert names(lists[GapKind.NOT_ELIGIBLE]) == ["留守庚"]
    assert names(lists[GapKind.UNAIDED]) == []  # paid something: not unaided


def test_counts_per_school_add_up(district_leader, world):
    counts = {
        row["unit"].code: row for row in gap_counts(user=district_leader, year=2025, semester=1)
    }
    assert {k: (v["unaided"], v["not_eligible"], v["duplicate"]) for k, v in counts.items()} == {
        "SA": (2, 1, 1),
        "SB": (1, 0, 1),
    }
    assert counts["SA"]["town"] == "甲镇"


def test_counts_narrow_to_a_unit_and_not_beyond_the_users_reach(
    district_admin, town_officer, world
):
    assert [
        r["unit"].code
        for r in gap_counts(user=district_admin, year=2025, semester=1, unit_id=_pk("TB"))
    ] == ["SB"]
    # town A's office asking for town B's unit gets its own town only
    assert [
        r["unit"].code
        for r in gap_counts(user=town_officer, year=2025, semester=1, unit_id=_pk("TB"))
    ] == ["SA"]


def test_names_are_clear_only_with_personal_data_rights(care_officer, town_officer, world):
    clear = gap_rows(user=care_officer, year=2025, semester=1)
    masked = gap_rows(user=town_officer, year=2025, semester=1)
    assert sorted(r.name for r in clear[GapKind.UNAIDED]) == ["孤儿甲", "春季戊"]
    assert sorted(r.categories[0] for r in clear[GapKind.UNAIDED]) == ["孤儿", "重点困境儿童"]
    assert sorted(r.name for r in masked[GapKind.UNAIDED]) == ["孤*甲", "春*戊"]
    assert all(r.categories == [] for r in masked[GapKind.UNAIDED])  # no reasons without rights


def _pk(code):
    from ruraledu.orgunits.models import OrgUnit

    return OrgUnit.objects.get(code=code).pk
