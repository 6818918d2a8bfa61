"""Turn an official plan document (.docx, or its plain-text export) into a draft plan file.

The document has numbered parts （一）…（十三） in the body and, in an appendix, the key-project
table with columns 序号, 项目名称, 主要任务, 工作目标, 牵头部门, 参与部门 (any order, header variants).
Other districts publish the appendix alone, split across pages, with merged cells and category
rows; docimport_tables reads those, and the draft's sections then come from the category rows.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from ruraledu.orgunits.departments import DepartmentMatcher, name_variants

from .docimport_body import parse_body, split_departments
from .docimport_columns import COLUMN_LABELS
from .docimport_read import PlanDocError, RawDocument, read_document
from .docimport_tables import ProjectTable, TableProject, category_title, read_project_table
from .models import chinese_number

__all__ = [
    "Draft",
    "PlanDocError",
    "RawDocument",
    "build_draft",
    "draft_targets",
    "parse_body",
    "read_document",
    "split_departments",
]


@dataclass
class Draft:
    data: dict
    unknown_departments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- goals


YEAR_RE = re.compile(r"(20\d{2})年")


def draft_targets(project_number: int, goals: str, end_year: int) -> list[dict]:
    """Every dated goal found in a 工作目标 cell, as a draft target for a person to bind."""
    targets = []
    year = None
    for sentence in filter(None, (s.strip() for s in re.split(r"[。；;\n]", goals))):
        years = YEAR_RE.findall(sentence)
        if years:
            year = int(years[-1])
        elif "十四五" in sentence:
            year = 2025
        yearly = "每年" in sentence or "逐年" in sentence
        percents = re.findall(r"(\d+(?:\.\d+)?)\s*%", sentence)
        coverage = "全覆盖" in sentence
        ratio = re.search(r"(\d+\.\d+)以内", sentence)
        if not (year or yearly) or not (percents or coverage or ratio or yearly or years):
            continue
        base = {
            "text": sentence,
            "kind": "milestone",
            "due": f"{year or end_year}-12-31",
            "recurrence": "yearly" if yearly else "once",
        }
        found = []
        if percents:
            found = [{"comparator": "gte", "threshold": p, "unit": "%"} for p in percents]
        elif ratio:
            found = [{"comparator": "lte", "threshold": ratio.group(1)}]
        elif coverage:
            threshold = "95" if "基本" in sentence else "100"
            found = [{"comparator": "gte", "threshold": threshold, "unit": "%"}]
        elif "逐年" in sentence:
            found = [{"comparator": "increase"}]
        for extra in found or [{}]:
            code = f"P{project_number:02d}-{len(targets) + 1}"
            targets.append({"code": code, "project": project_number, **base, **extra})
    return targets


# ---------------------------------------------------------------- departments


class _Departments:
    """Resolves names against the known departments, collecting the draft's department list."""

    def __init__(self, matcher: DepartmentMatcher, draft: Draft):
        self.matcher = matcher
        self.draft = draft
        self.entries: dict[str, dict] = {}

    def resolve(self, names: list[str]) -> list[str]:
        return list(dict.fromkeys(self._resolve_one(name) for name in names))

    def _resolve_one(self, name: str) -> str:
        department = self.matcher.match(name)
        if department is not None:
            self.entries.setdefault(
                department.name,
                {
                    "code": department.code,
                    "name": department.name,
                    "full_name": department.full_name,
                    "aliases": list(department.aliases),
                },
            )
            return department.name
        if name not in self.draft.unknown_departments:
            self.draft.unknown_departments.append(name)
        plain = sorted(name_variants(name), key=len)[-1]
        self.entries.setdefault(
            plain,
            {
                "code": f"dept-{len(self.entries) + 1:02d}",
                "name": plain,
                "aliases": sorted(name_variants(name) - {plain}),
            },
        )
        return plain


# ---------------------------------------------------------------- sections


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fa5]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} - {"乡村", "学校", "教育"}


def _best_section(project: dict, sections: list[dict]) -> int:
    words = _bigrams(project["name"] + project["tasks_text"])
    scored = [
        (len(words & _bigrams(s["title"] + s["text"])), -s["number"], s["number"]) for s in sections
    ]
    return max(scored)[2] if scored else 1


def _table_title(paragraphs: list[str]) -> str:
    """The heading above an appendix table (…重点项目清单), without a leading 附件："""
    for text in paragraphs:
        if text.endswith("清单"):
            return re.sub(r"^附件\s*\d*\s*[：:]?", "", text).strip()
    return ""


def _section(number: int, title: str) -> dict:
    kind = "guarantee" if "保障" in title else "action"
    return {"number": number, "kind": kind, "title": title, "text": title}


def _table_sections(table: ProjectTable, fallback_title: str) -> tuple[list[dict], dict[int, int]]:
    """Sections for a file without the main text: the table's category rows that head
    projects, or one section for the whole table. Returns them and project → section."""
    if not table.categories:
        section = {**_section(1, fallback_title or "重点项目"), "lead": [], "partners": []}
        return [section], {p.number: 1 for p in table.projects}
    sections: dict[int, dict] = {}
    placed: dict[int, int] = {}
    for project in table.projects:
        if project.category is None:
            raise PlanDocError(
                f"重点项目清单第 {project.line} 行（序号 {project.number}）在第一个分类行之前，"
                "无法判断属于哪个条目；请在它上面加上分类行（如“一、……”）后重新导入。"
            )
        if project.category not in sections:
            title = category_title(table.categories[project.category])
            sections[project.category] = _section(len(sections) + 1, title)
        placed[project.number] = sections[project.category]["number"]
    return [{**s, "lead": [], "partners": []} for s in sections.values()], placed


