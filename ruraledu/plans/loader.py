"""Load a plan file (YAML) into the database: validated first, written in one transaction,
idempotent (a second run with the same file changes no row)."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from pydantic import ValidationError as SchemaError

from ruraledu.core.upsert import upsert
from ruraledu.orgunits.choices import BUREAU_KINDS
from ruraledu.orgunits.departments import DepartmentMatcher
from ruraledu.orgunits.models import Department

from .catalogue import known_indicator_codes, known_standards, load_standards
from .choices import ResponsibilityRole, TargetKind
from .models import Plan, Project, Responsibility, Section, Target, Task
from .schema import PlanFile


class PlanFileError(Exception):
    """Every problem found in a plan file, each naming its line and field."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))


@dataclass
class LoadStats:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict, model) -> None:
        name = model._meta.verbose_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())


class _PlanYamlLoader(yaml.SafeLoader):
    """Leaves dates as text so that pydantic checks them and the error can name the line."""


_PlanYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _node_at(node, loc: tuple):
    """The YAML node at a pydantic error location, or the deepest existing parent."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        else:
            child = None
        if child is None:
            break
        node = child
    return node


def _message_zh(error: dict) -> str:
    """pydantic's messages in Chinese, for the people who edit plan files."""
    kind, ctx = error["type"], error.get("ctx", {})
    messages = {
        "missing": "缺少必填字段",
        "extra_forbidden": "未知字段（请检查拼写）",
        "enum": f"取值无效，可选值：{ctx.get('expected', '')}",
        "literal_error": f"取值无效，可选值：{ctx.get('expected', '')}",
        "int_parsing": "必须是整数",
        "int_type": "必须是整数",
        "decimal_parsing": "必须是数字",
        "decimal_type": "必须是数字",
        "date_from_datetime_parsing": "必须是 YYYY-MM-DD 格式的日期",
        "date_parsing": "必须是 YYYY-MM-DD 格式的日期",
        "date_type": "必须是 YYYY-MM-DD 格式的日期",
        "string_type": "必须是文字",
        "list_type": "必须是列表",
        "string_too_short": "不能为空",
        "too_short": f"至少需要 {ctx.get('min_length', 1)} 项",
        "string_pattern_mismatch": f"格式不符合要求（{ctx.get('pattern', '')}）",
        "greater_than_equal": f"不能小于 {ctx.get('ge', '')}",
        "less_than_equal": f"不能大于 {ctx.get('le', '')}",
    }
    if kind in messages:
        return messages[kind]
    return error["msg"].removeprefix("Value error, ")


