"""Share of schools with something in place (方案, 家长学校, 厕所, 取暖 …) and classroom shares."""

from django.db.models import Q

from ruraledu.activities.models import FeatureCourse, UniversityBase
from ruraledu.facilities.choices import TitleKind
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import Pairing
from ruraledu.orgunits.rural import rural_codes

from ..engine import Scope, count, define, total
from .common import (
    ALL_SCHOOLS,
    COURSES,
    FACILITY,
    RURAL_PUBLIC,
    RURAL_SCHOOLS,
    SCHOOLS,
    TOWN_SEAT_SCHOOLS,
    has_facility,
    holds_title,
)

SCHOOL_COUNT = count(SCHOOLS)


def school_share(code, name, definition, scope, condition, *, among=None, requires=(FACILITY,)):
    """Schools meeting `condition` among the scope's schools (or those meeting `among`).
    Conditions must be Exists() filters: every school measure shares one grouped scan."""
    denominator = count(SCHOOLS, among) if among else SCHOOL_COUNT
    return define(
        code,
        name,
        definition,
        scope,
        count(SCHOOLS, condition),
        denominator,
        requires=requires,
        numerator_label="达标学校数",
        denominator_label="学校数",
    )


school_share(
    "rural_moral_plan_rate",
    "乡村学校全环境立德树人方案制定率",
    "本学年办学条件中登记“全环境立德树人实施方案已备案”的乡村学校（含幼儿园，按法人学校计）数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, moral_plan_on_file=True),
)
school_share(
    "rural_parent_committee_school_rate",
    "乡村学校家长委员会和家长学校覆盖率",
    "同时建有家长委员会和家长学校（课堂）的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, parent_committee=True, parent_school=True),
)
school_share(
    "rural_boarding_condition_rate",
    "寄宿制乡村学校寄宿条件达标率",
    "宿舍、洗浴等寄宿条件达标的寄宿制乡村学校数 ÷ 本学年登记为寄宿制的乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, boarding=True, boarding_condition_ok=True),
    among=lambda y: has_facility(y, boarding=True),
)
school_share(
    "school_safe_water_hot_water_rate",
    "学校饮水安全与热水供应达标率",
    "饮用水安全达标且具备热水供应的学校数 ÷ 全区学校数（法人学校，含幼儿园）。",
    ALL_SCHOOLS,
    lambda y: has_facility(y, water_passed=True, hot_water=True),
)
school_share(
    "rural_clean_heating_cooling_rate",
    "乡村学校清洁取暖与消暑保障率",
    "同时具备清洁取暖和消暑设施的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, clean_heating=True, cooling=True),
)
school_share(
    "rural_sanitary_toilet_rate",
    "乡村学校卫生厕所改造完成率",
    "卫生厕所改造完成的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, sanitary_toilets=True),
)
school_share(
    "rural_labour_site_rate",
    "乡村学校劳动实践场所建成率",
    "建有劳动实践场所（自建或租用）的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, labour_site=True),
)
school_share(
    "rural_left_behind_care_room_rate",
    "乡村学校留守儿童关爱室覆盖率",
    "建有留守儿童关爱室的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: has_facility(y, left_behind_room=True),
)
school_share(
    "town_seat_recording_room_rate",
    "镇驻地学校录播教室覆盖率",
    "至少建有 1 间录播教室的镇驻地中小学校数 ÷ 镇驻地中小学校数。",
    TOWN_SEAT_SCHOOLS,
    lambda y: has_facility(y, recording_rooms__gte=1),
)
school_share(
    "school_gigabit_rate",
    "千兆进校率",
    "出口带宽不低于 1000 Mbps 的学校数 ÷ 学校数。",
    ALL_SCHOOLS,
    lambda y: has_facility(y, uplink_mbps__gte=1000),
)

# titles: counted from the title register, not the facility record
school_share(
    "town_seat_city_civilised_rate",
    "镇驻地中小学校市级及以上文明校园比例",
    "持有市级及以上文明校园称号（授予年份不晚于本学年且未撤销）的镇驻地中小学校数 ÷ 镇驻地中小学校数。",
    TOWN_SEAT_SCHOOLS,
    lambda y: holds_title(y, TitleKind.CIVILISED, "3"),
    requires=(),
)
school_share(
    "rural_green_campus_rate",
    "乡村绿色校园覆盖率",
    "持有任一级别绿色校园称号的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: holds_title(y, TitleKind.GREEN),
    requires=(),
)
school_share(
    "rural_warm_campus_rate",
    "乡村温馨校园覆盖率（县级及以上）",
    "持有县级及以上温馨校园称号的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    lambda y: holds_title(y, TitleKind.WARM, "4"),
    requires=(),
)
define(
    "rural_provincial_scholarly_campus_count",
    "省级乡村书香校园数",
    "持有省级及以上书香校园称号的乡村学校个数。",
    RURAL_SCHOOLS,
    count(SCHOOLS, lambda y: holds_title(y, TitleKind.READING, "2")),
    unit="个",
)

