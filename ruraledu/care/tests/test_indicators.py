"""P39-3 and G-13 from cases, worked by hand, and their drill-down of masked cases."""

import datetime as dt

import pytest

from ruraledu.indicators.definitions import care as definitions
from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year

from .. import services
from ..choices import CaseStatus, CloseReason, ContactKind
from ..models import DropoutCase
from .conftest import make_pupil, open_case

AS_OF = dt.date(2026, 6, 30)
D = dt.date


@pytest.fixture
def worked(monkeypatch, school_a, school_b, care_officer, outsider, district):
    """Six cases, by hand:

    A1 school A, 脱贫 family (last year's roster), open, plan 1 June, visit 10 June: followed up
    A2 school A, no family mark, found 20 May, no plan, no contact: neglected
    A4 school A, found 20 June (10 days before), no plan, no contact: not neglected yet
    A3 school A, 监测 family, closed 1 May: not counted
    B1 school B, 监测 family, open, plan 20 April, last call 1 May (60 days before): not followed
    B2 school B, found 15 July, after the day the figure describes: not counted
    """
    monkeypatch.setattr(definitions, "as_of", lambda year: AS_OF)

    def case(school, actor, name, opened, family="", family_year=2025):
        person = make_pupil(school, name=name, year=family_year, family_status=family)
        if family_year != 2025:
            enrolment = person.enrolments.get()
            enrolment.pk = None
            enrolment.year, enrolment.family_status = 2025, ""
            enrolment.save()
        found = open_case(person, actor, on=opened)
        return found

    def step(fn, case, **kw):
        case.refresh_from_db()
        return fn(case=case, version=case.version, **kw)

    def assign(c, actor):
        step(
            services.case_assign,
            c,
            actor=actor,
            on=c.opened_on,
            teacher_name="李老师",
            village_cadre="张三",
        )

    def contact(c, actor, on):
        step(
            services.case_contact_add,
            c,
            actor=actor,
            kind=ContactKind.HOME_VISIT,
            on=on,
            who="李老师",
            outcome="劝说",
        )

    def plan(c, actor, on):
        step(services.case_plan_set, c, actor=actor, on=on, plan="每周家访一次，联系父母共同劝返")

    a1 = case(school_a, care_officer, "甲一", D(2026, 5, 20), "lifted", family_year=2024)
    assign(a1, care_officer)
    plan(a1, care_officer, D(2026, 6, 1))
    contact(a1, care_officer, D(2026, 6, 10))
    a2 = case(school_a, care_officer, "甲二", D(2026, 5, 20))
    assign(a2, care_officer)
    assign(case(school_a, care_officer, "甲四", D(2026, 6, 20)), care_officer)
    a3 = case(school_a, care_officer, "甲三", D(2026, 4, 1), "monitored")
    assign(a3, care_officer)
    plan(a3, care_officer, D(2026, 4, 1))
    contact(a3, care_officer, D(2026, 4, 2))
    step(
        services.case_resolve,
        a3,
        actor=care_officer,
        outcome=CaseStatus.RETURNED,
        on=D(2026, 4, 20),
    )
    step(services.case_close, a3, actor=care_officer, reason=CloseReason.RETURNED, on=D(2026, 5, 1))
    b1 = case(school_b, outsider, "乙一", D(2026, 4, 10), "monitored")
    assign(b1, outsider)
    plan(b1, outsider, D(2026, 4, 20))
    contact(b1, outsider, D(2026, 5, 1))
    case(school_b, outsider, "乙二", D(2026, 7, 15), "lifted")
    codes = ["poor_family_dropout_open_count", "dropout_case_plan_rate"]
    return compute_year(2025, [REGISTRY[c] for c in codes], Tree())[0]


def test_poor_family_open_cases_count_by_hand(worked, school_a, school_b, town_a, district):
    value = {
        u: worked[("poor_family_dropout_open_count", u)][0]
        for u in (school_a.pk, school_b.pk, town_a.pk, district.pk)
    }
    # A1 at school A (脱贫 last year), B1 at school B; A2 unmarked, A3 closed, B2 too late
    assert value == {school_a.pk: 1, school_b.pk: 1, town_a.pk: 1, district.pk: 2}


def test_plan_and_recent_contact_rate_by_hand(worked, school_a, school_b, district):
    rate = {
        u: worked[("dropout_case_plan_rate", u)][:3]
        for u in (school_a.pk, school_b.pk, district.pk)
    }
    # school A: A1 and A4 (inside its first 30 days) of A1, A2, A4; school B: none of B1 (last
    # contact 60 days before); district 2 of 4
    assert rate[school_a.pk][1:] == (2, 3)
    assert round(rate[school_a.pk][0], 2) == 66.67
    assert rate[school_b.pk] == (0.0, 0, 1)
    assert rate[district.pk] == (50.0, 2, 4)


