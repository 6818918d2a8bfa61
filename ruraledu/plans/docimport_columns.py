"""Recognising the columns of a key-project table from the words its header uses."""

import re
from dataclasses import dataclass, field

from .docimport_read import MergedCell, PlanDocError, SpannedCell

COLUMN_LABELS = {
    "number": "序号",
    "name": "项目名称",
    "tasks": "主要任务",
    "goals": "工作目标",
    "lead": "牵头部门",
    "partners": "参与部门",
}
COLUMN_NAMES = {
    "number": ("序号", "编号", "序"),
    "name": ("项目名称", "重点项目", "项目", "名称"),
    "tasks": ("主要任务", "重点任务", "任务内容", "工作任务", "主要内容", "具体措施", "主要措施"),
    "goals": ("工作目标", "目标任务", "具体目标", "预期目标", "年度目标", "目标"),
    "lead": ("牵头部门", "牵头单位", "责任部门", "责任单位", "牵头"),
    "partners": (
        "参与部门",
        "配合部门",
        "参与单位",
        "配合单位",
        "协同部门",
        "协同单位",
        "参与",
        "配合",
    ),
}
# Words that point to one column in a header that is none of the names above.
COLUMN_HINTS = {
    "number": ("序号", "编号"),
    "name": ("项目", "名称"),
    "tasks": ("任务", "措施", "内容"),
    "goals": ("目标", "成效"),
    "lead": ("牵头", "责任", "主责"),
    "partners": ("配合", "参与", "协同", "协作", "协办"),
}
DEPARTMENT_WORDS = ("单位", "部门")
REQUIRED_COLUMNS = ("number", "name", "tasks", "goals", "lead")
LONGEST_HEADER = 12  # longer cells are data, not headers


@dataclass
class Header:
    """What each cell of a candidate header row means."""

    columns: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.problems

    def repeats(self, other: "Header") -> bool:
        """Every column named here sits where `other` has it (a header repeated on a later
        page, or one row of a two-row header)."""
        return all(other.columns.get(key) == index for key, index in self.columns.items())


def column_key(header: str) -> str | tuple[str, ...] | None:
    """The column a header names; a tuple of candidates when it could be several; None when
    it is none of them (备注, 完成时限, 责任人…)."""
    header = re.sub(r"\s", "", header)
    if not header or len(header) > LONGEST_HEADER or header.endswith("人"):
        return None
    for key, names in COLUMN_NAMES.items():
        if header in names:
            return key
    hinted = tuple(k for k, words in COLUMN_HINTS.items() if any(w in header for w in words))
    if {"lead", "partners"} <= set(hinted):
        return ("lead", "partners")
    for key, names in COLUMN_NAMES.items():
        if any(header.startswith(n) for n in names):
            return key
    if len(hinted) == 1:
        return hinted[0]
    if hinted:
        return hinted
    if any(word in header for word in DEPARTMENT_WORDS):
        return ("lead", "partners")
    return None


def read_header(row: list[str]) -> Header:
    header = Header()
    unclear: set[str] = set()
    for index, cell in enumerate(row):
        if isinstance(cell, SpannedCell):
            continue
        key = column_key(cell)
        name = re.sub(r"\s", "", cell)
        if key is None:
            if name and not name.isdigit():
                header.ignored.append(name)
        elif isinstance(key, tuple):
            unclear.update(key)
            header.problems.append(_ambiguous(index, name, key))
        elif key in header.columns:
            first = header.columns[key]
            header.problems.append(_duplicate(first, re.sub(r"\s", "", row[first]), index, name))
        else:
            header.columns[key] = index
    missing = [k for k in REQUIRED_COLUMNS if k not in header.columns and k not in unclear]
    header.problems += [_missing(key, row) for key in missing]
    return header


def looks_like_header(row: list[str]) -> bool:
    """At least three cells clearly name a column of the project table."""
    keys = {column_key(cell) for cell in row if not isinstance(cell, SpannedCell)}
    return len({k for k in keys if isinstance(k, str)}) >= 3


def find_header(tables: list[list[list[str]]]) -> tuple[int, int, Header]:
    """(table index, index of the first row after the header, header) of the first usable
    key-project table. A table whose header is incomplete or unclear is refused with its
    problems named, unless a later table is usable."""
    refused: list[Header] = []
    for t, table in enumerate(tables):
        for h, row in enumerate(table[:3]):
            if not looks_like_header(row):
                continue
            below = table[h + 1] if h + 1 < len(table) else []
            if _is_lower_header(row, below):
                row, h = _join_header_rows(row, below), h + 1
            header = read_header(row)
            if header.usable:
                return t, h + 1, header
            refused.append(header)
            break
    if refused:
        raise PlanDocError("重点项目清单表头无法识别：" + "；".join(refused[0].problems) + "。")
    raise PlanDocError(
        "未找到重点项目清单表格：需要一张表头包含“序号、项目名称、主要任务、工作目标、牵头部门”"
        "（可含“参与部门”）的表格。请检查文件是否为方案原文。"
    )


def _is_lower_header(upper: list[str], lower: list[str]) -> bool:
    """The row under a header names sub-columns (责任单位 over 牵头单位 | 配合单位): its own
    cells are all short header words, at least one of them a column name."""
    own = [c for c in lower if c.strip() and not isinstance(c, (MergedCell, SpannedCell))]
    return (
        len(lower) == len(upper)
        and any(isinstance(column_key(c), str) for c in own)
        and all(column_key(c) is not None for c in own)
    )


def _join_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """Per column, the lower row's own text, else the upper row's (merged down over it)."""
    joined = []
    for top, bottom in zip(upper, lower, strict=True):
        own = bottom.strip() and not isinstance(bottom, MergedCell)
        joined.append(str(bottom) if own else str(top))
    return joined


def _labels(keys: tuple[str, ...]) -> str:
    return "还是".join(f"“{COLUMN_LABELS[k]}”" for k in keys)


def _ambiguous(index: int, name: str, keys: tuple[str, ...]) -> str:
    return (
        f"第 {index + 1} 列“{name}”无法判断是{_labels(keys)}列，"
        f"请把表头改为明确的写法（如“{COLUMN_LABELS[keys[0]]}”“{COLUMN_LABELS[keys[1]]}”）后重新导入"
    )


def _duplicate(first: int, first_name: str, index: int, name: str) -> str:
    key = column_key(name)
    return (
        f"第 {first + 1} 列“{first_name}”和第 {index + 1} 列“{name}”都像是“{COLUMN_LABELS[key]}”列，"
        "无法判断用哪一列，请修改其中一列的表头后重新导入"
    )


def _missing(key: str, row: list[str]) -> str:
    present = "、".join(re.sub(r"\s", "", c) for c in row if c.strip()) or "无"
    written = "、".join(COLUMN_NAMES[key][:4])
    return f"缺少“{COLUMN_LABELS[key]}”列（可写作 {written}），现有表头为：{present}"
