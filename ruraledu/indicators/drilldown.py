"""The records behind a number: which rows of which table, shown with which columns.

The records listed are exactly those the engine counted: the same source, condition and units
(the scope's units and the campuses of its schools, as `YearContext.scope_units`). Indicators
with their own `values()` are served by `drilldown_custom`."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.core.templatetags.privacy import person_name
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.students.privacy import CATEGORIES

from .engine import Indicator, Measure, Scope


def mask_name(name: str) -> str:
    """张小明 → 张*明: minors' names are shown in full only to roles that need them."""
    return person_name(name, False)


def _school(r):
    return r.school.org_unit.name


def town_of(unit) -> str:
    """The town (镇/街道) of a school or campus; a campus sits under its school."""
    if unit.kind == OrgUnitKind.CAMPUS and unit.parent_id:
        unit = unit.parent
    return unit.parent.name if unit.parent_id else ""


def _town(r):
    return town_of(r.school.org_unit)


_SCHOOL = "school__org_unit__parent__parent"


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
        [_SCHOOL],
        [
            ("学校", lambda r, c: _school(r)),
            ("镇街", lambda r, c: _town(r)),
            ("教室", lambda r, c: r.classrooms),
            ("照明达标教室", lambda r, c: r.classrooms_lighting_ok),
            ("百兆教室", lambda r, c: r.classrooms_100mbps),
            ("卫生厕所", lambda r, c: _yes(r.sanitary_toilets)),
            ("清洁取暖", lambda r, c: _yes(r.clean_heating)),
            ("热水", lambda r, c: _yes(r.hot_water)),
        ],
    ),
    "enrolment": (
        ["person", _SCHOOL, "campus__org_unit"],
        [
            ("学生", lambda r, c: r.person.name if c else mask_name(r.person.name)),
            ("学校", lambda r, c: _school(r)),
            ("校区", lambda r, c: r.campus.org_unit.name if r.campus_id else ""),
            ("镇街", lambda r, c: _town(r)),
            ("年级", lambda r, c: r.grade),
            ("班级", lambda r, c: r.class_name),
            ("住校", lambda r, c: _yes(r.boarding)),
            ("距离（公里）", lambda r, c: r.distance_km),
            ("交通", lambda r, c: r.get_transport_display()),
        ],
    ),
    "posts": (
        ["person", _SCHOOL],
        [
            ("姓名", lambda r, c: r.person.name),
            ("学校", lambda r, c: _school(r)),
            ("镇街", lambda r, c: _town(r)),
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
        [_SCHOOL],
        [
            ("幼儿园", lambda r, c: _school(r)),
            ("镇街", lambda r, c: _town(r)),
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
            ("任职学校", lambda r, c: getattr(r, "drill_school", "")),
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


# fields shown by the columns above, left out of the columns that explain a shortfall
SHOWN = {
    "enrolment": {"grade", "class_name", "boarding", "distance_km", "transport"},
    "posts": {"position", "degree", "is_establishment"},
    "facility": {"classrooms", "sanitary_toilets", "clean_heating", "hot_water"},
    "villages": {"parent_school", "guidance_station", "civilisation_station"},
}
# a minor's care categories are personal data: one column, shown only where the role may see it
CARE = ("orphan", "unattended", "hardship", "disability", "left_behind", "family_status")


@dataclass
class Drill:
    """What a drill-down page lists: headers, rows (a queryset or a list) and their renderer.

    `amount` is the index of the column whose sum is the figure (areas, children, gaps); without
    it the figure is the number of rows. `note` says what the rows reproduce (a 差异系数 …)."""

    headers: list[str]
    rows: object
    render: Callable[[object], list]
    amount: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    amount_field: str = "drill_amount"  # the annotation summed, for querysets
    # every name masked (or left out) whatever the role: the rows name no child in full, so
    # reading them is not a read of personal data and is not logged
    names_masked: bool = False

    def total(self) -> float | None:
        if self.amount is None:
            return None
        if hasattr(self.rows, "aggregate"):
            return self.rows.aggregate(total=Sum(self.amount_field))["total"] or 0
        return sum(float(self.render(row)[self.amount] or 0) for row in self.rows)

    def count(self) -> int:
        return self.rows.count() if hasattr(self.rows, "aggregate") else len(self.rows)


def _record_path(record) -> str | None:
    """The org-tree path of the school (or unit) a drill-down record belongs to."""
    path = getattr(record, "drill_path", None)  # reached through a relation (a person's post)
    if path:
        return path
    school = getattr(record, "school", None)
    unit = school.org_unit if school is not None else getattr(record, "org_unit", None)
    return unit.path if unit is not None else None


def scope_units(scope: Scope | None, unit, year: int, user):
    """Ids of the units whose records count for `unit`: as the engine, the scope's active units
    and the campuses of its schools (what is recorded at a campus belongs to its school), within
    the user's view. Without a scope, every unit under `unit`."""
    from ruraledu.orgunits.models import OrgUnit

    allowed = OrgUnit.objects.for_user(user).filter(path__startswith=unit.path)
    if scope is None:
        return allowed.values("pk")
    scoped = OrgUnit.objects.filter(is_active=True).filter(scope.units(year)).values("pk")
    campuses = OrgUnit.objects.filter(kind=OrgUnitKind.CAMPUS, parent__in=scoped).values("pk")
    return allowed.filter(Q(pk__in=scoped) | Q(pk__in=campuses)).values("pk")


def _amount(expression):
    return Cast(F(expression) if isinstance(expression, str) else expression, FloatField())


def measure_records(measure: Measure, year: int, units):
    """The records a measure counts (or sums) at `units`, with `drill_amount` for sums."""
    source = measure.source
    queryset = source.model._default_manager.all()
    if source.year:
        queryset = queryset.filter(**{source.year: year})
    # one filter(): a unit reached through a relation joins it once, as the engine's scan does
    where = Q(**{f"{source.unit}__in": units}) & measure.condition(year)
    if source.base:
        where &= source.base(year)
    queryset = queryset.filter(where)
    if "__" in source.unit:  # one row per post of the person, as counted
        via = source.unit.removesuffix("_id")
        queryset = queryset.annotate(
            drill_path=F(f"{via}__org_unit__path"), drill_school=F(f"{via}__org_unit__name")
        )
    if measure.field:
        queryset = queryset.annotate(drill_amount=_amount(measure.field))
    return queryset


def _columns(source_key: str, extra=()):
    related, columns = COLUMNS[source_key]
    return related, [*columns, *extra]


def _drill(queryset, related, columns, user, amount: int | None = None, note="") -> Drill:
    personal = Reach(user, Action.VIEW_PERSONAL)

    def render(record):
        clear = personal.covers(_record_path(record))  # by the role held where it lives
        return [accessor(record, clear) for _, accessor in columns]

    rows = queryset.select_related(*related).order_by("pk")
    return Drill([h for h, _ in columns], rows, render, amount, note)


def measure_drill(measure: Measure, units, year: int, user, *, amount_label="", extra=()):
    """The records of one measure; a sum gets its amount as the last column."""
    related, columns = _columns(measure.source.key, extra)
    amount = None
    if measure.field:
        columns.append((amount_label or "数量", lambda r, c: r.drill_amount))
        amount = len(columns) - 1
    return _drill(measure_records(measure, year, units), related, columns, user, amount)


def _fields_in(condition: Q, model) -> list[str]:
    """Names of the model's own fields a condition tests (relations only when tested for null)."""
    names: list[str] = []

    def walk(node):
        for child in node.children:
            if isinstance(child, Q):
                walk(child)
            elif isinstance(child, tuple):
                parts = child[0].split("__")
                try:
                    model_field = model._meta.get_field(parts[0])
                except FieldDoesNotExist:
                    continue
                if not model_field.concrete:
                    continue
                if model_field.is_relation and parts[1:] != ["isnull"]:
                    continue
                if parts[0] not in names:
                    names.append(parts[0])

    walk(condition)
    return names


def _field_column(model, name: str):
    header, render = _plain_column(model, name)
    if name in CATEGORIES:  # 学困生、随迁子女 … go with the name, as on the roster
        return (header, lambda r, c: render(r, c) if c else "（无权查看）")
    return header, render


def _plain_column(model, name: str):
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        return (model_field.verbose_name, lambda r, c: str(getattr(r, name) or "无"))
    if model_field.choices:
        return (model_field.verbose_name, lambda r, c: getattr(r, f"get_{name}_display")())
    if model_field.get_internal_type() == "BooleanField":
        return (model_field.verbose_name, lambda r, c: _yes(getattr(r, name)))
    return (model_field.verbose_name, lambda r, c: getattr(r, name))


def _care(record, clear: bool) -> str:
    if not clear:
        return "（无权查看）"
    labels = [
        type(record)._meta.get_field(name).verbose_name
        for name in CARE
        if name != "family_status" and getattr(record, name)
    ]
    if record.family_status:
        labels.append(record.get_family_status_display())
    return "、".join(labels) or "无"


def explain_columns(source_key: str, model, conditions: list[Q]) -> list:
    """Columns for the fields a shortfall depends on; a pupil's care flags as one masked column."""
    names: list[str] = []
    for condition in conditions:
        names += [n for n in _fields_in(condition, model) if n not in names]
    shown = SHOWN.get(source_key, set())
    columns = []
    if source_key == "enrolment" and any(n in CARE for n in names):
        columns.append(("关注类别", _care))
    for name in names:
        if name in shown or (source_key == "enrolment" and name in CARE):
            continue
        columns.append(_field_column(model, name))
    return columns


def short_drill(numerator: Measure, denominator: Measure, units, year: int, user) -> Drill:
    """Denominator records not (fully) in the numerator: the units or people who are short."""
    source = denominator.source
    explain = explain_columns(
        source.key, source.model, [numerator.condition(year), denominator.condition(year)]
    )
    related, columns = _columns(source.key, explain)
    records = measure_records(denominator, year, units)
    if not denominator.field:
        reached = measure_records(numerator, year, units).values("pk")
        return _drill(records.exclude(pk__in=reached), related, columns, user)
    # sums (classrooms, children): the records whose numerator part falls short, by how much
    reached = _amount(numerator.field)
    condition = numerator.condition(year)
    if condition:
        reached = Case(When(condition, then=reached), default=Value(0.0), output_field=FloatField())
    records = (
        records.annotate(drill_reached=reached)
        .annotate(drill_gap=F("drill_amount") - F("drill_reached"))
        .exclude(drill_gap=0)
    )
    columns += [("合计", lambda r, c: r.drill_amount), ("已达到", lambda r, c: r.drill_reached)]
    columns.append(("差额", lambda r, c: r.drill_gap))
    drill = _drill(records, related, columns, user, len(columns) - 1)
    drill.amount_field = "drill_gap"
    return drill


SHORT_LABEL = "未达到"


def _summable_parts(indicator: Indicator) -> dict[str, str]:
    parts = {"numerator": indicator.numerator_label or "分子"}
    if indicator.denominator is not None:
        parts["denominator"] = indicator.denominator_label or "分母"
        if indicator.numerator.source == indicator.denominator.source:
            parts["short"] = SHORT_LABEL
    return parts


def drill_parts(indicator: Indicator) -> dict[str, str]:
    """The parts a figure drills into (part → Chinese label); the first is the default."""
    from .drilldown_custom import ADAPTERS

    adapter = ADAPTERS.get(type(indicator))
    if adapter is not None:
        return adapter.parts(indicator)
    if type(indicator).values is Indicator.values:
        return _summable_parts(indicator)
    return {}


def drill_measure(indicator: Indicator, part: str):
    """Truthy when the part can be drilled into (the indicator page links its figures)."""
    return part if part in drill_parts(indicator) else None


def drill_records(*, indicator: Indicator, part: str, unit, year: int, user) -> Drill | None:
    """The records behind a part of a unit's value, within the user's view."""
    from .drilldown_custom import ADAPTERS

    if part not in drill_parts(indicator):
        return None
    adapter = ADAPTERS.get(type(indicator))
    if adapter is not None:
        return adapter.drill(indicator, part, unit, year, user)
    units = scope_units(indicator.scope, unit, year, user)
    if part == "short":
        return short_drill(indicator.numerator, indicator.denominator, units, year, user)
    measure = indicator.measures()[part]
    label = indicator.numerator_label if part == "numerator" else indicator.denominator_label
    return measure_drill(measure, units, year, user, amount_label=label)
