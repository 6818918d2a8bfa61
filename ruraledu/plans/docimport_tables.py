"""The key-project table as published: continued across pages, with merged cells and
category rows (一、… / （一）…) between the projects."""

import re
import unicodedata
from dataclasses import dataclass, field

from .docimport_columns import Header, column_key, find_header, looks_like_header, read_header
from .docimport_read import MergedCell, PlanDocError

CATEGORY_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[部分类项])\s*"
)


@dataclass
class TableProject:
    line: int  # row in the table, counting from 1 (continued after a page break)
    number: int
    cells: dict[str, str]
    category: int | None  # index into ProjectTable.categories


@dataclass
class ProjectTable:
    projects: list[TableProject] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def read_project_table(tables: list[list[list[str]]]) -> ProjectTable:
    t, first_row, header = find_header(tables)
    width = len(tables[t][first_row - 1])
    rows = tables[t][first_row:] + _continuation_rows(tables[t + 1 :], header, width)
    return _read_rows(rows, header, first_line=first_row + 1)


def category_title(text: str) -> str:
    """A category row's title without its numbering."""
    return CATEGORY_RE.sub("", text).strip()


def _continuation_rows(tables, header: Header, width: int) -> list[list[str]]:
    """Rows of the tables that continue the project table after a page break."""
    rows: list[list[str]] = []
    for table in tables:
        if not table or len(table[0]) != width:
            break
        if not (_repeats_header(table[0], header) or _continues(table[0], header)):
            break
        rows += table
    return rows


def _continues(row: list[str], header: Header) -> bool:
    """The first row of a table reads as a row of the project table: a project, a category,
    or the rest of a row cut by the page break (no 序号)."""
    index = header.columns["number"]
    number = _cell(row, index)
    if isinstance(number, MergedCell) or not number.strip():
        return True
    return _project_number(number) is not None or _category(row, index) is not None


def _read_rows(rows: list[list[str]], header: Header, first_line: int) -> ProjectTable:
    table = ProjectTable(ignored=header.ignored)
    index = header.columns["number"]
    current: TableProject | None = None
    for line, row in enumerate(rows, start=first_line):
        number = _cell(row, index)
        if not any(cell.strip() for cell in row) or _repeats_header(row, header):
            continue
        if isinstance(number, MergedCell):
            _continue_project(current, row, header, line)
        elif (title := _category(row, index)) is not None:
            table.categories.append(title)
            current = None
        elif not number.strip():
            _continue_project(current, row, header, line)
        else:
            current = _new_project(table, row, header, line)
    return table


def _new_project(table: ProjectTable, row: list[str], header: Header, line: int) -> TableProject:
    text = _cell(row, header.columns["number"]).strip()
    number = _project_number(text)
    if number is None:
        raise PlanDocError(f"重点项目清单第 {line} 行：序号“{text}”不是数字。")
    if any(p.number == number for p in table.projects):
        raise PlanDocError(f"重点项目清单第 {line} 行：序号 {number} 与前面的项目重复。")
    cells = {key: str(_cell(row, i)).strip() for key, i in header.columns.items()}
    category = len(table.categories) - 1 if table.categories else None
    project = TableProject(line, number, cells, category)
    table.projects.append(project)
    return project


def _continue_project(project: TableProject | None, row, header: Header, line: int) -> None:
    """A row without its own 序号: the project above runs on (a row split across pages, or
    a project spanning rows). Cells merged from above were read with the first row."""
    if project is None:
        raise PlanDocError(
            f"重点项目清单第 {line} 行没有序号，上面也没有项目，无法判断这一行属于哪个项目。"
        )
    for key, index in header.columns.items():
        cell = _cell(row, index)
        if isinstance(cell, MergedCell) or not cell.strip():
            continue
        before = project.cells[key]
        project.cells[key] = f"{before}\n{cell.strip()}" if before else cell.strip()


def _category(row: list[str], number_index: int) -> str | None:
    """The text of a category row (一、… / （一）…, or one text merged across the row)."""
    texts = list(
        dict.fromkeys(c.strip() for c in row if c.strip() and not isinstance(c, MergedCell))
    )
    if not texts or _project_number(texts[0]) is not None:
        return None
    spans_row = len(texts) == 1 and all(c.strip() == texts[0] for c in row)
    in_number_cell = _cell(row, number_index).strip() == texts[0]
    if CATEGORY_RE.match(texts[0]) and (spans_row or in_number_cell):
        return "".join(texts)
    if spans_row and len(row) > 1:
        return texts[0]
    return None


def _repeats_header(row: list[str], header: Header) -> bool:
    number = _cell(row, header.columns["number"])
    return (
        column_key(number) == "number"
        and looks_like_header(row)
        and read_header(row).repeats(header)
    )


def _project_number(text: str) -> int | None:
    match = re.fullmatch(r"(\d+)[.．、]?", unicodedata.normalize("NFKC", text.strip()))
    return int(match.group(1)) if match else None


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""
