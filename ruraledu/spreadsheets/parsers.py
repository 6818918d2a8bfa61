"""Cell parsing by `Column.kind`, one column at a time.

`column_parser(column)` returns a function taking the column's cells as python-calamine gave
them (str, float, bool, date, datetime …) and returning two lists: the parsed values (None
for an empty cell, an `Invalid` carrying the Chinese message for a bad one) and the cells'
text as the user typed it. The common cell types go through list comprehensions; anything
else falls back to a per-cell parser. Neither path raises on good input.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from itertools import repeat

from ruraledu.core.idnumbers import id_text, resident_id_problem, student_no_problem

from .base import Column
from .layout import number_text, range_text


class Invalid:
    """A cell that broke a rule; `message` says which, in Chinese."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"Invalid({self.message!r})"


CellParser = Callable[[object], tuple[object, str]]
ColumnParser = Callable[[list], tuple[list, list[str]]]

_MISS = object()  # left by a fast path for the per-cell parser
_EMPTY_AS_NONE = {"": None}

# Excel keeps 15 significant digits; a longer number typed into a cell has lost its tail.
EXCEL_EXACT_LIMIT = 10**15

REQUIRED_MESSAGE = "必填项不能为空"
ID_NUMBER_AS_NUMBER = (
    "身份证号必须以文本格式填写：该单元格是数字，18 位号码在 Excel 中已丢失末尾数字，"
    "请将列设为文本后重新录入"
)
LONG_NUMBER_AS_NUMBER = (
    "该单元格是超过 15 位的数字，Excel 已丢失末尾数字，请将列设为文本格式后重新录入"
)
NOT_INTEGER = "应填写整数"
NOT_NUMBER = "应填写数字"
NOT_DATE = "日期格式不正确，请按 YYYY-MM-DD 填写（如 2025-09-01）"
NOT_BOOL = "应填写“是”或“否”"

_INT = re.compile(r"[+-]?\d+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")

BOOL_WORDS = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "true": True,
    "false": False,
    "": None,
}


def cell_text(value: object) -> str:
    """The text a cell shows, for messages: numbers without a trailing ".0", ISO dates."""
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[union-attr]
    if kind is float or kind is int:
        return number_text(value)  # type: ignore[arg-type]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is dt.datetime:
        moment: dt.datetime = value  # type: ignore[assignment]
        return moment.date().isoformat() if moment.time() == dt.time() else str(moment)
    if value is None:
        return ""
    return str(value)


def _only(cells: list, kind: type) -> bool:
    """Whether every cell has exactly this type (checked at C speed)."""
    return set(map(type, cells)) <= {kind}


def _texts(cells: list) -> list[str]:
    if _only(cells, str):
        return list(map(str.strip, cells))
    return [v.strip() if type(v) is str else cell_text(v) for v in cells]


def _lookup(table: dict, texts: list[str], default: object) -> list:
    """`table.get(text, default)` for every text, at C speed."""
    return list(map(table.get, texts, repeat(default)))


def _fill_misses(values: list, texts: list[str], cells: list, parse: CellParser) -> None:
    for i in [i for i, value in enumerate(values) if value is _MISS]:
        values[i], texts[i] = parse(cells[i])


def _range_check(column: Column) -> Callable[[list], list]:
    """Replaces out-of-range numbers in a value list by an `Invalid`."""
    low, high = column.min_value, column.max_value
    if low is None and high is None:
        return lambda values: values
    out_of_range = Invalid(f"超出允许范围（{range_text(low, high)}）")
    low = float("-inf") if low is None else low
    high = float("inf") if high is None else high

    def check(values: list) -> list:
        numbers = [v for v in values if type(v) is int or type(v) is Decimal]
        if not numbers or (low <= min(numbers) and max(numbers) <= high):
            return values
        return [
            out_of_range if (type(v) is int or type(v) is Decimal) and not low <= v <= high else v
            for v in values
        ]

    return check


# --- text, choice, bool: every cell becomes text first ---------------------------------


def text_column(column: Column) -> ColumnParser:
    def parse(cells: list) -> tuple[list, list[str]]:
        if set(map(type, cells)) <= {str}:
            texts = list(map(str.strip, cells))
            return list(map(_EMPTY_AS_NONE.get, texts, texts)), texts
        texts = [v.strip() if type(v) is str else cell_text(v) for v in cells]
        values: list = list(map(_EMPTY_AS_NONE.get, texts, texts))
        for i, cell in enumerate(cells):
            if type(cell) is float and abs(cell) >= EXCEL_EXACT_LIMIT:
                values[i] = Invalid(LONG_NUMBER_AS_NUMBER)
        return values, texts

    return parse


def choice_column(column: Column) -> ColumnParser:
    lookup: dict = {label: value for value, label in column.choices}
    lookup.update({value: value for value, _ in column.choices})
    lookup[""] = None
    labels = [label for _, label in column.choices]
    shown = "、".join(labels[:12]) + (f" 等 {len(labels)} 项" if len(labels) > 12 else "")
    unknown = Invalid(f"不在可选范围内，请从下拉列表中选择（{shown}）")

    def parse(cells: list) -> tuple[list, list[str]]:
        texts = _texts(cells)
        return _lookup(lookup, texts, unknown), texts

    return parse


def _bool_text(value: object) -> str:
    if type(value) is bool:
        return "是" if value else "否"
    return cell_text(value)


def bool_column(column: Column) -> ColumnParser:
    not_bool = Invalid(NOT_BOOL)

    def parse(cells: list) -> tuple[list, list[str]]:
        if _only(cells, str):
            texts = list(map(str.strip, cells))
        else:
            texts = [v.strip() if type(v) is str else _bool_text(v) for v in cells]
        values = _lookup(BOOL_WORDS, texts, _MISS)  # 是/否/blank need no lower()
        if _MISS in values:
            lowered = _lookup(BOOL_WORDS, list(map(str.lower, texts)), not_bool)
            values = [low if v is _MISS else v for v, low in zip(values, lowered, strict=True)]
        return values, texts

    return parse


