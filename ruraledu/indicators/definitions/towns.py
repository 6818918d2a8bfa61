"""Towns, villages, 学区, studios, pilots, groups: shares over towns and villages."""

from django.db.models import Q

from ruraledu.activities.choices import DistrictRole, Level
from ruraledu.activities.models import DistrictRoleAssignment, SchoolLink, Studio, TownPilot
from ruraledu.facilities.models import FacilityRecord
from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.orgunits.models import EducationGroup, SchoolDistrict
from ruraledu.workforce.models import Post

from ..engine import Scope, Source, count, define
from .common import ALL_SCHOOLS, PILOT_TOWNS, TOWNS, TOWNS_SCOPE, VILLAGES, VILLAGES_SCOPE
from .people import _observed_enough

TOWN_COUNT = count(TOWNS)

# ---------------------------------------------------------------- villages

PARENT_SCHOOL = Q(parent_school=True) | Q(guidance_station=True)
define(
    "village_parent_school_rate",
    "村居家长学校或家庭教育指导站点覆盖率",
    "建有家长学校或家庭教育指导站点的村居数 ÷ 村居数（以本学年登记的村居情况为准）。",
    VILLAGES_SCOPE,
    count(VILLAGES, PARENT_SCHOOL),
    count(VILLAGES),
    requires=(VILLAGES,),
    numerator_label="已覆盖村居数",
    denominator_label="村居数",
)
define(
    "civilisation_station_parent_school_rate",
    "新时代文明实践站家长学校覆盖率",
    "建有家长学校或家庭教育指导站点的新时代文明实践所（站）数 ÷ 文明实践所（站）数（按所在村居计）。",
    VILLAGES_SCOPE,
    count(VILLAGES, Q(civilisation_station=True) & PARENT_SCHOOL),
    count(VILLAGES, Q(civilisation_station=True)),
    requires=(VILLAGES,),
    numerator_label="已覆盖文明实践站数",
    denominator_label="文明实践站数",
)

# ---------------------------------------------------------------- towns


def town_share(code, name, definition, condition, scope=TOWNS_SCOPE):
    return define(
        code,
        name,
        definition,
        scope,
        count(TOWNS, condition),
        TOWN_COUNT,
        numerator_label="达标镇数",
        denominator_label="镇数",
    )


def _district_staffed(year: int) -> Q:
    # both roles in the same 学区, not one 学区 with a director and another with an adviser
    roles = DistrictRoleAssignment.objects.filter(year=year)
    staffed = SchoolDistrict.objects.filter(
        pk__in=roles.filter(role=DistrictRole.DIRECTOR).values("school_district_id")
    ).filter(pk__in=roles.filter(role=DistrictRole.ADVISER).values("school_district_id"))
    return Q(pk__in=staffed.values("town_id"))


town_share(
    "town_school_district_staffed_rate",
    "学区设立并配齐学区主任和教育指导员的镇比例",
    "本学年设有学区、且学区配有学区主任和至少 1 名教育指导员的镇数 ÷ 镇数（不含街道）。",
    _district_staffed,
)
town_share(
    "school_district_itinerant_teaching_rate",
    "学区“走教”制度建立比例",
    "本学年学区内至少有 1 名教师“走教”的镇数 ÷ 镇数。",
    lambda y: Q(
        pk__in=Post.objects.filter(year=y, peripatetic=True).values(
            "school__school_district__town_id"
        )
    ),
)


def _studio(year: int, levels=None) -> Q:
    studios = Studio.objects.filter(founded_year__lte=year).filter(
        Q(closed_year__isnull=True) | Q(closed_year__gt=year)
    )
    if levels:
        studios = studios.filter(level__in=levels)
    return Q(pk__in=studios.values("town_id"))


town_share(
    "pilot_town_city_studio_rate",
    "强镇筑基试点镇市级名师工作室覆盖率",
    "至少建有 1 个市级及以上名师工作室的省、市级强镇筑基试点镇数 ÷ 试点镇数。",
    lambda y: _studio(y, (Level.CITY, Level.PROVINCE, Level.NATIONAL)),
    PILOT_TOWNS,
)
town_share(
    "town_famous_teacher_studio_rate",
    "名师工作室镇覆盖率",
    "至少建有 1 个名师工作室（任一级别）的镇数 ÷ 镇数。",
    _studio,
)


def _facility_in_town(year: int, stages=None, **flags):
    # records of the town's schools and of their campuses (a campus's town is two levels up)
    records = FacilityRecord.objects.filter(year=year, **flags)
    if stages:
        records = records.filter(school__stage__in=stages)
    at_schools = records.filter(school__org_unit__kind="school").values(
        "school__org_unit__parent_id"
    )
    at_campuses = records.filter(school__org_unit__kind="campus").values(
        "school__org_unit__parent__parent_id"
    )
    return Q(pk__in=at_schools) | Q(pk__in=at_campuses)


town_share(
    "town_special_ed_centre_rate",
    "镇特殊教育资源中心覆盖率",
    "依托镇内学校建有特殊教育资源中心的镇数 ÷ 镇数。",
    lambda y: _facility_in_town(y, special_ed_centre=True),
)
town_share(
    "town_resource_classroom_rate",
    "镇资源教室（初中、小学、幼儿园）齐全率",
    "初中（或九年一贯制）、小学（或九年一贯制）、幼儿园各至少有 1 所建有资源教室的镇数 ÷ 镇数。",
    lambda y: (
        _facility_in_town(y, (SchoolStage.JUNIOR, SchoolStage.NINE_YEAR), resource_room=True)
        & _facility_in_town(y, (SchoolStage.PRIMARY, SchoolStage.NINE_YEAR), resource_room=True)
        & _facility_in_town(y, (SchoolStage.KINDERGARTEN,), resource_room=True)
    ),
)
town_share(
    "town_strong_town_pilot_rate",
    "强镇筑基试点镇覆盖率",
    "列入省、市或区级强镇筑基试点的镇数 ÷ 镇数。",
    lambda y: Q(pk__in=TownPilot.objects.filter(started_year__lte=y).values("town_id")),
)

# ---------------------------------------------------------------- pairs and groups

LINKS = Source(
    "school_links",
    SchoolLink,
    unit="school_id",
    label="联系学校",
    # an IN-set, not a join on posts: a 教研员 may hold two posts, which would count a link twice
    base=lambda year: Q(
        person__in=Post.objects.filter(year=year, is_researcher=True).values("person_id")
    ),
)
PILOT_TOWN_SCHOOLS = Scope(
    "pilot_town_schools",
    "试点镇学校",
    lambda y: Q(
        kind=OrgUnitKind.SCHOOL,
        parent__pilots__level__in=["province", "city"],
        parent__pilots__started_year__lte=y,
    ),
)
define(
    "pilot_town_researcher_observation_rate",
    "试点镇包校教研员听课达标率",
    "本学年每学期听课不少于 8 次的（包校教研员，试点镇学校）包校关系数 ÷ 包校关系数（第二学期开始前只看第一学期）。",
    PILOT_TOWN_SCHOOLS,
    count(LINKS, _observed_enough),
    count(LINKS),
    requires=(LINKS,),
    numerator_label="达标包校关系数",
    denominator_label="包校关系数",
)

GROUPS = Source(
    "groups", EducationGroup, unit="lead_school_id", year="model_year", label="教育集团"
)
define(
    "new_model_education_group_count",
    "当年新培育示范性教育集团数",
    "本学年新认定的示范性教育集团个数（按牵头学校归属）。",
    ALL_SCHOOLS,
    count(GROUPS),
    unit="个",
)
