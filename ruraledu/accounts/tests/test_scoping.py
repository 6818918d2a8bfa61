from django.contrib.auth.models import AnonymousUser

from ruraledu.accounts.choices import Action, Role
from ruraledu.accounts.scoping import can, scope_paths
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.models import OrgUnit, School


def codes(queryset):
    return sorted(queryset.values_list("org_unit__code", flat=True))


def test_district_admin_sees_every_school(district_admin, school_a, school_b):
    assert codes(School.objects.for_user(district_admin)) == ["SA", "SB"]


def test_town_officer_sees_the_town_subtree_only(town_officer, school_a, school_b):
    assert codes(School.objects.for_user(town_officer)) == ["SA"]
    units = OrgUnit.objects.for_user(town_officer).values_list("code", flat=True)
    assert sorted(units) == ["SA", "TA"]


def test_clerk_sees_own_school_only(school_clerk, school_a, school_b):
    assert codes(School.objects.for_user(school_clerk)) == ["SA"]


def test_anonymous_and_inactive_users_see_nothing(school_a, school_clerk):
    assert not School.objects.for_user(AnonymousUser()).exists()
    school_clerk.is_active = False
    assert not School.objects.for_user(school_clerk).exists()


def test_department_role_gives_no_org_tree_scope(department_reporter, school_a):
    assert not School.objects.for_user(department_reporter).exists()
    assert can(department_reporter, Action.VIEW)


def test_superuser_sees_everything_without_roles(db, school_a, school_b):
    root = UserFactory(username="root", is_superuser=True)
    assert codes(School.objects.for_user(root)) == ["SA", "SB"]


def test_leader_may_view_but_not_change(district_leader, school_a):
    assert codes(School.objects.for_user(district_leader, Action.VIEW)) == ["SA"]
    assert not School.objects.for_user(district_leader, Action.CHANGE).exists()
    assert not can(district_leader, Action.CHANGE)


def test_inspector_holds_several_schools(db, school_a, school_b, town_b):
    inspector = UserFactory(username="inspector")
    RoleAssignmentFactory(user=inspector, role=Role.INSPECTOR, org_unit=school_a.org_unit)
    RoleAssignmentFactory(user=inspector, role=Role.INSPECTOR, org_unit=school_b.org_unit)
    assert codes(School.objects.for_user(inspector)) == ["SA", "SB"]
    assert scope_paths(inspector, Action.CHANGE) == []