def parse_plan_file(path: str | Path, unit=None) -> PlanFile:
    """Read and check a plan file; departments are matched among those of `unit` (the
    district or city loading it; None for the install's own)."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(path, [f"无法读取文件（须为 UTF-8 编码的 YAML）：{exc}"]) from exc
    try:
        root = yaml.compose(text, Loader=_PlanYamlLoader)
        data = yaml.load(text, Loader=_PlanYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else "文件"
        raise PlanFileError(
            path, [f"{where}：YAML 格式错误：{getattr(exc, 'problem', exc)}"]
        ) from exc
    if not isinstance(data, dict):
        raise PlanFileError(path, ["第 1 行：文件顶层必须是包含 plan、sections 等字段的映射"])
    try:
        plan_file = PlanFile.model_validate(data)
    except SchemaError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(x for x in error["loc"] if not (isinstance(x, str) and "[" in x))
            node = _node_at(root, loc)
            field_name = ".".join(str(x) for x in loc) or "(顶层)"
            message = _message_zh(error)
            problems.append(f"第 {node.start_mark.line + 1} 行，字段 {field_name}：{message}")
        raise PlanFileError(path, problems) from exc
    problems = _check_references(plan_file, root, unit)
    if problems:
        raise PlanFileError(path, problems)
    return plan_file


def _line(root, *loc) -> int:
    return _node_at(root, loc).start_mark.line + 1


def _check_references(plan_file: PlanFile, root, unit=None) -> list[str]:
    problems = []

    def unique(items, attr, key):
        seen = set()
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                problems.append(
                    f"第 {_line(root, key, i, attr)} 行，字段 {key}.{i}.{attr}：重复的值 {value}"
                )
            seen.add(value)

    unique(plan_file.departments, "code", "departments")
    unique(plan_file.departments, "name", "departments")
    unique(plan_file.sections, "number", "sections")
    unique(plan_file.projects, "number", "projects")
    unique(plan_file.targets, "code", "targets")
    if plan_file.plan.end_year < plan_file.plan.start_year:
        problems.append(
            f"第 {_line(root, 'plan', 'end_year')} 行，字段 plan.end_year：目标年份早于起始年份"
        )

    matcher = DepartmentMatcher(
        [*_file_departments(plan_file), *Department.objects.filter(org_unit=unit)]
    )
    sections = {s.number for s in plan_file.sections}
    projects = {p.number for p in plan_file.projects}
    for key, items in (("sections", plan_file.sections), ("projects", plan_file.projects)):
        for i, item in enumerate(items):
            for role in ("lead", "partners"):
                for j, name in enumerate(getattr(item, role)):
                    if matcher.match(name) is None:
                        problems.append(
                            f"第 {_line(root, key, i, role, j)} 行，字段 {key}.{i}.{role}：未知部门“{name}”"
                            "（请在 departments 中登记或添加别名）"
                        )
    for i, project in enumerate(plan_file.projects):
        if project.section not in sections:
            problems.append(
                f"第 {_line(root, 'projects', i, 'section')} 行，字段 projects.{i}.section："
                f"不存在的条目序号 {project.section}"
            )
    known = known_indicator_codes()
    for i, target in enumerate(plan_file.targets):
        if known is not None and target.indicator and target.indicator not in known:
            problems.append(
                f"第 {_line(root, 'targets', i, 'indicator')} 行，字段 targets.{i}.indicator："
                f"平台没有指标“{target.indicator}”（请核对指标代码，可在“指标”页面查到全部代码）"
            )
        if target.project is not None and target.project not in projects:
            problems.append(
                f"第 {_line(root, 'targets', i, 'project')} 行，字段 targets.{i}.project："
                f"不存在的项目序号 {target.project}"
            )
        if target.section is not None and target.section not in sections:
            problems.append(
                f"第 {_line(root, 'targets', i, 'section')} 行，字段 targets.{i}.section："
                f"不存在的条目序号 {target.section}"
            )
    defaults = known_standards()
    seen = set()
    for i, entry in enumerate(plan_file.standards):
        key = (entry.code, entry.stage)
        where = f"第 {_line(root, 'standards', i, 'code')} 行，字段 standards.{i}.code："
        stage = entry.stage or "通用"
        if defaults is not None and key not in defaults:
            problems.append(f"{where}平台没有标准值“{entry.code}”（{stage}）")
        elif key in seen:
            problems.append(f"{where}重复的标准值“{entry.code}”（{stage}）")
        seen.add(key)
    return problems


def _file_departments(plan_file: PlanFile) -> list[Department]:
    return [
        Department(code=d.code, name=d.name, full_name=d.full_name, aliases=d.aliases)
        for d in plan_file.departments
    ]


class _Writer:
    def __init__(self):
        self.stats = LoadStats()

    def upsert(self, model, lookup: dict, values: dict):
        obj, created, changed = upsert(model, lookup, values)
        if created:
            self.stats.count(self.stats.created, model)
        elif changed:
            self.stats.count(self.stats.updated, model)
        return obj

    def delete_rest(self, queryset, keep_pks: set) -> None:
        stale = queryset.exclude(pk__in=keep_pks)
        for obj in stale:
            self.stats.count(self.stats.deleted, type(obj))
        stale.delete()


def department_code(code: str, unit=None) -> str:
    """A department's code on the platform: the file's, prefixed by the owning unit's code when
    a district or city loads its own plan (every district's plan names a 区教体局)."""
    return f"{unit.code}-{code}" if unit is not None else code


@transaction.atomic
def load_plan(path: str | Path, unit=None) -> LoadStats:
    """Load a plan file as the plan of `unit` (a district or city; None: the install's own
    plan, as on a single-district install). Its departments are that unit's."""
    if unit is not None and unit.kind not in BUREAU_KINDS:
        raise PlanFileError(str(path), [f"“{unit.name}”不是区县、市或省，不能制定工作方案"])
    plan_file = parse_plan_file(path, unit)
    w = _Writer()
    header = plan_file.plan
    plan = w.upsert(
        Plan, {"org_unit": unit, "code": header.code}, header.model_dump(exclude={"code"})
    )

    for order, entry in enumerate(plan_file.departments):
        w.upsert(
            Department,
            {"code": department_code(entry.code, unit)},
            {
                "name": entry.name,
                "full_name": entry.full_name,
                "aliases": entry.aliases,
                "sort_order": order,
                "org_unit": unit,
            },
        )
    matcher = DepartmentMatcher(Department.objects.filter(org_unit=unit))

    sections = {}
    for entry in plan_file.sections:
        sections[entry.number] = w.upsert(
            Section,
            {"plan": plan, "number": entry.number},
            {
                "kind": entry.kind,
                "title": entry.title,
                "text": entry.text,
            },
        )
    projects = {}
    for entry in plan_file.projects:
        projects[entry.number] = w.upsert(
            Project,
            {"plan": plan, "number": entry.number},
            {
                "section": sections[entry.section],
                "name": entry.name,
                "tasks_text": entry.tasks_text,
                "goals_text": entry.goals_text,
            },
        )
        kept = {
            w.upsert(Task, {"project": projects[entry.number], "number": n}, {"text": text}).pk
            for n, text in enumerate(entry.tasks, start=1)
        }
        w.delete_rest(Task.objects.filter(project=projects[entry.number]), kept)

    kept = set()
    for owner_key, owners, entries in (
        ("section", sections, plan_file.sections),
        ("project", projects, plan_file.projects),
    ):
        for entry in entries:
            owner = owners[entry.number]
            names = [(ResponsibilityRole.LEAD, n) for n in entry.lead]
            names += [(ResponsibilityRole.PARTNER, n) for n in entry.partners]
            for order, (role, name) in enumerate(names):
                department = matcher.match(name)
                lookup = {"department": department, "section": None, "project": None}
                lookup[owner_key] = owner
                kept.add(w.upsert(Responsibility, lookup, {"role": role, "sort_order": order}).pk)
    w.delete_rest(
        Responsibility.objects.filter(section__plan=plan)
        | Responsibility.objects.filter(project__plan=plan),
        kept,
    )

    kept = set()
    for entry in plan_file.targets:
        values = entry.model_dump(exclude={"code", "project", "section", "indicator", "due"})
        values.update(
            project=projects.get(entry.project),
            section=sections.get(entry.section),
            indicator_code=entry.indicator,
            due_date=entry.due,
        )
        if entry.kind == TargetKind.MILESTONE:
            values.pop("milestone_status", None)
        target = w.upsert(Target, {"plan": plan, "code": entry.code}, values)
        kept.add(target.pk)
    w.delete_rest(Target.objects.filter(plan=plan), kept)
    w.delete_rest(Project.objects.filter(plan=plan), {p.pk for p in projects.values()})
    w.delete_rest(Section.objects.filter(plan=plan), {s.pk for s in sections.values()})
    created = load_standards(
        [entry.model_dump() for entry in plan_file.standards],
        unit,
        f"方案文件 {plan_file.plan.code}",
    )
    if created:
        w.stats.created["标准值"] = created
    return w.stats
