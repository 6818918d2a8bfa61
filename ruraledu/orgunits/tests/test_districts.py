"""The districts of the install and which of them a user reads or writes, in a single-district
install and in a city of two: covered whole (a bureau, a read-only role on the district or
above) or touched (also a town's or a school's role inside), and the path filter of them."""

import pytest

from ruraledu.accounts.choices import Action, Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.districts import districts, districts_covered, districts_touched, within
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory


def _user(name, role, unit):
    user = UserFactory(username=name)
    RoleAssignmentFactory(user=user, role=role, org_unit=unit)
    return user


def _codes(units) -> list[str]:
    return [u.code for u in units]


# ---------------------------------------------------------------- a single-district install


def test_a_single_district_install_has_its_district(district, town_a):
    assert districts() == [district]


def test_in_a_single_district_the_bureau_covers_it_and_towns_and_schools_touch_it(
    district, district_admin, district_leader, town_officer, school_clerk
):
    # the bureau covers its district for reading and writing
    assert districts_covered(district_admin) == [district]
    assert districts_covered(district_admin, Action.REVIEW) == [district]
    # a leader reads it whole and changes nothing
    assert districts_covered(district_leader) == [district]
    assert districts_covered(district_leader, Action.REVIEW) == []
    # a town's and a school's roles cover no district, they reach into it
    for user in (town_officer, school_clerk):
        assert districts_covered(user) == []
        assert districts_touched(user) == [district]
        assert districts_touched(user, Action.REVIEW) == []
    assert districts_touched(district_admin) == [district]


def test_a_tree_without_district_units_has_its_roots(db):
    first = OrgUnitFactory(code="R1", name="一市", kind=OrgUnitKind.CITY, parent=None)
    second = OrgUnitFactory(code="R2", name="二市", kind=OrgUnitKind.CITY, parent=None)
    OrgUnitFactory(code="R1T", name="镇", kind=OrgUnitKind.TOWN, parent=first)
    assert districts() == sorted([first, second], key=lambda u: u.path)


# ---------------------------------------------------------------- a city of two districts


@pytest.fixture
def school_in_a(district_a):
    return SchoolFactory(
        org_unit__code="AS", org_unit__name="A区小学", org_unit__parent=district_a.children.get()
    )


@pytest.fixture
def school_in_b(district_b):
    return SchoolFactory(
        org_unit__code="BS", org_unit__name="B区小学", org_unit__parent=district_b.children.get()
    )


def test_a_city_has_its_active_districts_by_path(city, district_a, district_b):
    assert districts() == [district_a, district_b]
    OrgUnit.objects.filter(pk=district_b.pk).update(is_active=False)
    assert districts() == [district_a]


def test_the_city_bureau_covers_every_district(city, district_a, district_b):
    bureau = _user("city_bureau", Role.DISTRICT_ADMIN, city)
    for action in (Action.VIEW, Action.REVIEW):
        assert districts_covered(bureau, action) == [district_a, district_b]
        assert districts_touched(bureau, action) == [district_a, district_b]


def test_a_district_bureau_covers_its_own_district_only(district_a, district_b):
    bureau = _user("bureau_a", Role.DISTRICT_ADMIN, district_a)
    assert districts_covered(bureau) == [district_a]
    assert districts_covered(bureau, Action.REVIEW) == [district_a]
    assert districts_touched(bureau) == [district_a]


def test_a_town_role_touches_its_district_and_covers_none(district_a, district_b):
    officer = _user("town_a", Role.TOWN_OFFICER, district_a.children.get())
    assert districts_covered(officer) == []
    assert districts_touched(officer) == [district_a]
    assert districts_touched(officer, Action.REVIEW) == []


def test_a_school_role_touches_its_district_and_covers_none(school_in_b, district_a, district_b):
    clerk = _user("clerk_b", Role.SCHOOL_CLERK, school_in_b.org_unit)
    assert districts_covered(clerk) == []
    assert districts_touched(clerk) == [district_b]
    assert districts_covered(clerk, Action.REVIEW) == []


def test_a_superuser_covers_and_touches_every_district(district_a, district_b):
    root = UserFactory(username="root", is_superuser=True)
    assert districts_covered(root, Action.REVIEW) == [district_a, district_b]
    assert districts_touched(root) == [district_a, district_b]


def test_the_districts_read_once_are_reused(district_a, district_b, django_assert_num_queries):
    bureau = _user("bureau_b", Role.DISTRICT_ADMIN, district_b)
    every = districts()
    districts_covered(bureau)  # the user's roles are read once and kept on the user
    with django_assert_num_queries(0):
        assert districts_covered(bureau, Action.REVIEW, every) == [district_b]
        assert districts_touched(bureau, Action.VIEW, every) == [district_b]
        assert districts_covered(bureau, Action.VIEW, []) == []


def test_within_keeps_the_rows_inside_the_districts(school_in_a, school_in_b, district_a, city):
    def codes(units):
        return sorted(
            School.objects.filter(within(units, "org_unit__path")).values_list(
                "org_unit__code", flat=True
            )
        )

    assert codes([district_a]) == ["AS"]
    assert codes(districts()) == ["AS", "BS"]
    assert codes([city]) == ["AS", "BS"]
    assert codes([]) == []
    # a field reached through a relation
    towns = OrgUnit.objects.filter(kind=OrgUnitKind.TOWN)
    assert _codes(towns.filter(within([district_a], "path"))) == ["A1"]
