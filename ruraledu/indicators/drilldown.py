"""The records behind a number: which rows of which table, shown with which columns."""

from django.db.models import Q

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.core.templatetags.privacy import person_name

from .engine import Indicator, Measure


def mask_name(name: str) -> str:
    """张小明 → 张*明: minors' names are shown in full only to roles that need them."""
    return person_name(name, False)


def _school(r):
    return r.school.org_unit.name


def _yes(value) -> str:
    return "是" if value else "否"


# source key -> (select_related, [(header, accessor(record, clear_names))])
COLUMNS = {
    "schools": (
        ["org_unit__parent"],
        [
            ("学校", lambda r, c: r.org_unit.name),
            ("代码", lambda r, c: r.org_unit.code),
            ("镇街", lambda r, c: r.org_unit.parent.name),
            ("办学类型", lambda r, c: r.get_stage_display()),
            ("城乡分类", lambda r, c: r.get_urban_rural_code_display()),
        ],
    ),
    "towns": ([], [("镇", lambda r, c: r.name), ("代码", lambda r, c: r.code)]),
    "facility": (
        ["school__org_unit"],
        [
            ("学校", lambda r, c: _school(r)),
            ("教室", lambda r, c: r.classrooms),
            ("照明达标教室", lambda r, c: r.classrooms_lighting_ok),
            ("百兆教室", lambda r, c: r.classrooms_100mbps),
            ("卫生厕所", lambda r, c: _yes(r.sanitary_toilets)),
            ("清洁取暖", lambda r, c: _yes(r.clean_heating)),
            ("热水", lambda r, c: _yes(r.hot_water)),
        ],
    ),
    "enrolment": (
        ["person", "school__org_unit"],
        [
            ("学生", lambda r, c: r.person.name if c else mask_name(r.person.name)),
            ("学校", lambda r, c: _school(r)),
            ("年级", lambda r, c: r.grade),
            ("班级", lambda r, c: r.class_name),
            ("住校", lambda r, c: _yes(r.boarding)),
            ("距离（公里）", lambda r, c: r.distance_km),
            ("交通", lambda r, c: r.get_transport_display()),
        ],
    ),
    "posts": (
        ["person", "school__org_unit"],
        [
            ("姓名", lambda r, c: r.person.name),
            ("学校", lambda r, c: _school(r)),
            ("岗位", lambda r, c: r.get_position_display()),
            ("学历", lambda r, c: r.get_degree_display()),
            ("出生日期", lambda r, c: r.person.birth_date),
            ("在编", lambda r, c: _yes(r.is_establishment)),
        ],
    ),
    "villages": (
        ["village__parent"],
        [
            ("村居", lambda r, c: r.village.name),
            ("镇街", lambda r, c: r.village.parent.name),
            ("家长学校", lambda r, c: _yes(r.parent_school)),
            ("指导站点", lambda r, c: _yes(r.guidance_station)),
            ("文明实践站", lambda r, c: _yes(r.civilisation_station)),
        ],
    ),
    "kg_classes": (
        ["school__org_unit"],
        [
            ("幼儿园", lambda r, c: _school(r)),
            ("班级类型", lambda r, c: r.get_level_display()),
            ("班数", lambda r, c: r.classes),
            ("在园幼儿", lambda r, c: r.children),
        ],
    ),
    "interns": (
        ["school__org_unit"],
        [
            ("学校", lambda r, c: _school(r)),
            ("实习生", lambda r, c: r.name),
            ("高校", lambda r, c: r.university),
            ("开始日期", lambda r, c: r.started_on),
        ],
    ),
    "courses": (
        ["school__org_unit"],
        [
            ("学校", lambda r, c: _school(r)),
            ("课程", lambda r, c: r.name),
            ("精品", lambda r, c: _yes(r.promoted)),
        ],
    ),
    "nominations": (
        ["person"],
        [
            ("姓名", lambda r, c: r.person.name),
            ("计划", lambda r, c: r.get_programme_display()),
            ("级别", lambda r, c: r.get_level_display()),
        ],
    ),
    "school_links": (
        ["person", "school__org_unit"],
        [
            ("教研员", lambda r, c: r.person.name),
            ("联系学校", lambda r, c: _school(r)),
        ],
    ),
    "groups": (
        ["lead_school__org_unit"],
        [
            ("集团", lambda r, c: r.name),
            ("牵头学校", lambda r, c: r.lead_school.org_unit.name if r.lead_school else ""),
        ],
    ),
}


def _record_path(record) -> str | None:
    """The org-tree path of the school (or unit) a drill-down record belongs to."""
    school = getattr(record, "school", None)
    unit = school.org_unit if school is not None else getattr(record, "org_unit", None)
    return unit.path if unit is not None else None


def drill_measure(indicator: Indicator, part: str) -> Measure | None:
    return indicator.measures().get(part) if type(indicator).values is Indicator.values else None


def drill_records(*, indicator: Indicator, part: str, unit, year: int, user):
    """(headers, rows queryset, row renderer) for the records behind a part, within the user's view."""
    from ruraledu.orgunits.models import OrgUnit

    measure = drill_measure(indicator, part)
    if measure is None:
        return None
    units = (
        OrgUnit.objects.for_user(user)
        .filter(path__startswith=unit.path)
        .filter(indicator.scope.units(year))
        .values("pk")
    )
    source = measure.source
    related, columns = COLUMNS[source.key]
    records = (
        measure.records(year)
        .filter(Q(**{f"{source.unit}__in": units}))
        .select_related(*related)
        .order_by("pk")
    )
    personal = Reach(user, Action.VIEW_PERSONAL)

    def render(record):
        clear = personal.covers(_record_path(record))  # by the role held where it lives
        return [accessor(record, clear) for _, accessor in columns]

    return [header for header, _ in columns], records.distinct(), render
