"""The 本学期未联系 list and its indicators, on a hand-worked district.

School year 2024 has ended, so its figures describe its last term: 1 February to 31 August
2025. Children on the care list and their contacts:

  甲镇中心小学  c1 留守 (contact 2025-03-10) · c2 孤儿 (2024-10-10, last term) · c3 困境 (none)
                c4 not on the list (contact 2025-03-10: not counted)
  甲镇二小      c5 留守 + 事实无人抚养 (2025-08-31, the term's last day)
  乙镇中心小学  c6 留守 (2025-01-31, the day before the term) · c7 事实无人抚养 (2025-02-01)

On the list 6; contacted this term c1, c5, c7 = 3; not contacted c2, c3, c6 = 3.
甲镇: 4 on the list, 2 contacted, 2 not (both at 甲镇中心小学); 乙镇: 2, 1, 1.
"""

import datetime as dt

import pytest

from ruraledu.indicators.definitions.leftbehind import (
    LeftBehindContactRate,
    LeftBehindWithoutContact,
)
from ruraledu.indicators.drilldown import drill_parts, drill_records
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.orgunits.tests.factories import SchoolFactory

from .. import selectors, services
from ..choices import ContactKind
from .conftest import make_child

YEAR = 2024
CODES = [LeftBehindWithoutContact.code, LeftBehindContactRate.code]


@pytest.fixture
def district_children(school_a, school_b, town_a, district_admin):
    school_a2 = SchoolFactory(
        org_unit__code="SA2", org_unit__name="甲镇二小", org_unit__parent=town_a
    )
    children = {
        "c1": make_child(school_a, "陈一留", YEAR, left_behind=True),
        "c2": make_child(school_a, "陈二孤", YEAR, orphan=True),
        "c3": make_child(school_a, "陈三困", YEAR, hardship=True),
        "c4": make_child(school_a, "陈四普", YEAR),
        "c5": make_child(school_a2, "陈五留", YEAR, left_behind=True, unattended=True),
        "c6": make_child(school_b, "陈六留", YEAR, left_behind=True),
        "c7": make_child(school_b, "陈七无", YEAR, unattended=True),
    }
    for key, day in [
        ("c1", dt.date(2025, 3, 10)),
        ("c2", dt.date(2024, 10, 10)),
        ("c4", dt.date(2025, 3, 10)),
        ("c5", dt.date(2025, 8, 31)),
        ("c6", dt.date(2025, 1, 31)),
        ("c7", dt.date(2025, 2, 1)),
    ]:
        enrolment = children[key]
        if key == "c4":  # not on the list: the service refuses it, so write the row itself
            from ..models import CareContact

            CareContact.objects.create(
                person_id=enrolment.person_id, school=school_a, unit=school_a.org_unit,
                year=YEAR, on=day, kind=ContactKind.TALK, who="班主任", content="谈心。",
                recorded_by=district_admin,
            )  # fmt: skip
            continue
        services.contact_add(
            enrolment=enrolment,
            actor=district_admin,
            on=day,
            kind=ContactKind.PHONE,
            who="班主任",
            content="电话联系监护人。",
        )
    return children


def test_the_bureau_sees_the_counts_per_town_and_school(district_children, district_admin):
    # when
    board = selectors.dashboard_contacts(user=district_admin, year=YEAR)
    # then
    towns = {t["name"]: t for t in board["towns"]}
    assert board["as_of"] == dt.date(2025, 8, 31)
    assert board["totals"] == {
        "total": 6,
        "left_behind": 3,
        "mentored": 0,
        "contacted": 3,
        "missing": 3,
    }
    assert [(t["total"], t["contacted"], t["missing"]) for t in towns.values()] == [
        (4, 2, 2),
        (2, 1, 1),
    ]
    assert [
        (s["name"], s["total"], s["contacted"], s["missing"]) for s in towns["甲镇"]["schools"]
    ] == [
        ("甲镇中心小学", 3, 1, 2),
        ("甲镇二小", 1, 1, 0),
    ]


def test_a_town_office_sees_its_own_town_only(district_children, town_officer):
    board = selectors.dashboard_contacts(user=town_officer, year=YEAR)
    assert [t["name"] for t in board["towns"]] == ["甲镇"]
    assert board["totals"]["missing"] == 2


def test_the_school_list_names_who_was_not_contacted(district_children, care_officer):
    # when
    children = selectors.child_list(user=care_officer, year=YEAR)
    # then
    assert [(c.person.name, c.last_contact) for c in children] == [
        ("陈一留", dt.date(2025, 3, 10)),
        ("陈二孤", None),
        ("陈三困", None),
    ]


def test_the_indicators_give_the_hand_worked_figures(district_children, district, town_a, school_a):
    # when
    recompute(years=[YEAR], codes=CODES)
    # then
    stored = {
        (v.code, v.unit_id): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(year=YEAR, code__in=CODES)
    }
    missing, rate = CODES
    assert stored[(missing, district.pk)] == (3.0, 3.0, None)
    assert stored[(missing, town_a.pk)] == (2.0, 2.0, None)
    assert stored[(missing, school_a.org_unit_id)] == (2.0, 2.0, None)
    assert stored[(rate, district.pk)] == (50.0, 3.0, 6.0)
    assert stored[(rate, town_a.pk)] == (50.0, 2.0, 4.0)
    assert stored[(rate, school_a.org_unit_id)] == (pytest.approx(100 / 3), 1.0, 3.0)


def test_the_drill_down_lists_the_children_masked_for_a_reader(
    district_children, district, district_leader, district_admin
):
    # given
    indicator = LeftBehindWithoutContact()
    assert list(drill_parts(indicator)) == ["numerator"]
    # when
    drill = drill_records(
        indicator=indicator, part="numerator", unit=district, year=YEAR, user=district_leader
    )
    # then: the three not contacted, names masked, categories hidden
    rows = [drill.render(r) for r in drill.rows]
    assert sorted(row[0] for row in rows) == sorted(["陈*孤", "陈*困", "陈*留"])
    assert "关注类别" not in drill.headers
    # and the bureau's officers see them in full
    drill = drill_records(
        indicator=indicator, part="numerator", unit=district, year=YEAR, user=district_admin
    )
    assert sorted(drill.render(r)[0] for r in drill.rows) == sorted(["陈二孤", "陈三困", "陈六留"])


def test_the_rate_drills_into_the_children_not_reached_with_categories_hidden_from_a_reader(
    district_children, district, district_leader, district_admin
):
    indicator = LeftBehindContactRate()
    assert list(drill_parts(indicator)) == ["numerator", "denominator", "short"]
    seen = {}
    for user in (district_leader, district_admin):
        drill = drill_records(
            indicator=indicator, part="short", unit=district, year=YEAR, user=user
        )
        category = drill.headers.index("关注类别")
        seen[user.pk] = sorted(drill.render(r)[category] for r in drill.rows)
    assert seen[district_leader.pk] == ["（无权查看）"] * 3
    assert seen[district_admin.pk] == sorted(["孤儿", "困境儿童", "留守儿童"])
