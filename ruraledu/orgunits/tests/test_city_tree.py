"""Cities and provinces above districts: the tree's shape rules, and moving a district (with
everything below it) under a city."""

import pytest
from django.core.exceptions import ValidationError

from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import OrgUnit
from ruraledu.orgunits.services import orgunit_move, orgunits_load
from ruraledu.orgunits.tests.factories import OrgUnitFactory

TREE = """district: {code: "D", name: 示例区}
units:
  - {code: "D1", name: 甲镇, kind: town}
  - {code: "D2", name: 乙街道, kind: subdistrict}
"""


def test_the_shape_allows_province_city_district_and_not_the_reverse(db):
    province = OrgUnit(code="P", name="示例省", kind=OrgUnitKind.PROVINCE)
    province.full_clean()
    province.save()
    city = OrgUnit(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=province)
    city.full_clean()
    city.save()
    OrgUnit(code="D", name="示例区", kind=OrgUnitKind.DISTRICT, parent=city).full_clean()
    OrgUnit(code="D0", name="独立区", kind=OrgUnitKind.DISTRICT).full_clean()  # alone: a root
    district = OrgUnitFactory(code="D9", name="区", kind=OrgUnitKind.DISTRICT, parent=city)
    with pytest.raises(ValidationError):
        OrgUnit(code="X", name="错市", kind=OrgUnitKind.CITY, parent=district).full_clean()
    with pytest.raises(ValidationError):
        OrgUnit(code="T", name="错镇", kind=OrgUnitKind.TOWN, parent=city).full_clean()


def test_a_loaded_district_moves_under_a_city_with_its_subtree_and_stays(db, tmp_path):
    file = tmp_path / "orgunits.yaml"
    file.write_text(TREE, encoding="utf-8")
    orgunits_load(file)
    school = OrgUnitFactory(
        code="S", name="学校", kind=OrgUnitKind.SCHOOL, parent=OrgUnit.objects.get(code="D1")
    )
    assert school.path == "D/D1/S/"
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    orgunits_load(file, parent=city)
    rows = dict(OrgUnit.objects.values_list("code", "path"))
    assert rows == {"C": "C/", "D": "C/D/", "D1": "C/D/D1/", "D2": "C/D/D2/", "S": "C/D/D1/S/"}
    assert OrgUnit.objects.get(code="S").depth == 3
    orgunits_load(file)  # loading again without a city leaves the district where it is
    assert OrgUnit.objects.get(code="D").parent_id == city.pk
    assert OrgUnit.objects.get(code="S").path == "C/D/D1/S/"


def test_a_unit_cannot_move_below_itself(db):
    city = OrgUnitFactory(code="C", name="示例市", kind=OrgUnitKind.CITY, parent=None)
    district = OrgUnitFactory(code="D", name="示例区", kind=OrgUnitKind.DISTRICT, parent=city)
    with pytest.raises(ValidationError):
        orgunit_move(unit=city, parent=district)