# --- numbers and dates: numeric cells on the fast path, typed text per cell ------------


def parse_int_cell(value: object) -> tuple[object, str]:
    if type(value) is str:
        text = value.strip()
        if not text:
            return None, ""
        cleaned = text.replace(",", "").replace("，", "")
        if not _INT.fullmatch(cleaned):
            return Invalid(NOT_INTEGER), text
        return int(cleaned.split(".")[0]), text
    if type(value) is float:
        return Invalid("应填写整数，不能有小数"), number_text(value)
    return Invalid(NOT_INTEGER), cell_text(value)


def int_column(column: Column) -> ColumnParser:
    check = _range_check(column)

    def parse(cells: list) -> tuple[list, list[str]]:
        if _only(cells, float) and all(map(float.is_integer, cells)):
            values = list(map(int, cells))
            return check(values), list(map(str, values))
        values = [int(v) if type(v) is float and v.is_integer() else _MISS for v in cells]
        texts = [str(v) if v is not _MISS else "" for v in values]
        _fill_misses(values, texts, cells, parse_int_cell)
        return check(values), texts

    return parse


def parse_decimal_cell(value: object) -> tuple[object, str]:
    if type(value) is str:
        text = value.strip()
        if not text:
            return None, ""
        cleaned = text.replace(",", "").replace("，", "")
        if not _DECIMAL.fullmatch(cleaned):
            return Invalid(NOT_NUMBER), text
        return Decimal(cleaned), text
    return Invalid(NOT_NUMBER), cell_text(value)


def decimal_column(column: Column) -> ColumnParser:
    check = _range_check(column)

    def parse(cells: list) -> tuple[list, list[str]]:
        if _only(cells, float):
            texts = list(map(str.removesuffix, map(repr, cells), repeat(".0")))
            return check(list(map(Decimal, texts))), texts
        texts = [repr(v).removesuffix(".0") if type(v) is float else "" for v in cells]
        values = [Decimal(t) if t else _MISS for t in texts]
        _fill_misses(values, texts, cells, parse_decimal_cell)
        return check(values), texts

    return parse


def _date_from_parts(year: str, month: str, day: str) -> dt.date | None:
    y, m, d = int(year), int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:  # 2月30日 and the like; an error path, not the happy one
        return None


def parse_date_cell(value: object) -> tuple[object, str]:
    kind = type(value)
    if kind is dt.date:
        return value, value.isoformat()  # type: ignore[union-attr]
    if kind is dt.datetime:
        return value.date(), cell_text(value)  # type: ignore[union-attr]
    if kind is float:
        return Invalid("应填写日期（YYYY-MM-DD），该单元格是数字"), cell_text(value)
    if kind is not str:
        return Invalid(NOT_DATE), cell_text(value)
    text = value.strip()  # type: ignore[union-attr]
    if not text:
        return None, ""
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return Invalid(NOT_DATE), text
    date = _date_from_parts(*match.groups())
    if date is None:
        return Invalid("不是有效的日期"), text
    return date, text


def date_column(column: Column) -> ColumnParser:
    def parse(cells: list) -> tuple[list, list[str]]:
        if _only(cells, dt.date):
            return list(cells), list(map(dt.date.isoformat, cells))
        values = [
            v if type(v) is dt.date else v.date() if type(v) is dt.datetime else _MISS
            for v in cells
        ]
        texts = [v.isoformat() if v is not _MISS else "" for v in values]
        _fill_misses(values, texts, cells, parse_date_cell)
        return values, texts

    return parse


def id_number_problem(number: str) -> str | None:
    """Why an ID number is wrong, or None: an 18-character resident ID number (GB 11643), or a
    全国学籍号 (G, J or L and the resident ID number). One rule for the whole code base."""
    if len(number) == 19 and number[0] in "GJL":
        return student_no_problem(number)
    return resident_id_problem(number)


def parse_id_number_cell(value: object) -> tuple[object, str]:
    if type(value) is not str:
        if type(value) in (float, int):
            return Invalid(ID_NUMBER_AS_NUMBER), cell_text(value)
        return Invalid("身份证号应为文本"), cell_text(value)
    text = value.strip()
    if not text:
        return None, ""
    return _id_number_value(id_text(text)), text


def _id_number_value(number: str) -> object:
    if not number:
        return None
    problem = id_number_problem(number)
    return number if problem is None else Invalid(problem)


def id_number_column(column: Column) -> ColumnParser:
    def parse(cells: list) -> tuple[list, list[str]]:
        if _only(cells, str):
            texts = list(map(str.strip, cells))
            numbers = list(map(id_text, texts))
            return list(map(_id_number_value, numbers)), texts
        values, texts = [_MISS] * len(cells), [""] * len(cells)
        _fill_misses(values, texts, cells, parse_id_number_cell)
        return values, texts

    return parse


COLUMN_PARSERS: dict[str, Callable[[Column], ColumnParser]] = {
    "text": text_column,
    "int": int_column,
    "decimal": decimal_column,
    "date": date_column,
    "bool": bool_column,
    "choice": choice_column,
    "id_number": id_number_column,
}


def column_parser(column: Column) -> ColumnParser:
    """The parser of one column; an unknown kind is a programming error in the SheetSpec."""
    try:
        return COLUMN_PARSERS[column.kind](column)
    except KeyError:
        raise ValueError(f"列“{column.header}”的类型 {column.kind!r} 未知") from None
