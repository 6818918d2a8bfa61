import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from ruraledu.accounts.choices import Action, Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.policy import Reach
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.activities.models import SchoolLink
from ruraledu.audit.models import AuditEvent

from .. import services
from ..models import InspectorAssignment, Zone
from .conftest import YEAR


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # drops the cached role assignments


def test_an_assigned_inspector_may_supervise_their_school_only(inspector, school_a, school_b):
    # given the inspector of school A
    reach = Reach(fresh(inspector), Action.SUPERVISE)
    # then
    assert reach.covers(school_a.org_unit.path)
    assert not reach.covers(school_b.org_unit.path)
    assert not Reach(fresh(inspector), Action.CHANGE).covers(school_a.org_unit.path)


def test_a_new_inspector_ends_the_old_assignment_and_keeps_its_history(
    inspector, district_admin, school_a
):
    # given a second inspector for school A
    successor = UserFactory(username="successor")
    # when
    services.inspector_assign(
        actor=district_admin,
        school=school_a,
        inspector=successor,
        year=YEAR,
        started_on=dt.date(2026, 3, 1),
    )
    # then the first assignment is ended, not deleted, and its role is gone
    old = InspectorAssignment.objects.get(inspector=inspector)
    assert old.ended_on == dt.date(2026, 3, 1)
    assert InspectorAssignment.objects.current().get(school=school_a).inspector == successor
    assert not RoleAssignment.objects.filter(user=inspector, role=Role.INSPECTOR).exists()
    assert not Reach(fresh(inspector), Action.SUPERVISE).covers(school_a.org_unit.path)
    assert Reach(fresh(successor), Action.SUPERVISE).covers(school_a.org_unit.path)


def test_a_school_assigned_twice_at_once_is_refused_in_chinese(
    inspector, district_admin, school_a, monkeypatch
):
    # given school A's inspector, and a second assignment that looked before it was committed
    first = QuerySet.first
    monkeypatch.setattr(
        QuerySet, "first", lambda qs: None if qs.model is InspectorAssignment else first(qs)
    )
    assign = {"actor": district_admin, "school": school_a, "year": YEAR}
    message = ["这所学校本学年的挂牌责任督学刚由他人登记，请刷新页面，核对后再调整。"]
    # when it is saved, then the one-current rule says so in Chinese (it named the rule)
    with pytest.raises(ValidationError) as refused:
        services.inspector_assign(inspector=UserFactory(), started_on=dt.date(2025, 9, 2), **assign)
    assert refused.value.messages == message
    # and so does the database's unique index past the check (was a server error)
    monkeypatch.setattr(
        InspectorAssignment, "validate_constraints", lambda self, exclude=None: None
    )
    with pytest.raises(ValidationError) as refused:
        services.inspector_assign(inspector=UserFactory(), started_on=dt.date(2025, 9, 2), **assign)
    assert refused.value.messages == message
    assert InspectorAssignment.objects.get(school=school_a).inspector == inspector


def test_only_the_bureau_assigns_inspectors(town_officer, school_a):
    with pytest.raises(PermissionDenied):
        services.inspector_assign(
            actor=town_officer,
            school=school_a,
            inspector=UserFactory(),
            year=YEAR,
            started_on=dt.date(2025, 9, 1),
        )
    assert not InspectorAssignment.objects.exists()


def test_a_researcher_link_is_the_same_school_link_the_import_writes(researcher, school_a):
    link = SchoolLink.objects.get()
    assert (link.person, link.school, link.year) == (
        researcher.staff_account.person,
        school_a,
        YEAR,
    )
    assert Reach(fresh(researcher), Action.OBSERVE).covers(school_a.org_unit.path)
    assert not Reach(fresh(researcher), Action.SUPERVISE).covers(school_a.org_unit.path)


def test_a_researcher_without_a_staff_record_cannot_be_linked(district_admin, school_a):
    with pytest.raises(ValidationError, match="对应的教职工"):
        services.school_link_assign(
            actor=district_admin, researcher=UserFactory(), school=school_a, year=YEAR
        )
    assert not SchoolLink.objects.exists()


