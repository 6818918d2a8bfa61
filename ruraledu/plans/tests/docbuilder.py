"""Word documents shaped like the plans other districts publish, built in code for the tests."""

from dataclasses import dataclass, field

import docx
from docx.enum.text import WD_BREAK

HEADER = ["序号", "项目名称", "主要任务", "工作目标", "牵头部门", "参与部门"]
BODY = [
    "测试区人民政府办公室",
    "关于印发《测试区乡村教育振兴方案》的通知",
    "一、工作目标",
    "到2027年，城乡一体。",
    "二、工作任务",
    "（一）实施测试行动。正文内容。（区教育局牵头，区卫健局配合）",
]
PAGE_BREAK = object()


@dataclass
class Table:
    """Rows of cell texts; a row given as one string is merged across the whole table
    (a category row). `merge_down` holds (first_row, last_row, column) and `merge_across`
    (row, first_column, last_column): those cells are merged and keep the first one's text."""

    rows: list
    merge_down: list[tuple[int, int, int]] = field(default_factory=list)
    merge_across: list[tuple[int, int, int]] = field(default_factory=list)


def project(number, name, lead="区教体局", partners="", tasks=None, goals=None):
    """A data row in the order of HEADER."""
    return [
        str(number),
        name,
        tasks or f"{name}的任务。",
        goals or "2025年，全覆盖。",
        lead,
        partners,
    ]


def build(path, *blocks):
    """Write a .docx of paragraphs (str), page breaks (PAGE_BREAK) and tables (Table)."""
    document = docx.Document()
    for block in blocks:
        if block is PAGE_BREAK:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, str):
            document.add_paragraph(block)
        else:
            _add_table(document, block)
    document.save(path)
    return path


def _add_table(document, spec: Table):
    width = max(len(row) for row in spec.rows if not isinstance(row, str))
    table = document.add_table(rows=len(spec.rows), cols=width)
    for r, row in enumerate(spec.rows):
        if isinstance(row, str):
            merged = table.cell(r, 0).merge(table.cell(r, width - 1))
            merged.text = row
            continue
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for row, first, last in spec.merge_across:
        _merge(table.cell(row, first), table.cell(row, last))
    for first, last, column in spec.merge_down:
        _merge(table.cell(first, column), table.cell(last, column))


def _merge(first, last):
    text = first.text
    first.merge(last).text = text
