import pytest
from django.core.exceptions import ValidationError

from ruraledu.orgunits import rural
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory


def test_path_and_depth_follow_the_tree(school_a, town_a, district):
    # given a school under town A under the district
    unit = school_a.org_unit
    # then its path chains the codes from the root
    assert unit.path == "D/TA/SA/"
    assert unit.depth == 2
    assert [u.code for u in unit.ancestors()] == ["D", "TA"]
    assert [u.code for u in town_a.descendants()] == ["SA"]


def test_a_prefix_code_does_not_leak_into_a_sibling_subtree(district):
    # given towns whose codes share a prefix ("T1" and "T10")
    t1 = OrgUnitFactory(code="T1", kind=OrgUnitKind.TOWN, parent=district)
    t10 = OrgUnitFactory(code="T10", kind=OrgUnitKind.TOWN, parent=district)
    OrgUnitFactory(code="S10", kind=OrgUnitKind.SCHOOL, parent=t10)
    # then T1's subtree does not contain T10's school (paths end with "/")
    assert list(t1.descendants()) == []


def test_it_refuses_a_school_directly_under_the_district(district):
    unit = OrgUnit(code="X", name="错层学校", kind=OrgUnitKind.SCHOOL, parent=district)
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_it_refuses_a_campus_without_campus_type(town_a):
    school = SchoolFactory(org_unit__parent=town_a)
    campus_unit = OrgUnitFactory(code="C1", kind=OrgUnitKind.CAMPUS, parent=school.org_unit)
    campus = School(org_unit=campus_unit, stage="218", ownership="public", urban_rural_code="220")
    with pytest.raises(ValidationError) as excinfo:
        campus.full_clean()
    assert "campus_type" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("111", False),
        ("112", False),
        ("121", True),
        ("122", True),
        ("123", True),
        ("210", True),
        ("220", True),
        ("", False),
        (None, False),
    ],
)
def test_is_rural_follows_the_urban_rural_code(code, expected):
    assert rural.is_rural(code) is expected


def test_rural_queryset_and_property_agree(town_a):
    # given one school of each urban-rural code
    for i, code in enumerate(["111", "112", "121", "122", "123", "210", "220"]):
        SchoolFactory(org_unit__code=f"R{i}", org_unit__parent=town_a, urban_rural_code=code)
    # then the queryset filter and the property give the same answer
    from_query = set(School.objects.rural().values_list("urban_rural_code", flat=True))
    from_property = {s.urban_rural_code for s in School.objects.all() if s.is_rural}
    assert from_query == from_property == {"121", "122", "123", "210", "220"}
    assert set(School.objects.urban().values_list("urban_rural_code", flat=True)) == {"111", "112"}


def test_the_rural_rule_is_configurable(town_a, settings):
    # given a district that counts only 乡村 (210/220) as rural
    settings.RURAL_URBAN_RURAL_CODES = ("210", "220")
    SchoolFactory(org_unit__code="R1", org_unit__parent=town_a, urban_rural_code="121")
    SchoolFactory(org_unit__code="R2", org_unit__parent=town_a, urban_rural_code="220")
    # then a 镇区 school is no longer rural, everywhere
    assert rural.is_rural("121") is False
    assert list(School.objects.rural().values_list("org_unit__code", flat=True)) == ["R2"]
