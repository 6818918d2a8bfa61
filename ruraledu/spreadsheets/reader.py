"""Read one sheet of an uploaded workbook into typed rows, collecting every cell error.

python-calamine parses the file (about ten times faster than openpyxl). The grid is then
parsed column by column: each column's cells go through its kind's parser in one call, so the
common cell types never pay for a Python function call per cell.
"""

import datetime as dt
import io
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, chain, compress, count

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from ruraledu.core.bulk import collector_paused

from .base import CellError, Row, Rows, SheetSpec
from .layout import ERROR_SHEET_TITLE, FIRST_DATA_ROW, normalize_header, note_text, type_hint
from .parsers import REQUIRED_MESSAGE, Invalid, column_parser

MAX_DATA_ROWS = 200_000
HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is tolerated
# A file this wrong goes no further: millions of errors would only exhaust the memory
# of the process reading it, and its user needs the template, not the full list.
MAX_CELL_ERRORS = 10_000


def too_many_errors() -> str:
    return (
        f"单元格错误超过 {MAX_CELL_ERRORS:,} 处，已停止检查，以下只列出前面各行的错误。"
        "请对照导入模板检查各列的填写方式，改正后重新上传"
    )


def read_sheet(spec: SheetSpec, data: bytes, filename: str) -> tuple[list[Row], list[CellError]]:
    """Parse the spec's sheet of an .xlsx file (already passed `check_upload`).

    Returns every non-empty data row (a bad cell's value is None) and every error found:
    missing headers, bad cells and empty required cells, in sheet order.
    """
    with collector_paused():
        return parse_sheet(spec, data, filename).rows()


def parse_sheet(spec: SheetSpec, data: bytes, filename: str) -> "ParsedSheet":
    """`read_sheet`'s findings by column, cheap to send between processes: an import job
    parses in a child (`sandbox`) and only the parsed columns come back."""
    try:
        sheet_name, sheet = _open_sheet(spec, data)
    except CalamineError:
        message = f"无法读取文件“{filename}”，请在 Excel 中打开后另存为 .xlsx 再导入"
        return ParsedSheet(spec.title, [CellError(spec.title, 0, "", "", message)])
    if sheet.total_height > MAX_DATA_ROWS + FIRST_DATA_ROW:
        message = (
            f"数据行过多（{sheet.total_height} 行），单个文件最多 {MAX_DATA_ROWS} 行，请拆分后导入"
        )
        return ParsedSheet(sheet_name, [CellError(sheet_name, 0, "", "", message)])
    with collector_paused():
        grid = sheet.to_python(skip_empty_area=False)
        return SheetParser(spec, sheet_name).parse(grid)