def test_a_zone_is_a_set_of_schools_and_is_audited(district_admin, town_a, school_a, school_b):
    zone = services.zone_save(
        actor=district_admin, name="第一督导责任区", town=town_a, schools=[school_a, school_b]
    )
    assert set(Zone.objects.get().schools.all()) == {school_a, school_b}
    assert AuditEvent.objects.filter(object_id=str(zone.pk), summary__contains="第一督导责任区")


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (dt.date(2025, 8, 31), "结束日期不能早于开始日期（2025-09-01）。"),
        (dt.date(2026, 9, 1), "结束日期须在2025—2026学年内（2025-09-01 至 2026-08-31）。"),
        (dt.date(2099, 1, 1), "结束日期不能晚于今天。"),
    ],
)
def test_an_assignment_ends_only_inside_its_year_from_its_start_and_not_ahead(
    inspector, district_admin, school_a, ended_on, message
):
    assignment = InspectorAssignment.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.inspector_unassign(actor=district_admin, assignment=assignment, ended_on=ended_on)
    (text,) = refused.value.messages
    assert text.startswith(message)
    # still current, and the inspector keeps the school
    assert InspectorAssignment.objects.get().ended_on is None
    assert Reach(fresh(inspector), Action.SUPERVISE).covers(school_a.org_unit.path)


def test_an_assignment_ends_on_the_last_day_of_its_year(inspector, district_admin):
    assignment = InspectorAssignment.objects.get()
    services.inspector_unassign(
        actor=district_admin, assignment=assignment, ended_on=dt.date(2026, 8, 31)
    )
    assert InspectorAssignment.objects.get().ended_on == dt.date(2026, 8, 31)


def test_an_assignment_loaded_before_someone_else_ended_it_is_not_ended_again(
    inspector, district_admin
):
    # given two bureau users with the same open assignment on their screens
    seen_first, seen_second = InspectorAssignment.objects.get(), InspectorAssignment.objects.get()
    services.inspector_unassign(
        actor=district_admin, assignment=seen_first, ended_on=dt.date(2026, 3, 1)
    )
    # when the second ends it from what it loaded earlier, it is told it has ended already
    with pytest.raises(ValidationError) as refused:
        services.inspector_unassign(
            actor=district_admin, assignment=seen_second, ended_on=dt.date(2026, 4, 1)
        )
    assert refused.value.messages == ["该挂牌安排已经结束。"]
    # and the first end stands, audited once
    ended = InspectorAssignment.objects.get()
    assert ended.ended_on == dt.date(2026, 3, 1)
    assert (
        AuditEvent.objects.filter(object_id=str(ended.pk), summary__contains="不再负责").count()
        == 1
    )


def test_ending_one_years_assignment_keeps_the_school_for_another_still_open(
    inspector, district_admin, school_a
):
    # given the same inspector on school A for this year and, already, for the next
    services.inspector_assign(
        actor=district_admin,
        school=school_a,
        inspector=inspector,
        year=YEAR + 1,
        started_on=dt.date(YEAR + 1, 9, 1),
    )
    # when this year's assignment ends
    this_year = InspectorAssignment.objects.get(year=YEAR)
    services.inspector_unassign(
        actor=district_admin, assignment=this_year, ended_on=dt.date(YEAR + 1, 8, 31)
    )
    # then the inspector still supervises the school, for the next year's assignment
    assert Reach(fresh(inspector), Action.SUPERVISE).covers(school_a.org_unit.path)
    # and once that one ends too, the role goes
    services.inspector_unassign(
        actor=district_admin,
        assignment=InspectorAssignment.objects.get(year=YEAR + 1),
        ended_on=dt.date(YEAR + 1, 9, 2),
    )
    assert not Reach(fresh(inspector), Action.SUPERVISE).covers(school_a.org_unit.path)