# ---------------------------------------------------------------- projects


def _project(row: TableProject, departments: _Departments) -> dict:
    cells = row.cells
    tasks_text = cells["tasks"].replace("\n", "")
    project = {
        "number": row.number,
        "section": 0,
        "name": cells["name"].replace("\n", ""),
        "tasks_text": tasks_text,
        "goals_text": cells["goals"].replace("\n", ""),
        "lead": departments.resolve(split_departments(cells["lead"])),
        "partners": departments.resolve(split_departments(cells.get("partners", ""))),
        "tasks": [s + "。" for s in filter(None, (t.strip() for t in tasks_text.split("。")))],
    }
    labels = {"name": "name", "tasks_text": "tasks", "goals_text": "goals", "lead": "lead"}
    missing = [COLUMN_LABELS[key] for field_name, key in labels.items() if not project[field_name]]
    if missing:
        raise PlanDocError(
            f"重点项目清单第 {row.line} 行（序号 {row.number}）：缺少{'、'.join(missing)}。"
        )
    return project


def _plan_years(header: dict, table: ProjectTable) -> tuple[int, int]:
    """Start and end year: from the date and 工作目标 of the main text; without them, from the
    years the table's goals mention."""
    stated = [int(y) for y in YEAR_RE.findall(header.get("goal_text", ""))]
    in_table = [int(y) for p in table.projects for y in YEAR_RE.findall(p.cells["goals"])]
    if "issued_on" in header:
        start = int(header["issued_on"][:4])
    else:
        start = min(in_table, default=timezone.localdate().year)
    if stated:
        return start, min(stated)
    if "issued_on" in header:
        return start, start + 4
    return start, max(in_table, default=start + 4)


# ---------------------------------------------------------------- draft


def build_draft(document: RawDocument, matcher: DepartmentMatcher, code: str) -> Draft:
    table = read_project_table(document.tables)
    body = parse_body(document.paragraphs)
    if not table.projects:
        raise PlanDocError("重点项目清单表格中没有项目行。")
    header = body["header"]
    start_year, end_year = _plan_years(header, table)
    draft = Draft(data={})
    departments = _Departments(matcher, draft)
    sections = body["sections"]
    for section in sections:
        section["lead"] = departments.resolve(section["lead"])
        section["partners"] = departments.resolve(section["partners"])
    placed: dict[int, int] = {}
    if not sections:
        sections, placed = _table_sections(table, _table_title(document.paragraphs))
    projects, targets = [], []
    for row in table.projects:
        project = _project(row, departments)
        project["section"] = placed.get(row.number) or _best_section(project, sections)
        projects.append(project)
        targets += draft_targets(project["number"], project["goals_text"], end_year)

    draft.data = {
        "plan": {
            "code": code,
            "title": header.get("title") or _table_title(document.paragraphs) or "未命名方案",
            "document_number": header.get("document_number", ""),
            "issuer": header.get("issuer", ""),
            **({"issued_on": header["issued_on"]} if "issued_on" in header else {}),
            "start_year": start_year,
            "end_year": end_year,
            "preamble": header.get("preamble", ""),
            "goal_text": header.get("goal_text", ""),
        },
        "departments": list(departments.entries.values()),
        "sections": sections,
        "projects": projects,
        "targets": targets,
    }
    draft.warnings += _warnings(draft, table, body, placed)
    return draft


def _warnings(draft: Draft, table: ProjectTable, body: dict, placed: dict[int, int]) -> list[str]:
    data = draft.data
    warnings = []
    if draft.unknown_departments:
        warnings.append(
            "以下部门未能与部门清单匹配，已作为新部门写入草稿，请核对："
            + "、".join(draft.unknown_departments)
        )
    warnings.append(
        f"识别到 {len(data['targets'])} 个带时限的目标，均以节点任务（milestone）草稿写入；"
        "请逐条核对，计量目标改为 measured 并填写 indicator 指标代码。"
    )
    if placed:
        warnings.append(_no_body_warning(data, table))
    else:
        warnings.append(
            "项目所属条目（section）由文字相似度推断，请核对（"
            + "，".join(
                f"{p['number']}→（{chinese_number(p['section'])}）" for p in data["projects"]
            )
            + "）。"
        )
    if table.ignored:
        warnings.append("重点项目清单中未使用的列：" + "、".join(table.ignored) + "。")
    return warnings


def _no_body_warning(data: dict, table: ProjectTable) -> str:
    plan = data["plan"]
    source = "表格中的分类行" if table.categories else "表格标题（全部项目归入一个条目）"
    return (
        f"文件中没有方案正文（通知标题、文号、发文日期、工作目标和“（一）”“（二）”…条目）："
        f"方案名称暂用“{plan['title']}”，起止年份按表格中出现的年份暂定为 "
        f"{plan['start_year']}—{plan['end_year']} 年，条目取自{source}。请在草稿中补填并核对。"
    )
