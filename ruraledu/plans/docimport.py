"""Turn an official plan document (.docx, or its plain-text export) into a draft plan file.

The document has numbered parts （一）…（十三） in the body and, in an appendix, the key-project
table with columns 序号, 项目名称, 主要任务, 工作目标, 牵头部门, 参与部门 (any order, header variants).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruraledu.orgunits.departments import DepartmentMatcher, name_variants, normalise

from .models import chinese_number

COLUMN_NAMES = {
    "number": ("序号", "编号", "序"),
    "name": ("项目名称", "重点项目", "项目", "名称"),
    "tasks": ("主要任务", "重点任务", "任务内容", "工作任务", "主要内容"),
    "goals": ("工作目标", "目标任务", "预期目标", "年度目标", "目标"),
    "lead": ("牵头部门", "牵头单位", "责任部门", "责任单位", "牵头"),
    "partners": ("参与部门", "配合部门", "参与单位", "配合单位", "协同部门", "参与", "配合"),
}
REQUIRED_COLUMNS = ("number", "name", "tasks", "goals", "lead")
CN_NUM = "一二三四五六七八九十"


class PlanDocError(Exception):
    pass


@dataclass
class RawDocument:
    paragraphs: list[str]
    tables: list[list[list[str]]]  # table > row > cell text ("\n" between cell lines)


@dataclass
class Draft:
    data: dict
    unknown_departments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def read_document(path: str | Path) -> RawDocument:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".text"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="gb18030")
        return _read_text(text)
    raise PlanDocError(f"{path.name}：不支持的文件类型“{suffix}”，请提供 .docx 或 .txt 文件。")


def _read_docx(path: Path) -> RawDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise PlanDocError(f"{path.name}：不是有效的 Word (.docx) 文件：{exc}") from exc
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    tables = [
        [[cell.text.strip() for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]
    return RawDocument(paragraphs, tables)


def _read_text(text: str) -> RawDocument:
    """Plain-text export: table cells start with a tab, continuation lines do not,
    a blank line ends a row. Everything before the first table line is body text."""
    lines = text.replace("\r\n", "\n").split("\n")
    first_cell = next((i for i, line in enumerate(lines) if line.startswith("\t")), len(lines))
    paragraphs = [_clean(line) for line in lines[:first_cell] if _clean(line)]
    rows: list[list[str]] = []
    row: list[str] = []
    for line in lines[first_cell:]:
        if line.startswith("\t"):
            row.append(line[1:].strip())
        elif line.strip():
            if row:
                row[-1] = f"{row[-1]}\n{line.strip()}"
        elif row:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return RawDocument(paragraphs, [_split_header(rows)] if rows else [])


def _split_header(rows: list[list[str]]) -> list[list[str]]:
    # The text export writes the header row without a blank line after it.
    if rows and len(rows[0]) > 6 and _column_key(rows[0][0]) == "number":
        head = rows[0]
        width = next((i for i, c in enumerate(head[1:], 1) if c.isdigit()), len(head))
        return [head[:width], head[width:], *rows[1:]]
    return rows


def _clean(line: str) -> str:
    return re.sub(r"\[bookmark: [^\]]*\]", "", line).strip()


# ---------------------------------------------------------------- table


def _column_key(header: str) -> str | None:
    header = re.sub(r"\s", "", header)
    for key, names in COLUMN_NAMES.items():
        if header in names:
            return key
    for key, names in COLUMN_NAMES.items():
        if any(header.startswith(n) for n in names):
            return key
    return None


def find_project_table(document: RawDocument) -> tuple[dict[str, int], list[list[str]]]:
    for table in document.tables:
        for h, header in enumerate(table[:3]):
            columns: dict[str, int] = {}
            for index, cell in enumerate(header):
                key = _column_key(cell)
                if key and key not in columns:
                    columns[key] = index
            if all(k in columns for k in REQUIRED_COLUMNS):
                return columns, table[h + 1 :]
    raise PlanDocError(
        "未找到重点项目清单表格：需要一张表头包含“序号、项目名称、主要任务、工作目标、牵头部门”"
        "（可含“参与部门”）的表格。请检查文件是否为方案原文。"
    )


def split_departments(cell: str) -> list[str]:
    """Department names from a cell: one per line or separated by 、，; a line that is only
    a bracketed alias belongs to the name above it."""
    names: list[str] = []
    for part in re.split(r"[\n、，,；;]", cell):
        part = normalise(part)
        if not part:
            continue
        if names and re.fullmatch(r"（.+）", part):
            names[-1] += part
        else:
            names.append(part)
    return names


# ---------------------------------------------------------------- body


SECTION_RE = re.compile(r"^（([一二三四五六七八九十]+)）(.+)$")
HEADING_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")


def _cn_to_int(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_NUM.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_NUM.index(tens) + 1) * 10 + (CN_NUM.index(ones) + 1 if ones else 0)
    return CN_NUM.index(text) + 1


def _trailing_bracket(text: str) -> tuple[str, str]:
    """Split "正文（区教体局牵头，…配合）" into (正文, inner) honouring nested brackets."""
    text = text.rstrip("。 ")
    if not text or text[-1] not in "）〕)":
        return text, ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in "）〕)":
            depth += 1
        elif text[i] in "（〔(":
            depth -= 1
            if depth == 0:
                return text[:i].rstrip(), text[i + 1 : -1]
    return text, ""


def parse_responsibility(inner: str) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    partners: list[str] = []
    for clause in re.split(r"[，,；;](?![^（]*）)", inner):
        clause = clause.strip()
        if clause.endswith("牵头"):
            lead += split_departments(clause.removesuffix("牵头"))
        elif clause.endswith("配合") or clause.endswith("参与"):
            partners += split_departments(clause[:-2])
        elif clause:
            lead += split_departments(clause)
    return lead, partners


def parse_body(paragraphs: list[str]) -> dict:
    header: dict = {}
    sections: list[dict] = []
    kind = "action"
    for i, text in enumerate(paragraphs):
        if m := re.search(r"[\u4e00-\u9fa5]+〔\d{4}〕\d+号", text):
            header.setdefault("document_number", m.group(0))
        if m := re.search(r"关于印发《(.+?)》的通知", text):
            header.setdefault("title", m.group(1))
            if i > 0 and not header.get("issuer"):
                header["issuer"] = paragraphs[i - 1]
        if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
            header.setdefault("issued_on", f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}")
        if text.startswith("为") and "制定" in text and "preamble" not in header:
            header["preamble"] = text
        if m := HEADING_RE.match(text):
            if "目标" in m.group(2) and i + 1 < len(paragraphs):
                header.setdefault("goal_text", paragraphs[i + 1])
            kind = "guarantee" if "保障" in m.group(2) else "action"
            continue
        if m := SECTION_RE.match(text):
            body, inner = _trailing_bracket(m.group(2))
            title, _, rest = body.partition("。")
            lead, partners = parse_responsibility(inner)
            sections.append(
                {
                    "number": _cn_to_int(m.group(1)),
                    "kind": kind,
                    "title": title,
                    "text": body,
                    "lead": lead,
                    "partners": partners,
                }
            )
    return {"header": header, "sections": sections}


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


# ---------------------------------------------------------------- draft


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fa5]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} - {"乡村", "学校", "教育"}


def _best_section(project: dict, sections: list[dict]) -> int:
    words = _bigrams(project["name"] + project["tasks_text"])
    scored = [
        (len(words & _bigrams(s["title"] + s["text"])), -s["number"], s["number"]) for s in sections
    ]
    return max(scored)[2] if scored else 1


def build_draft(document: RawDocument, matcher: DepartmentMatcher, code: str) -> Draft:
    columns, rows = find_project_table(document)
    body = parse_body(document.paragraphs)
    if not body["sections"]:
        raise PlanDocError("未找到方案正文中以“（一）”“（二）”…编号的条目。")
    header = body["header"]
    years = [int(y) for y in YEAR_RE.findall(header.get("goal_text", ""))]
    issued_year = int(header.get("issued_on", "2023")[:4])
    end_year = min(years) if years else issued_year + 4
    draft = Draft(data={})
    departments: dict[str, dict] = {}

    def resolve(names: list[str]) -> list[str]:
        resolved = []
        for name in names:
            department = matcher.match(name)
            if department is None:
                if name not in draft.unknown_departments:
                    draft.unknown_departments.append(name)
                plain = sorted(name_variants(name), key=len)[-1]
                departments.setdefault(
                    plain,
                    {
                        "code": f"dept-{len(departments) + 1:02d}",
                        "name": plain,
                        "aliases": sorted(name_variants(name) - {plain}),
                    },
                )
                resolved.append(plain)
            else:
                departments.setdefault(
                    department.name,
                    {
                        "code": department.code,
                        "name": department.name,
                        "full_name": department.full_name,
                        "aliases": list(department.aliases),
                    },
                )
                resolved.append(department.name)
        return list(dict.fromkeys(resolved))

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for section in body["sections"]:
        section["lead"] = resolve(section["lead"])
        section["partners"] = resolve(section["partners"])
    projects, targets = [], []
    for line, row in enumerate(rows, start=2):
        number = cell(row, "number")
        if not number:
            continue
        if not number.isdigit():
            raise PlanDocError(f"重点项目清单第 {line} 行：序号“{number}”不是数字。")
        tasks_text = cell(row, "tasks").replace("\n", "")
        project = {
            "number": int(number),
            "name": cell(row, "name").replace("\n", ""),
            "tasks_text": tasks_text,
            "goals_text": cell(row, "goals").replace("\n", ""),
            "lead": resolve(split_departments(cell(row, "lead"))),
            "partners": resolve(split_departments(cell(row, "partners"))),
            "tasks": [s + "。" for s in filter(None, (t.strip() for t in tasks_text.split("。")))],
        }
        missing = [k for k in ("name", "tasks_text", "goals_text", "lead") if not project[k]]
        if missing:
            raise PlanDocError(
                f"重点项目清单第 {line} 行（序号 {number}）：缺少 {', '.join(missing)}。"
            )
        project = {"number": project.pop("number"), "section": 0, **project}
        project["section"] = _best_section(project, body["sections"])
        projects.append(project)
        targets += draft_targets(project["number"], project["goals_text"], end_year)
    if not projects:
        raise PlanDocError("重点项目清单表格中没有项目行。")

    draft.data = {
        "plan": {
            "code": code,
            "title": header.get("title", "未命名方案"),
            "document_number": header.get("document_number", ""),
            "issuer": header.get("issuer", ""),
            **({"issued_on": header["issued_on"]} if "issued_on" in header else {}),
            "start_year": issued_year,
            "end_year": end_year,
            "preamble": header.get("preamble", ""),
            "goal_text": header.get("goal_text", ""),
        },
        "departments": list(departments.values()),
        "sections": body["sections"],
        "projects": projects,
        "targets": targets,
    }
    if draft.unknown_departments:
        draft.warnings.append(
            "以下部门未能与部门清单匹配，已作为新部门写入草稿，请核对："
            + "、".join(draft.unknown_departments)
        )
    draft.warnings.append(
        f"识别到 {len(targets)} 个带时限的目标，均以节点任务（milestone）草稿写入；"
        "请逐条核对，计量目标改为 measured 并填写 indicator 指标代码。"
    )
    draft.warnings.append(
        "项目所属条目（section）由文字相似度推断，请核对（"
        + "，".join(f"{p['number']}→（{chinese_number(p['section'])}）" for p in projects)
        + "）。"
    )
    return draft
