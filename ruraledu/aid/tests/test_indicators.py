"""应助尽助 (G-6, priority_student_aid_rate) and the gap count (aid_gap_count), worked by hand.

School A (town A) and school B (town B), year 2025:
- without grant records the roster decides: a priority pupil with 已获资助 counts as aided;
- with grant records (any, in the year) the rules and the grants decide; the flag is ignored.
"""

import pytest
from django.urls import reverse

from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year

from .conftest import YEAR, enrol, grant

CODES = ("priority_student_aid_rate", "aid_gap_count")


def figures(unit_code: str) -> dict:
    from ruraledu.orgunits.models import OrgUnit

    rows = compute_year(YEAR, [REGISTRY[c] for c in CODES], Tree())[0]
    unit = OrgUnit.objects.get(code=unit_code).pk
    return {code: rows[(code, unit)][:3] for code in CODES if (code, unit) in rows}


@pytest.fixture
def roster(school_a, school_b):
    """SA: 孤儿甲 (flag aided), 留守乙 (flag not aided), 普通丙 (no category, flag aided);
    SB: 残疾丁 (flag aided)."""
    pupils = {
        "甲": enrol(school_a, "孤儿甲", orphan=True, aid_received=True),
        "乙": enrol(school_a, "留守乙", left_behind=True),
        "丙": enrol(school_a, "普通丙", aid_received=True),
        "丁": enrol(school_b, "残疾丁", disability=True, aid_received=True),
    }
    return pupils


def test_without_grant_records_the_roster_flag_decides_and_there_is_no_gap_count(roster):
    # priority: 甲 乙 丁 = 3, aided by flag: 甲 丁 = 2 → 66.7 %; SA: 1 of 2
    assert figures("D")["priority_student_aid_rate"] == (pytest.approx(200 / 3), 2, 3)
    assert figures("SA")["priority_student_aid_rate"] == (50.0, 1, 2)
    assert "aid_gap_count" not in figures("D")  # 缺少资助发放数据


def test_with_grant_records_the_grants_decide_and_the_flag_is_ignored(roster, school_a):
    # given grants to 乙 (flag says not aided) and 丙 (no category); none to 甲 and 丁
    grant(roster["乙"], school_a)
    grant(roster["丙"], school_a)
    # then qualifying: 甲 乙 丁 = 3; aided among them: 乙 = 1 (丙 does not qualify)
    district = figures("D")
    assert district["priority_student_aid_rate"] == (pytest.approx(100 / 3), 1, 3)
    # unaided: 甲 (SA) and 丁 (SB)
    assert district["aid_gap_count"] == (2, 2, None)
    assert figures("SA")["aid_gap_count"] == (1, 1, None)
    assert figures("TB")["aid_gap_count"] == (1, 1, None)


def test_a_grant_in_either_term_counts_for_the_year(roster, school_a, school_b):
    grant(roster["甲"], school_a, semester=2)
    grant(roster["丁"], school_b, semester=1)
    assert figures("D")["priority_student_aid_rate"] == (pytest.approx(200 / 3), 2, 3)
    assert figures("D")["aid_gap_count"] == (1, 1, None)  # 乙


def test_the_rules_decide_who_qualifies(roster, school_a):
    from ..models import AidCategory

    grant(roster["乙"], school_a)
    AidCategory.objects.filter(flag="left_behind").update(is_active=False)
    # 乙 no longer qualifies: qualifying 甲 丁, aided none
    assert figures("D")["priority_student_aid_rate"] == (0.0, 0, 2)


def test_the_gap_drills_down_to_masked_pupils(client, district_leader, roster, school_a):
    from ruraledu.indicators.services import recompute

    grant(roster["乙"], school_a)
    recompute(years=[YEAR], codes=list(CODES))
    client.force_login(district_leader)
    url = reverse("indicators:indicator_records", args=["aid_gap_count"])
    html = client.get(f"{url}?unit=D&year={YEAR}&part=numerator").content.decode()
    assert "孤*甲" in html and "残*丁" in html
    assert "孤儿甲" not in html and "留守乙" not in html and "留*乙" not in html
