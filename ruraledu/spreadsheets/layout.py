"""Sheet layout shared by the template writer, the reader and the error report.

Row 1 holds the headers, row 2 the notes, data starts at row 3. Headers are matched after
normalisation, so "姓名 *", " 姓名" and "姓名＊" all name the same column.
"""

import re

from .base import Column

HEADER_ROW = 1
NOTES_ROW = 2
FIRST_DATA_ROW = 3
LAST_TEMPLATE_ROW = 10_000  # dropdowns and formats in the template reach this row

ERROR_SHEET_TITLE = "错误清单"
CHOICES_SHEET_TITLE = "下拉选项"
REQUIRED_MARK = "*"

_SPACES = re.compile(r"\s+")

TYPE_HINTS = {
    "text": "文本",
    "int": "整数",
    "decimal": "数字",
    "date": "日期 YYYY-MM-DD",
    "bool": "是/否",
    "choice": "从下拉列表选择",
    "id_number": "18 位身份证号，文本格式，勿填为数字",
}


def normalize_header(text: object) -> str:
    """The comparable form of a header cell: no spaces anywhere, no required mark."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _SPACES.sub("", text).rstrip("*＊").lstrip("*＊")


def header_text(column: Column) -> str:
    return f"{column.header}{REQUIRED_MARK}" if column.required else column.header


def type_hint(column: Column) -> str:
    hint = TYPE_HINTS.get(column.kind, "")
    if column.kind in ("int", "decimal") and (
        column.min_value is not None or column.max_value is not None
    ):
        hint += f"，{range_text(column.min_value, column.max_value)}"
    return hint


def note_text(column: Column) -> str:
    """The notes-row text under a column's header: its note, then the type hint."""
    parts = ["必填" if column.required else "选填", type_hint(column), column.note]
    return "；".join(p for p in parts if p)


def number_text(value: float) -> str:
    """12.0 -> "12", 12.5 -> "12.5": how Excel shows a plain number."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{number_text(low)}～{number_text(high)}"
    if low is not None:
        return f"不小于 {number_text(low)}"
    if high is not None:
        return f"不大于 {number_text(high)}"
    return ""
