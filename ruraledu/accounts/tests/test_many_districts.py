"""The policy when one instance serves many districts: a role on a district reaches that
district only; the whole tree (and `is_bureau`) belongs to a role on every root."""

from ruraledu.accounts.choices import Action, Role
from ruraledu.accounts.policy import Reach, bureau_units, bureau_users, is_bureau, role_units
from ruraledu.accounts.scoping import is_district_wide
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import BUREAU_KINDS, TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory
from ruraledu.reporting.querysets import authoring_paths


def _user(name, role, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    return user


def test_a_district_bureau_under_a_city_reaches_its_district_only(city):
    admin = _user("a_admin", Role.DISTRICT_ADMIN, city.children.get(code="A"))
    reach = Reach(admin, Action.REVIEW)
    assert reach.covers("C/A/A1/") and not reach.covers("C/B/B1/")
    assert not reach.whole_tree and not is_bureau(admin) and not is_district_wide(admin)
    assert [u.code for u in bureau_units(admin)] == ["A"]
    assert authoring_paths(admin) == []
    assert admin not in bureau_users()


def test_the_city_bureau_is_the_install_bureau(city):
    admin = _user("c_admin", Role.DISTRICT_ADMIN, city)
    town = _user("a_town", Role.TOWN_OFFICER, city.children.get(code="A").children.get())
    assert Reach(admin, Action.VIEW).whole_tree and is_bureau(admin) and is_district_wide(admin)
    assert list(bureau_users()) == [admin]
    assert authoring_paths(town) == ["C/A/A1/"]


def test_districts_side_by_side_at_the_root_do_not_reach_each_other(db):
    a = OrgUnitFactory(code="A", name="A区", kind=OrgUnitKind.DISTRICT, parent=None)
    b = OrgUnitFactory(code="B", name="B区", kind=OrgUnitKind.DISTRICT, parent=None)
    admin_a = _user("a_admin", Role.DISTRICT_ADMIN, a)
    both = _user("both", Role.DISTRICT_ADMIN, a)
    RoleAssignmentFactory(user=both, role=Role.DISTRICT_ADMIN, org_unit=b)
    # a role on one root of two is not the whole tree: importers must check every record
    assert not Reach(admin_a, Action.CHANGE).whole_tree and not is_bureau(admin_a)
    assert Reach(both, Action.CHANGE).whole_tree and is_bureau(both)
    assert list(bureau_users()) == [both]


def test_the_single_district_install_is_unchanged(db):
    district = OrgUnitFactory(code="D", name="示例区", kind=OrgUnitKind.DISTRICT, parent=None)
    admin = _user("admin", Role.DISTRICT_ADMIN, district)
    assert is_bureau(admin) and Reach(admin, Action.CHANGE).whole_tree
    assert [u.code for u in bureau_units(admin)] == ["D"]
    assert list(bureau_users()) == [admin]


def test_the_units_of_a_kind_a_role_is_on_wherever_they_sit(city):
    town = city.children.get(code="A").children.get()
    officer = _user("a_town", Role.TOWN_OFFICER, town)
    leader = _user("a_leader", Role.DISTRICT_LEADER, city.children.get(code="A"))
    # a town one level deeper under a city is still a town
    assert role_units(officer, Action.VIEW, TOWN_LEVEL_KINDS) == [town]
    assert (
        role_units(officer, Action.VIEW, BUREAU_KINDS) == bureau_units(officer, Action.VIEW) == []
    )
    assert role_units(officer, Action.REVIEW, TOWN_LEVEL_KINDS) == []  # not the town's right
    assert [u.code for u in role_units(leader, Action.VIEW, BUREAU_KINDS)] == ["A"]
    assert role_units(leader, Action.VIEW, TOWN_LEVEL_KINDS) == []