def _open_sheet(spec: SheetSpec, data: bytes):
    """(title, sheet) of the sheet the spec reads in this file; raises `CalamineError`."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = _pick_sheet(workbook, spec)
    return name, workbook.get_sheet_by_name(name)


def _pick_sheet(workbook: CalamineWorkbook, spec: SheetSpec) -> str:
    """The sheet titled like the spec; else the first visible worksheet that is not our
    error list (a corrected error copy may come back)."""
    names = workbook.sheet_names
    if spec.title in names:
        return spec.title
    wanted = normalize_header(spec.title)
    for name in names:
        if normalize_header(name) == wanted:
            return name
    for meta in workbook.sheets_metadata:
        if (
            meta.typ == SheetTypeEnum.WorkSheet
            and meta.visible == SheetVisibleEnum.Visible
            and meta.name != ERROR_SHEET_TITLE
        ):
            return meta.name
    return names[0]


class SheetParser:
    """Turns calamine's grid (a list of row lists, A1 first) into rows and errors."""

    def __init__(self, spec: SheetSpec, sheet_name: str) -> None:
        self.spec = spec
        self.sheet = sheet_name
        self.errors: list[CellError] = []

    def error(self, row: int, column: str, value: str, message: str) -> None:
        self.errors.append(CellError(self.sheet, row, column, value, message))

    def parse(self, grid: list[list]) -> "ParsedSheet":
        header_index = self._find_header_row(grid)
        if header_index is None:
            return ParsedSheet(self.sheet, self.errors)
        positions = self._map_columns(grid[header_index], header_index + 1)
        header_broken = bool(self.errors)
        start = header_index + 1
        if start < len(grid) and self._is_notes_row(grid[start], positions):
            start += 1
        # Cells of the columns present are still checked, so one upload shows every error.
        parsed = self._parse_rows(grid, start, positions)
        if header_broken:
            # Rows lacking a required column must not reach an importer's validate().
            return ParsedSheet(self.sheet, self.errors)
        if not parsed.row_count and not self.errors:
            self.error(start + 1, "", "", "工作表中没有数据行")
        return parsed

    def _find_header_row(self, grid: list[list]) -> int | None:
        known = {normalize_header(c.header) for c in self.spec.columns}
        required = {normalize_header(c.header) for c in self.spec.columns if c.required}
        for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
            found = {normalize_header(v) for v in cells} & known
            if found and (not required or len(found & required) * 2 >= len(required)):
                return index
        if not grid:
            message = "工作表为空：第 1 行应为列标题，请使用导入模板"
        else:
            expected = "、".join(f"“{c.header}”" for c in self.spec.columns[:4])
            message = f"未找到表头行：第 1 行应为列标题（如 {expected}），请使用导入模板"
        self.error(1, "", "", message)
        return None

    def _map_columns(self, header_cells: list, row_number: int) -> dict[str, int]:
        """Column key -> 0-based index; reports missing required and duplicate headers."""
        by_header: dict[str, list[int]] = {}
        for index, value in enumerate(header_cells):
            name = normalize_header(value)
            if name:
                by_header.setdefault(name, []).append(index)
        positions = {}
        for column in self.spec.columns:
            indexes = by_header.get(normalize_header(column.header), [])
            if len(indexes) > 1:
                letters = "、".join(get_column_letter(i + 1) for i in indexes)
                self.error(
                    row_number,
                    column.header,
                    "",
                    f"表头“{column.header}”出现了 {len(indexes)} 次（{letters} 列），请只保留一列",
                )
            elif indexes:
                positions[column.key] = indexes[0]
            elif column.required:
                self.error(
                    row_number,
                    column.header,
                    "",
                    f"缺少必填列“{column.header}”，请使用最新的导入模板",
                )
        return positions

    def _is_notes_row(self, cells: list, positions: dict[str, int]) -> bool:
        """The template's notes row: a cell repeats its column's note, or a typed column
        holds its own type hint (text that can never be valid data there)."""
        for column in self.spec.columns:
            index = positions.get(column.key)
            value = cells[index] if index is not None and index < len(cells) else ""
            if not isinstance(value, str) or not value.strip():
                continue
            if normalize_header(value) == normalize_header(note_text(column)):
                return True
            if column.kind != "text" and type_hint(column) in value:
                return True
        return False

    def _parse_rows(self, grid: list[list], start: int, positions: dict[str, int]) -> "ParsedSheet":
        """Column by column: each column's cells go through its parser in one call. Columns
        right of the template's last one found are never read: a row holding only those
        counts as empty anyway."""
        width = min(len(grid[0]) if grid else 0, max(positions.values(), default=-1) + 1)
        data = grid[start:]
        if grid and len(grid[0]) > width:
            data = [cells[:width] for cells in data]
        filled_rows = list(map(([""] * width).__ne__, data))
        numbers = list(compress(count(start + 1), filled_rows))
        kept = list(compress(data, filled_rows))
        if not kept:
            return ParsedSheet(self.sheet, self.errors)
        size = len(kept)
        by_column = list(zip(*kept, strict=True))
        blank_values, blank_texts = [None] * size, [""] * size  # shared by blank columns
        keys, value_columns, text_columns = [], [], []
        problems = []  # (column order, column, parsed values, texts, bad and blank positions)
        blanked = False  # a cell holding only spaces reads as blank
        for order, column in enumerate(self.spec.columns):
            keys.append(column.key)
            if column.key not in positions:  # a missing header was reported already
                value_columns.append(blank_values)
                text_columns.append(blank_texts)
                continue
            cells = by_column[positions[column.key]]
            if cells.count("") == size:
                values, texts = blank_values, blank_texts
            else:
                values, texts = column_parser(column)(list(cells))
                blanked = blanked or texts.count("") != cells.count("")
            wrong, empty, parsed = [], [], values
            if Invalid in set(map(type, values)):
                wrong = [i for i, value in enumerate(values) if type(value) is Invalid]
                values = [None if type(v) is Invalid else v for v in values]
            if column.required:
                empty = [i for i, text in enumerate(texts) if not text]
            if wrong or empty:
                problems.append((order, column, parsed, texts, wrong, empty))
            value_columns.append(values)
            text_columns.append(texts)
        # A row whose spec columns are all blank (only unknown columns hold anything) is empty;
        # that needs a look row by row only when an unknown column holds something (or a cell
        # only spaces).
        spec_positions = set(positions.values())
        if not blanked and all(
            by_column[i].count("") == size for i in range(width) if i not in spec_positions
        ):
            filled = [True] * size
        else:
            filled = list(map(any, zip(*text_columns, strict=True)))
        # a file with too many errors is not worth an importer's checks: no row goes on
        if problems and not self._cell_errors(problems, numbers, filled):
            self.error(0, "", "", too_many_errors())
            return ParsedSheet(self.sheet, self.errors)
        return ParsedSheet(
            self.sheet,
            self.errors,
            numbers,
            dict(zip(keys, value_columns, strict=True)),
            dict(zip(keys, text_columns, strict=True)),
            None if all(filled) else filled,
            {c.key: c.kind for c in self.spec.columns if c.kind in _PACKED},
            frozenset(c.key for c in self.spec.columns if c.key not in positions),
        )

    def _cell_errors(self, problems, numbers, filled) -> bool:
        """Add to `self.errors` the errors of the rows holding data, in sheet order; past
        MAX_CELL_ERRORS only those of the first rows, and return False (not all listed)."""
        if not all(filled):  # a row left blank has no errors to show
            problems = [
                (*head, [i for i in wrong if filled[i]], [i for i in empty if filled[i]])
                for *head, wrong, empty in problems
            ]
        end = len(numbers)  # rows before this position are listed
        if sum(len(w) + len(e) for *_, w, e in problems) > MAX_CELL_ERRORS:
            per_row = [0] * end
            for *_, wrong, empty in problems:
                for i in chain(wrong, empty):
                    per_row[i] += 1
            end = bisect_right(list(accumulate(per_row)), MAX_CELL_ERRORS)
        found = []  # (position, column order, error)
        for order, column, values, texts, wrong, empty in problems:
            for i in wrong[: bisect_left(wrong, end)]:
                error = CellError(
                    self.sheet, numbers[i], column.header, texts[i], values[i].message
                )
                found.append((i, order, error))
            for i in empty[: bisect_left(empty, end)]:
                error = CellError(self.sheet, numbers[i], column.header, "", REQUIRED_MESSAGE)
                found.append((i, order, error))
        found.sort(key=lambda item: (item[0], item[1]))
        self.errors.extend(error for *_, error in found)
        return end == len(numbers)


