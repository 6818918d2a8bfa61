"""Sources and scopes shared by the indicator definitions."""

from django.db.models import Q

from ruraledu.activities.kinds import FEATURE_COURSES
from ruraledu.activities.kinds import INTERNS as INTERNS_KIND
from ruraledu.activities.kinds import NOMINATIONS as NOMINATIONS_KIND
from ruraledu.facilities.kinds import FACILITY_RECORDS, KINDERGARTEN_CLASSES, VILLAGE_RECORDS
from ruraledu.facilities.models import FacilityRecord, TitleAward
from ruraledu.orgunits.choices import COMPULSORY_STAGES, OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.orgunits.rural import rural_codes
from ruraledu.students.kinds import ENROLMENTS
from ruraledu.workforce.kinds import POSTS as POSTS_KIND

from ..engine import Scope, Source

# ---------------------------------------------------------------- sources

SCHOOLS = Source(
    "schools",
    School,
    unit="org_unit_id",
    year=None,
    label="学校",
    base=lambda year: Q(org_unit__is_active=True, org_unit__kind=OrgUnitKind.SCHOOL),
)
TOWNS = Source(
    "towns",
    OrgUnit,
    unit="id",
    year=None,
    label="镇",
    base=lambda year: Q(is_active=True, kind=OrgUnitKind.TOWN),
)
# registry sources name the yearly kind they read (declared in the kind's app)
FACILITY = Source.of_kind("facility", FACILITY_RECORDS)
ENROLMENT = Source.of_kind("enrolment", ENROLMENTS)
POSTS = Source.of_kind("posts", POSTS_KIND, label="教职工任职")
VILLAGES = Source.of_kind("villages", VILLAGE_RECORDS, unit="village_id")
KG_CLASSES = Source.of_kind("kg_classes", KINDERGARTEN_CLASSES)
INTERNS = Source.of_kind("interns", INTERNS_KIND)
COURSES = Source.of_kind("courses", FEATURE_COURSES, label="特色课程")
NOMINATIONS = Source.of_kind(
    "nominations",
    NOMINATIONS_KIND,
    unit="person__posts__school_id",
    base=lambda year: Q(person__posts__year=year),
)

# ---------------------------------------------------------------- scopes


def _schools(**extra) -> Q:
    return Q(kind=OrgUnitKind.SCHOOL, **extra)


def _rural() -> Q:
    return Q(school__urban_rural_code__in=rural_codes())


ALL_SCHOOLS = Scope("all_schools", "全部学校", lambda y: _schools())
RURAL_SCHOOLS = Scope("rural_schools", "乡村学校（含幼儿园）", lambda y: _schools() & _rural())
RURAL_COMPULSORY = Scope(
    "rural_compulsory",
    "乡村义务教育学校",
    lambda y: _schools(school__stage__in=COMPULSORY_STAGES) & _rural(),
)
URBAN_COMPULSORY = Scope(
    "urban_compulsory",
    "城区义务教育学校",
    lambda y: _schools(school__stage__in=COMPULSORY_STAGES) & ~_rural(),
)
COMPULSORY = Scope(
    "compulsory", "义务教育学校", lambda y: _schools(school__stage__in=COMPULSORY_STAGES)
)
RURAL_PUBLIC = Scope(
    "rural_public",
    "乡村公办中小学、幼儿园",
    lambda y: _schools(school__ownership=Ownership.PUBLIC) & _rural(),
)
RURAL_KINDERGARTENS = Scope(
    "rural_kindergartens",
    "乡村幼儿园",
    lambda y: _schools(school__stage=SchoolStage.KINDERGARTEN) & _rural(),
)
TOWN_KINDERGARTENS = Scope(
    "town_kindergartens",
    "乡镇幼儿园",
    lambda y: _schools(school__stage=SchoolStage.KINDERGARTEN, parent__kind=OrgUnitKind.TOWN),
)
TOWN_PUBLIC_KINDERGARTENS = Scope(
    "town_public_kindergartens",
    "镇公办幼儿园",
    lambda y: _schools(
        school__stage=SchoolStage.KINDERGARTEN,
        school__ownership=Ownership.PUBLIC,
        parent__kind=OrgUnitKind.TOWN,
    ),
)
TOWN_SEAT_SCHOOLS = Scope(
    "town_seat_schools",
    "镇驻地中小学校",
    lambda y: _schools(school__is_town_seat=True, school__stage__in=COMPULSORY_STAGES),
)
TOWNS_SCOPE = Scope("towns", "各镇", lambda y: Q(kind=OrgUnitKind.TOWN))
PILOT_TOWNS = Scope(
    "pilot_towns",
    "省市级强镇筑基试点镇",
    lambda y: Q(
        kind=OrgUnitKind.TOWN, pilots__level__in=["province", "city"], pilots__started_year__lte=y
    ),
)
VILLAGES_SCOPE = Scope("villages", "村居", lambda y: Q(kind=OrgUnitKind.VILLAGE))

# ---------------------------------------------------------------- conditions on schools


def has_facility(year: int, **flags) -> Q:
    """The school's own facility record of the year has every flag set (campuses not counted).

    Conditions on schools and towns are uncorrelated IN-sets: the database builds each set
    once per scan instead of probing it for every school."""
    return Q(pk__in=FacilityRecord.objects.filter(year=year, **flags).values("school_id"))


def holds_title(year: int, kind: str, highest_level: str = "4") -> Q:
    """Holds `kind` at `highest_level` or above (levels: 1 国家 … 4 县) in the year."""
    titles = TitleAward.objects.filter(
        kind=kind, level__lte=highest_level, awarded_year__lte=year
    ).filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=year))
    return Q(pk__in=titles.values("school_id"))