def test_a_new_school_year_ends_last_years_assignments_and_takes_their_roles_back(
    inspector, other_inspector, district_admin, school_b
):
    from ruraledu.core.rollforward import school_year_start

    # given inspectors of schools A and B for this year, and B's already for the next too
    services.inspector_assign(
        actor=district_admin,
        school=school_b,
        inspector=other_inspector,
        year=YEAR + 1,
        started_on=dt.date(YEAR + 1, 9, 1),
    )
    # when the next school year starts
    school_year_start(year=YEAR + 1, actor=district_admin)
    # then this year's assignments end on the year's last day, audited, and are kept
    ended = InspectorAssignment.objects.filter(year=YEAR)
    assert {a.ended_on for a in ended} == {dt.date(YEAR + 1, 8, 31)}
    assert AuditEvent.objects.filter(summary__contains="随新学年开始结束").count() == 2
    # and the role follows the new year's assignments: A's inspector no longer has the school
    assert not Reach(fresh(inspector), Action.SUPERVISE)
    assert Reach(fresh(other_inspector), Action.SUPERVISE).covers(school_b.org_unit.path)


def test_an_assignment_recorded_for_a_past_year_grants_no_role(district_admin, school_b):
    # given the platform in the year after YEAR
    from ruraledu.core.models import SchoolYear

    SchoolYear.objects.update(is_current=False)
    SchoolYear.objects.create(year=YEAR + 1, is_current=True)
    # when the bureau records who inspected school B in YEAR
    past = UserFactory(username="past_inspector")
    services.inspector_assign(
        actor=district_admin,
        school=school_b,
        inspector=past,
        year=YEAR,
        started_on=dt.date(YEAR, 10, 1),
    )
    # then the history is kept, and gives no reach today
    assert InspectorAssignment.objects.get(inspector=past).year == YEAR
    assert not Reach(fresh(past), Action.SUPERVISE)


def test_a_new_school_year_keeps_a_researchers_rolled_links_and_takes_back_the_rest(
    researcher, district_admin, school_a, school_b, town_a
):
    from ruraledu.core.rollforward import school_year_start

    # given the researcher linked to A this year, and to B only two years ago
    account = researcher.staff_account
    SchoolLink.objects.create(person=account.person, school=school_b, year=YEAR - 1)
    RoleAssignment.objects.create(user=researcher, role=Role.RESEARCHER, org_unit=school_b.org_unit)
    # and a researcher role given by hand on a town, which no link gave
    RoleAssignment.objects.create(user=researcher, role=Role.RESEARCHER, org_unit=town_a)
    # when the next school year starts (this year's links roll forward)
    school_year_start(year=YEAR + 1, actor=district_admin)
    # then A is kept by the rolled link, B is taken back (audited), the town stays
    reach = Reach(fresh(researcher), Action.OBSERVE)
    assert reach.covers(school_a.org_unit.path)
    assert not RoleAssignment.objects.filter(user=researcher, org_unit=school_b.org_unit).exists()
    assert RoleAssignment.objects.filter(user=researcher, org_unit=town_a).exists()
    taken = AuditEvent.objects.get(summary__contains="收回其听课权限")
    assert school_b.org_unit.name in taken.summary
    # the link itself stays as history
    assert SchoolLink.objects.filter(school=school_b, year=YEAR - 1).exists()


def test_a_link_recorded_for_a_past_year_grants_no_researcher_role(
    researcher, district_admin, school_b
):
    from ruraledu.core.models import SchoolYear

    SchoolYear.objects.update(is_current=False)
    SchoolYear.objects.create(year=YEAR + 1, is_current=True)
    # when the bureau records that the researcher served school B in YEAR
    services.school_link_assign(
        actor=district_admin, researcher=researcher, school=school_b, year=YEAR
    )
    # then the link is kept, and gives no 听课 right at B today
    assert SchoolLink.objects.filter(school=school_b, year=YEAR).exists()
    assert not Reach(fresh(researcher), Action.OBSERVE).covers(school_b.org_unit.path)