def test_no_open_case_leaves_the_rate_uncomputed_and_the_count_at_zero(
    monkeypatch, school_a, district
):
    monkeypatch.setattr(definitions, "as_of", lambda year: AS_OF)
    make_pupil(school_a)
    codes = ["poor_family_dropout_open_count", "dropout_case_plan_rate"]
    rows = compute_year(2025, [REGISTRY[c] for c in codes], Tree())[0]
    assert rows[("poor_family_dropout_open_count", district.pk)][0] == 0
    assert rows[("dropout_case_plan_rate", district.pk)][0] is None


def test_the_drill_down_lists_cases_masked_and_the_leader_sees_no_names(
    worked, district, district_admin, district_leader
):
    indicator = REGISTRY["dropout_case_plan_rate"]
    short = drill_records(
        indicator=indicator, part="short", unit=district, year=2025, user=district_admin
    )
    rows = [short.render(r) for r in short.rows]
    assert [r[1] for r in rows] == ["乙*", "甲*"]  # B1 (found 10 April) before A2 (20 May)
    leader = drill_records(
        indicator=indicator, part="denominator", unit=district, year=2025, user=district_leader
    )
    assert leader.count() == 4
    assert {leader.render(r)[1] for r in leader.rows} == {"—"}


def test_the_drill_down_shows_each_case_as_it_stood_on_the_day(worked, district, district_admin):
    """A2 was neglected on 30 June; its plan, visit and closure came in July. The rows behind
    June's figure must say so, not show today's plan and contact against a 疏于跟进 count."""
    a2 = DropoutCase.objects.get(person__name="甲二")
    for fn, kw in (
        (services.case_plan_set, {"on": D(2026, 7, 2), "plan": "联系父母，每周家访一次"}),
        (
            services.case_contact_add,
            {
                "on": D(2026, 7, 3),
                "kind": ContactKind.HOME_VISIT,
                "who": "李老师",
                "outcome": "同意返校",
            },
        ),
        (services.case_resolve, {"on": D(2026, 7, 6), "outcome": CaseStatus.RETURNED}),
        (services.case_close, {"on": D(2026, 7, 10), "reason": CloseReason.RETURNED}),
    ):
        a2.refresh_from_db()
        fn(case=a2, version=a2.version, actor=district_admin, **kw)
    short = drill_records(
        indicator=REGISTRY["dropout_case_plan_rate"],
        part="short",
        unit=district,
        year=2025,
        user=district_admin,
    )
    assert short.headers[4] == "当日状态" and short.headers[-1] == "现状态"
    rows = {case.pk: short.render(case) for case in short.rows}
    b1 = DropoutCase.objects.get(person__name="乙一")
    assert rows[a2.pk][4:] == [
        CaseStatus.ASSIGNED.label,
        "2026-05-20",
        41,
        "无",
        "无",
        "已结案（2026-07-10）",
    ]
    assert rows[b1.pk][4:] == [
        CaseStatus.CONTACTING.label,
        "2026-04-10",
        81,
        "有",
        "2026-05-01",
        CaseStatus.CONTACTING.label,
    ]


def test_a_step_dated_back_does_not_move_the_status_shown_for_the_day(
    worked, district, district_admin, school_a, care_officer
):
    """Found 1 June, assigned 2 July; its plan, written after the assignment, is dated 25 June.
    On 30 June the case was still 已发现: the plan's step moved no status."""
    case = open_case(make_pupil(school_a, name="甲五"), care_officer, on=D(2026, 6, 1))
    services.case_assign(
        case=case,
        version=case.version,
        actor=care_officer,
        on=D(2026, 7, 2),
        teacher_name="李老师",
        village_cadre="张三",
    )
    case.refresh_from_db()
    services.case_plan_set(
        case=case,
        version=case.version,
        actor=care_officer,
        on=D(2026, 6, 25),
        plan="每周家访一次，联系父母共同劝返",
    )
    drill = drill_records(
        indicator=REGISTRY["dropout_case_plan_rate"],
        part="denominator",
        unit=district,
        year=2025,
        user=district_admin,
    )
    (row,) = [drill.render(r) for r in drill.rows if r.pk == case.pk]
    assert row[4] == CaseStatus.FOUND.label
