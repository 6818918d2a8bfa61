"""Builders for test_coverage_towns_preschool.py ONLY (coverage, towns, preschool indicators).

Small, explicit helpers: every test spells out its own org tree and records with these, so that the
expected numbers can be worked out by hand from the test alone.
"""

from ruraledu.activities.choices import DistrictRole
from ruraledu.activities.models import DistrictRoleAssignment
from ruraledu.facilities.choices import KindergartenLevel
from ruraledu.facilities.models import FacilityRecord, KindergartenClass, TitleAward, VillageRecord
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year
from ruraledu.orgunits.choices import CampusType, OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.models import OrgUnit, School, SchoolDistrict
from ruraledu.spreadsheets.testing import new_id
from ruraledu.workforce.choices import Degree
from ruraledu.workforce.models import Post, StaffPerson

YEAR = 2024  # the school year 2024-09-01 … 2025-08-31

# ---------------------------------------------------------------- org tree


def unit(code: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    return OrgUnit.objects.create(code=code, name=code, kind=kind, parent=parent)


def town(code: str, district: OrgUnit) -> OrgUnit:
    return unit(code, OrgUnitKind.TOWN, district)


def subdistrict(code: str, district: OrgUnit) -> OrgUnit:
    """街道: town level, but not a 镇."""
    return unit(code, OrgUnitKind.SUBDISTRICT, district)


def village(code: str, parent: OrgUnit) -> OrgUnit:
    return unit(code, OrgUnitKind.VILLAGE, parent)


def school(
    code: str,
    parent: OrgUnit,
    *,
    ur: str = "220",
    stage: str = SchoolStage.PRIMARY,
    ownership: str = Ownership.PUBLIC,
    inclusive: bool = False,
    seat: bool = False,
    school_district: SchoolDistrict | None = None,
) -> School:
    """A school (legal entity); `ur` is its 统计用城乡划分代码."""
    return School.objects.create(
        org_unit=unit(code, OrgUnitKind.SCHOOL, parent),
        stage=stage,
        ownership=ownership,
        is_inclusive=inclusive,
        urban_rural_code=ur,
        is_town_seat=seat,
        school_district=school_district,
    )


def kindergarten(code: str, parent: OrgUnit, **attributes) -> School:
    return school(code, parent, stage=SchoolStage.KINDERGARTEN, **attributes)


def campus(code: str, of: School, campus_type: str = CampusType.BRANCH) -> School:
    """A campus (校区) of a school, with the school's attributes."""
    return School.objects.create(
        org_unit=unit(code, OrgUnitKind.CAMPUS, of.org_unit),
        stage=of.stage,
        ownership=of.ownership,
        is_inclusive=of.is_inclusive,
        urban_rural_code=of.urban_rural_code,
        campus_type=campus_type,
    )


# ---------------------------------------------------------------- records


def facility(school: School, year: int = YEAR, **fields) -> FacilityRecord:
    return FacilityRecord.objects.create(school=school, year=year, **fields)


def title(
    school: School, kind: str, level: str, awarded: int, revoked: int | None = None
) -> TitleAward:
    return TitleAward.objects.create(
        school=school, kind=kind, level=level, awarded_year=awarded, revoked_year=revoked
    )


def kg_classes(
    kg: School,
    children: int,
    classes: int = 1,
    oversized: int = 0,
    level: str = KindergartenLevel.SMALL,
    year: int = YEAR,
) -> KindergartenClass:
    return KindergartenClass.objects.create(
        school=kg,
        year=year,
        level=level,
        classes=classes,
        children=children,
        oversized_classes=oversized,
    )


def village_record(village: OrgUnit, year: int = YEAR, **fields) -> VillageRecord:
    return VillageRecord.objects.create(village=village, year=year, **fields)


def staff(name: str = "教师") -> StaffPerson:
    person = StaffPerson(name=name, sex="1")
    person.set_id_number(new_id())
    person.save()
    return person


def post(person: StaffPerson, school: School, year: int = YEAR, **fields) -> Post:
    fields.setdefault("degree", Degree.BACHELOR)
    return Post.objects.create(person=person, school=school, year=year, **fields)


def district_role(school_district: SchoolDistrict, role: str, year: int = YEAR):
    return DistrictRoleAssignment.objects.create(
        school_district=school_district, person=staff(), role=role, year=year
    )


DIRECTOR, ADVISER = DistrictRole.DIRECTOR, DistrictRole.ADVISER

# ---------------------------------------------------------------- computing


def computed(code: str, year: int = YEAR) -> dict[str, tuple]:
    """unit code -> (value, numerator, denominator, details) of one indicator in a year."""
    rows, _ = compute_year(year, [REGISTRY[code]], Tree())
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    return {codes[unit]: row for (_, unit), row in rows.items()}


def results(code: str, year: int = YEAR) -> dict[str, tuple]:
    """unit code -> (value, numerator, denominator) of one indicator in a year."""
    return {unit: row[:3] for unit, row in computed(code, year).items()}