# Column kinds sent between processes as plain values: pickling a Decimal or a date costs
# several times more than the text or the number it is made from.
_PACKED = {
    "decimal": (str, Decimal),
    "date": (dt.date.toordinal, dt.date.fromordinal),
}


@dataclass
class ParsedSheet:
    """What the reader found in a sheet, by column: `numbers` (Excel row numbers), `values`
    and `texts` (key -> one entry per row), `filled` (None when every row holds data, else
    which ones do), the `absent` columns and every error. `rows()` gives `read_sheet`'s rows; pickled, decimal and
    date columns travel as text and day numbers (`kinds`)."""

    sheet: str
    errors: list[CellError]
    numbers: list[int] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)
    texts: dict[str, list] = field(default_factory=dict)
    filled: list[bool] | None = None
    kinds: dict[str, str] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()  # keys of the template's columns the file lacks

    @property
    def row_count(self) -> int:
        return len(self.numbers) if self.filled is None else sum(self.filled)

    def rows(self) -> tuple[list[Row], list[CellError]]:
        """`read_sheet`'s answer: `Rows` (with their columns), or [] when none holds data."""
        if not self.row_count:
            return [], self.errors
        table, filled, numbers = (self.values, self.texts), self.filled, self.numbers
        kept = range(len(numbers)) if filled is None else compress(count(), filled)
        rows = [Row(numbers[i], table=table, index=i) for i in kept]
        columns = self.values
        if filled is not None:
            columns = {k: list(compress(v, filled)) for k, v in columns.items()}
        return Rows(rows, columns, self.absent), self.errors

    def __getstate__(self) -> dict:
        values, texts = _joined(self._packed(0)), _joined(self.texts)
        return {**self.__dict__, "values": values, "texts": texts}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.values, self.texts = _split(self.values), _split(self.texts)
        self.values = self._packed(1)

    def _packed(self, way: int) -> dict[str, list]:
        """The values with the `kinds` columns packed (way 0) or unpacked (way 1)."""
        values = dict(self.values)
        for key, kind in self.kinds.items():
            convert = _PACKED[kind][way]
            values[key] = [None if v is None else convert(v) for v in values[key]]
        return values


# No cell text holds it (XML 1.0 has no such character): a column's strings joined by it
# are one string to pickle, not 100,000; a column where one does hold it goes as it is.
_SEPARATOR = "\x00"


def _joined(columns: dict[str, list]) -> dict[str, list | tuple]:
    """Each column of strings (and blanks) as (one string, positions of the blanks); others
    as they are. Columns sharing one list (the blank ones) still share it when unpacked."""
    joined, done = {}, {}
    for key, column in columns.items():
        if id(column) not in done:
            done[id(column)] = _join(column)
        joined[key] = done[id(column)]
    return joined


def _join(column: list) -> list | tuple:
    kinds = set(map(type, column))
    if str not in kinds or not kinds <= {str, type(None)}:  # numbers, dates, only blanks
        return column
    blanks = [i for i, value in enumerate(column) if value is None]
    text = _SEPARATOR.join(column if not blanks else ["" if v is None else v for v in column])
    if text.count(_SEPARATOR) != len(column) - 1:
        return column
    return text, blanks


def _split(joined: dict[str, list | tuple]) -> dict[str, list]:
    columns, done = {}, {}
    for key, column in joined.items():
        if id(column) not in done:
            done[id(column)] = column if isinstance(column, list) else _unjoin(*column)
        columns[key] = done[id(column)]
    return columns


def _unjoin(text: str, blanks: list[int]) -> list:
    column = text.split(_SEPARATOR)
    for i in blanks:
        column[i] = None
    return column