# classrooms: shares of rooms, summed from the facility records (campuses included): the scopes
# hold the campuses too, so that their rooms roll up into their school

_CAMPUS = Q(kind=OrgUnitKind.CAMPUS)
RURAL_SCHOOLS_AND_CAMPUSES = Scope(
    "rural_schools_and_campuses",
    "乡村学校（含幼儿园）及其校区",
    lambda y: (
        RURAL_SCHOOLS.units(y) | (_CAMPUS & Q(parent__school__urban_rural_code__in=rural_codes()))
    ),
)
ALL_SCHOOLS_AND_CAMPUSES = Scope(
    "all_schools_and_campuses", "全部学校及其校区", lambda y: ALL_SCHOOLS.units(y) | _CAMPUS
)
define(
    "rural_classroom_lighting_rate",
    "乡村学校教室照明达标率",
    "照明达标的教室间数 ÷ 教室总间数（乡村学校及其校区）。",
    RURAL_SCHOOLS_AND_CAMPUSES,
    total(FACILITY, "classrooms_lighting_ok"),
    total(FACILITY, "classrooms"),
    requires=(FACILITY,),
    numerator_label="达标教室间数",
    denominator_label="教室间数",
)
define(
    "classroom_100m_rate",
    "百兆进班率",
    "接入带宽不低于 100 Mbps 的教室间数 ÷ 教室总间数（全部学校及其校区）。",
    ALL_SCHOOLS_AND_CAMPUSES,
    total(FACILITY, "classrooms_100mbps"),
    total(FACILITY, "classrooms"),
    requires=(FACILITY,),
    numerator_label="百兆到班教室间数",
    denominator_label="教室间数",
)

# pairings, bases, courses


def _paired(year: int) -> Q:
    active = Pairing.objects.filter(started_on__lte=f"{year + 1}-08-31").filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=f"{year}-09-01")
    )
    return Q(pk__in=active.values("school_id"))


def _research_base(year: int) -> Q:
    bases = UniversityBase.objects.filter(founded_year__lte=year).filter(
        Q(ended_year__isnull=True) | Q(ended_year__gt=year)
    )
    return Q(pk__in=bases.values("school_id"))


def _feature_course(year: int) -> Q:
    return Q(pk__in=FeatureCourse.objects.filter(year=year, is_club=False).values("school_id"))


school_share(
    "rural_public_pairing_rate",
    "乡村公办学校（幼儿园）结对覆盖率",
    "本学年内处于有效结对关系（开始不晚于学年末，未结束或结束于学年开始之后）的乡村公办中小学、幼儿园数 ÷ 乡村公办中小学、幼儿园数。",
    RURAL_PUBLIC,
    _paired,
    requires=(),
)
school_share(
    "rural_public_research_base_rate",
    "乡村公办学校高校科研院所基地覆盖率",
    "本学年有有效（设立年份不晚于本学年、未结束）高校或科研院所基地的乡村公办中小学、幼儿园数 ÷ 乡村公办中小学、幼儿园数。",
    RURAL_PUBLIC,
    _research_base,
    requires=(),
)
school_share(
    "rural_characteristic_course_rate",
    "乡村学校特色课程（一校一品）覆盖率",
    "本学年至少登记 1 门特色课程（不含社团）的乡村学校数 ÷ 乡村学校数。",
    RURAL_SCHOOLS,
    _feature_course,
    requires=(COURSES,),
)
define(
    "rural_featured_course_promoted_count",
    "乡村学校特色精品课程推广数",
    "本学年遴选推广的乡村学校特色精品课程个数。",
    RURAL_SCHOOLS,
    count(COURSES, Q(promoted=True)),
    unit="个",
)


def _famous_lesson(year: int) -> Q:
    """A 名师课堂 held at the school up to this school year (the plan asks for one per school)."""
    from ruraledu.activities.choices import LessonKind
    from ruraledu.activities.models import PublicLesson

    return Q(
        pk__in=PublicLesson.objects.filter(kind=LessonKind.FAMOUS, year__lte=year).values(
            "school_id"
        )
    )


school_share(
    "town_seat_famous_teacher_lesson_rate",
    "镇驻地学校“名师课堂”覆盖率",
    "截至本学年已打造（举办）至少 1 节“名师课堂”的镇驻地中小学校数 ÷ 镇驻地中小学校数。",
    TOWN_SEAT_SCHOOLS,
    _famous_lesson,
    requires=(),
)
