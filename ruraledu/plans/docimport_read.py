"""Reading a plan document (.docx, or its plain-text export) into paragraphs and table grids."""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class PlanDocError(Exception):
    pass


class MergedCell(str):
    """A grid cell merged into the cell above it (a vertical merge in Word).

    Its text repeats the text of the top cell of the merge."""


class SpannedCell(str):
    """A grid cell covered by the cell to its left (a horizontal merge); repeats its text."""


@dataclass
class RawDocument:
    paragraphs: list[str]
    tables: list[list[list[str]]]  # table > row > cell text ("\n" between cell lines)


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


# ---------------------------------------------------------------- Word


def _read_docx(path: Path) -> RawDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise PlanDocError(f"{path.name}：不是有效的 Word (.docx) 文件：{exc}") from exc
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    return RawDocument(paragraphs, [_table_grid(table) for table in document.tables])


def _table_grid(table) -> list[list[str]]:
    """One text per layout-grid cell, marking the cells that merges cover."""
    from docx.table import _Cell

    grid: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = [""] * row.grid_cols_before
        for tc in row._tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                above = grid[-1][column] if grid and column < len(grid[-1]) else ""
                cells += [MergedCell(above)] * tc.grid_span
                continue
            text = _Cell(tc, table).text.strip()
            cells += [text, *[SpannedCell(text)] * (tc.grid_span - 1)]
        grid.append(cells + [""] * row.grid_cols_after)
    return grid


# ---------------------------------------------------------------- plain text


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
    """The text export may write the header row without a blank line after it, gluing it
    to the first project row; cut it back to the width of the other rows."""
    if not rows:
        return rows
    head = rows[0]
    widths = Counter(len(row) for row in rows[1:])
    width = widths.most_common(1)[0][0] if widths else 0
    if not width and len(head) > 6 and head[0] in ("序号", "编号"):
        width = next((i for i, c in enumerate(head[1:], 1) if c.isdigit()), len(head))
    if 0 < width < len(head) and any(cell.isdigit() for cell in head[width:]):
        return [head[:width], head[width:], *rows[1:]]
    return rows


def _clean(line: str) -> str:
    return re.sub(r"\[bookmark: [^\]]*\]", "", line).strip()
