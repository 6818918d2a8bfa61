"""The supervision indicators, hand-worked on school year 2025 (figures as of 31 August 2026):
visits against plan, items open / overdue / closed on time, average days to close, and 包校
听课 this semester; each drills down to the records it counted, within the user's view."""

import datetime as dt

import pytest

from ruraledu.indicators.definitions import supervision as definitions  # noqa: F401 (registers)
from ruraledu.indicators.drilldown import drill_parts, drill_records
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post

from .. import services
from ..models import RectificationItem
from .conftest import YEAR, fill_verdicts, items_of, signed_visit_with_findings

CODES = [
    "supervision_visit_plan_rate",
    "supervision_items_open_count",
    "supervision_items_overdue_count",
    "supervision_items_closed_on_time_rate",
    "supervision_item_days_to_close_avg",
    "researcher_term_observation_rate",
    "researcher_term_observation_avg",
]


def _close(item, inspector, clerk, on):
    item = RectificationItem.objects.get(pk=item.pk)
    services.item_answer(actor=clerk, item=item, version=None, text="已整改完毕并建档。")
    return services.item_close(actor=inspector, item=item, version=None, on=on)


@pytest.fixture
def supervised(district_admin, inspector, other_inspector, school_a, school_b, kind, school_clerk):
    """School A: a visit on 22 September 2025 raising three items sent on the 23rd (one closed
    on time after 22 days, one late after 37, one never answered) and a visit on 10 November
    with an item not yet sent. School B: its inspector never went."""
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=3)
    first, second = items_of(findings[:2], inspector, deadline=dt.date(2025, 10, 20))
    (third,) = items_of(findings[2:], inspector, deadline=dt.date(2025, 11, 20))
    services.notice_issue(
        actor=inspector, items=[first, second, third], issued_on=dt.date(2025, 9, 23)
    )
    _close(first, inspector, school_clerk, dt.date(2025, 10, 15))
    _close(second, inspector, school_clerk, dt.date(2025, 10, 30))
    later = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=dt.date(2025, 11, 10)
    )
    finding = services.finding_add(actor=inspector, visit=later, area="教育教学", text="作业超量")
    later = fill_verdicts(later, inspector)
    services.visit_sign_off(
        actor=inspector,
        visit=later,
        version=later.version,
        principal_name="张校长",
        acknowledged=True,
    )
    items_of([finding], inspector, deadline=dt.date(2025, 12, 10))


@pytest.fixture
def observed(district_admin, researcher, school_a, school_b):
    """The researcher (a 教研员 post in 2025) linked to A and B: 8 听课 at A and 3 at B in the
    second semester, and one at B in the first (not counted in the second)."""
    person = researcher.staff_account.person
    Post.objects.create(
        person=person, school=school_a, year=YEAR, is_researcher=True, degree=Degree.BACHELOR
    )
    services.school_link_assign(
        actor=district_admin, researcher=researcher, school=school_b, year=YEAR
    )
    for school, days in ((school_a, range(2, 10)), (school_b, range(2, 5))):
        for day in days:
            services.observation_record(
                actor=researcher, school=school, held_on=dt.date(2026, 3, day)
            )
    services.observation_record(actor=researcher, school=school_b, held_on=dt.date(2025, 11, 5))


def _values(code):
    rows = IndicatorValue.objects.filter(code=code, year=YEAR).select_related("unit")
    return {r.unit.code: (r.value, r.numerator, r.denominator) for r in rows}


def test_the_figures_are_the_hand_worked_ones(supervised, observed, district):
    # when
    recompute(years=[YEAR], codes=CODES)

    # then visits: 10 months (September–June) expected at each school; A counted 2 of 10
    assert _values("supervision_visit_plan_rate") == {
        "SA": (20.0, 2, 10),
        "SB": (0.0, 0, 10),
        "TA": (20.0, 2, 10),
        "TB": (0.0, 0, 10),
        district.code: (10.0, 2, 20),
    }
    # items: the unanswered one and the unsent one are open; only the sent one is overdue
    assert _values("supervision_items_open_count")["SA"] == (2, 2, None)
    assert _values("supervision_items_overdue_count")["SA"] == (1, 1, None)
    assert "SB" not in _values("supervision_items_open_count")  # never given an item
    # all four were due in the year; one closed by its deadline
    assert _values("supervision_items_closed_on_time_rate")[district.code] == (25.0, 1, 4)
    # (22 + 37) days / 2 items
    assert _values("supervision_item_days_to_close_avg")["TA"] == (29.5, 59, 2)
    # 听课 in the second semester: A reached 8, B 3
    assert _values("researcher_term_observation_rate") == {
        "SA": (100.0, 1, 1),
        "SB": (0.0, 0, 1),
        "TA": (100.0, 1, 1),
        "TB": (0.0, 0, 1),
        district.code: (50.0, 1, 2),
    }
    assert _values("researcher_term_observation_avg")[district.code] == (5.5, 11, 2)


def _drill(code, part, unit, user):
    return drill_records(indicator=REGISTRY[code], part=part, unit=unit, year=YEAR, user=user)


def test_the_drill_downs_list_what_was_counted(supervised, observed, district, district_admin):
    # visits: the schools short of plan, by how much
    short = _drill("supervision_visit_plan_rate", "short", district, district_admin)
    assert [short.render(r) for r in short.rows] == [
        ["甲镇中心小学", "甲镇", 10, 2, 8],
        ["乙镇中心小学", "乙镇", 10, 0, 10],
    ]
    assert short.total() == 18
    # items: the late and the unanswered ones are short of on time
    late = _drill("supervision_items_closed_on_time_rate", "short", district, district_admin)
    assert [late.render(r)[4] for r in late.rows] == ["整改问题2", "整改问题3", "整改作业超量"]
    # days to close sum to the numerator
    days = _drill("supervision_item_days_to_close_avg", "numerator", district, district_admin)
    assert days.total() == 59 and days.count() == 2
    # 听课: the link short of 8
    links = _drill("researcher_term_observation_rate", "short", district, district_admin)
    assert [links.render(r) for r in links.rows] == [["王教研", "乙镇中心小学", "乙镇", 3, 8]]


def test_a_drill_down_shows_only_the_schools_in_the_users_view(
    supervised, district, inspector, other_inspector
):
    mine = _drill("supervision_items_open_count", "numerator", district, inspector)
    theirs = _drill("supervision_items_open_count", "numerator", district, other_inspector)
    assert mine.count() == 2 and theirs.count() == 0
    plan = _drill("supervision_visit_plan_rate", "denominator", district, other_inspector)
    assert [r[0] for r in plan.rows] == ["乙镇中心小学"]


def test_every_part_of_every_figure_lists_what_gives_the_stored_value(
    supervised, observed, district, district_admin
):
    # given
    recompute(years=[YEAR], codes=CODES)
    stored = {v.code: v for v in IndicatorValue.objects.filter(unit=district, year=YEAR)}
    checked = []

    for code in CODES:
        for part in drill_parts(REGISTRY[code]):
            # when
            drill = _drill(code, part, district, district_admin)
            listed = drill.total() if drill.amount is not None else drill.count()
            value = stored[code]
            expected = (
                value.denominator - value.numerator if part == "short" else getattr(value, part)
            )
            # then
            checked.append((code, part, float(listed), float(expected)))
    assert [c for c in checked if c[2] != c[3]] == []
    assert len(checked) == 15  # 3 + 1 + 1 + 3 + 2 + 3 + 2 parts
