"""Visits against the bureau's plan: hand-worked counts (capped per kind and month, only
signed-off visits, only the months a school has a 挂牌 inspector, no summer months)."""

import datetime as dt

from .. import services
from ..plan import Progress, months_between, plan_progress, term_months, year_months
from .conftest import YEAR, fill_verdicts

SEP, OCT, NOV, DEC = (dt.date(2025, m, 1) for m in (9, 10, 11, 12))


def signed_visit(school, inspector, kind, on):
    visit = services.visit_create(actor=inspector, school=school, kind=kind, visited_on=on)
    visit = fill_verdicts(visit, inspector)
    return services.visit_sign_off(
        actor=inspector,
        visit=visit,
        version=visit.version,
        principal_name="张校长",
        acknowledged=True,
    )


def test_the_plan_months_leave_out_the_summer_and_stop_at_the_day():
    # given / when / then
    assert months_between(dt.date(2026, 6, 15), dt.date(2026, 9, 3)) == [
        dt.date(2026, 6, 1),
        dt.date(2026, 9, 1),
    ]
    assert year_months(2025, dt.date(2025, 11, 30)) == [SEP, OCT, NOV]
    assert len(year_months(2025, dt.date(2027, 1, 1))) == 10
    assert term_months(dt.date(2026, 1, 20)) == [SEP, OCT, NOV, DEC, dt.date(2026, 1, 1)]
    assert term_months(dt.date(2026, 3, 2)) == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


def test_visits_count_against_the_plan_capped_per_month_and_only_when_signed_off(
    district_admin, inspector, school_a, kind
):
    # given one visit a month expected; two signed-off visits in September, one in November,
    # a draft in December, and a visit of a kind without a number
    other = services.visit_kind_save(actor=district_admin, name="专项督导", visits_per_month=0)
    draft = services.checklist_draft_save(
        actor=district_admin, kind=other, title="专项", lines="安全：消防"
    )
    services.checklist_publish(actor=district_admin, checklist=draft)
    signed_visit(school_a, inspector, kind, dt.date(2025, 9, 22))
    signed_visit(school_a, inspector, kind, dt.date(2025, 9, 25))
    signed_visit(school_a, inspector, kind, dt.date(2025, 11, 10))
    signed_visit(school_a, inspector, other, dt.date(2025, 10, 9))
    services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=dt.date(2025, 12, 1)
    )

    # when
    progress = plan_progress(schools=[school_a.pk], months=[SEP, OCT, NOV, DEC])

    # then 4 expected, 2 counted (September counts once), 3 signed-off planned visits
    assert progress == {school_a.pk: Progress(expected=4, done=2, visits=3)}
    assert progress[school_a.pk].short == 2 and progress[school_a.pk].percent == 50


def test_a_school_is_on_the_plan_only_in_the_months_it_has_an_inspector(
    district_admin, inspector, other_inspector, school_a, school_b, kind
):
    # given school B's inspector ended on 14 October and school A gets a second kind expected
    # twice a month from then
    signed_visit(school_b, other_inspector, kind, dt.date(2025, 9, 10))
    assignment = school_b.inspector_assignments.get()
    services.inspector_unassign(
        actor=district_admin, assignment=assignment, ended_on=dt.date(2025, 10, 14)
    )
    services.visit_kind_save(actor=district_admin, name="随机督导", visits_per_month=2)

    # when
    progress = plan_progress(schools=[school_a.pk, school_b.pk], months=[SEP, OCT, NOV, DEC])

    # then A: 4 months × (1 + 2); B: September and October only, × 3, one visit done
    assert progress[school_a.pk] == Progress(expected=12, done=0, visits=0)
    assert progress[school_b.pk] == Progress(expected=6, done=1, visits=1)


def test_an_inspector_counts_only_the_months_of_their_own_assignment(
    district_admin, inspector, school_a, kind
):
    # given school A handed to another inspector from 3 November
    from ruraledu.accounts.tests.factories import UserFactory

    signed_visit(school_a, inspector, kind, dt.date(2025, 10, 9))
    successor = UserFactory(username="successor")
    services.inspector_assign(
        actor=district_admin,
        school=school_a,
        inspector=successor,
        year=YEAR,
        started_on=dt.date(2025, 11, 3),
    )

    # when
    mine = plan_progress(schools=[school_a.pk], months=[SEP, OCT, NOV, DEC], inspector=inspector)
    theirs = plan_progress(schools=[school_a.pk], months=[SEP, OCT, NOV, DEC], inspector=successor)

    # then the handover month counts for both
    assert mine[school_a.pk] == Progress(expected=3, done=1, visits=1)
    assert theirs[school_a.pk] == Progress(expected=2, done=0, visits=0)
