"""Read one sheet of an uploaded workbook into typed rows, collecting every cell error.

python-calamine parses the file (about ten times faster than openpyxl). The grid is then
parsed column by column: each column's cells go through its kind's parser in one call, so the
common cell types never pay for a Python function call per cell.
"""

import io
from itertools import compress, count

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from ruraledu.core.bulk import collector_paused

from .base import CellError, Row, Rows, SheetSpec
from .layout import ERROR_SHEET_TITLE, FIRST_DATA_ROW, normalize_header, note_text, type_hint
from .parsers import REQUIRED_MESSAGE, Invalid, column_parser

MAX_DATA_ROWS = 200_000
HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is tolerated


def read_sheet(spec: SheetSpec, data: bytes, filename: str) -> tuple[list[Row], list[CellError]]:
    """Parse the spec's sheet of an .xlsx file (already passed `check_upload`).

    Returns every non-empty data row (a bad cell's value is None) and every error found:
    missing headers, bad cells and empty required cells, in sheet order.
    """
    try:
        sheet_name, sheet = _open_sheet(spec, data)
    except CalamineError:
        message = f"无法读取文件“{filename}”，请在 Excel 中打开后另存为 .xlsx 再导入"
        return [], [CellError(spec.title, 0, "", "", message)]
    if sheet.total_height > MAX_DATA_ROWS + FIRST_DATA_ROW:
        message = (
            f"数据行过多（{sheet.total_height} 行），单个文件最多 {MAX_DATA_ROWS} 行，请拆分后导入"
        )
        return [], [CellError(sheet_name, 0, "", "", message)]
    with collector_paused():
        grid = sheet.to_python(skip_empty_area=False)
        return SheetParser(spec, sheet_name).parse(grid)


def probe_sheet(spec: SheetSpec, data: bytes) -> tuple[int, int]:
    """Parse the sheet `read_sheet` would read, keep nothing, return its (height, width).
    Import jobs run this in a child process first (`sandbox`): should the parser abort its
    process, only the child goes down. Python objects are not built: the grid they would
    fill is bounded by `check_upload`."""
    try:
        _, sheet = _open_sheet(spec, data)
    except CalamineError:
        return 0, 0  # read_sheet says so
    return sheet.height, sheet.width


def _open_sheet(spec: SheetSpec, data: bytes):
    """(title, sheet) of the sheet the spec reads in this file; raises `CalamineError`."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = _pick_sheet(workbook, spec)
    return name, workbook.get_sheet_by_name(name)


def sheet_title(spec: SheetSpec, data: bytes) -> str:
    """The title of the sheet `read_sheet` reads in this file (for importers' errors)."""
    try:
        return _pick_sheet(CalamineWorkbook.from_filelike(io.BytesIO(data)), spec)
    except CalamineError:
        return spec.title


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

    def parse(self, grid: list[list]) -> tuple[list[Row], list[CellError]]:
        header_index = self._find_header_row(grid)
        if header_index is None:
            return [], self.errors
        positions = self._map_columns(grid[header_index], header_index + 1)
        header_broken = bool(self.errors)
        start = header_index + 1
        if start < len(grid) and self._is_notes_row(grid[start], positions):
            start += 1
        # Cells of the columns present are still checked, so one upload shows every error.
        rows = self._parse_rows(grid, start, positions)
        if header_broken:
            # Rows lacking a required column must not reach an importer's validate().
            return [], self.errors
        if not rows and not self.errors:
            self.error(start + 1, "", "", "工作表中没有数据行")
        return rows, self.errors

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

    def _parse_rows(self, grid: list[list], start: int, positions: dict[str, int]) -> list[Row]:
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
            return []
        size = len(kept)
        by_column = list(zip(*kept, strict=True))
        blank_values, blank_texts = [None] * size, [""] * size  # shared by blank columns
        keys, value_columns, text_columns = [], [], []
        found: list[tuple[int, int, CellError]] = []  # (position, column order, error)
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
            if Invalid in set(map(type, values)):
                for i, value in enumerate(values):
                    if type(value) is Invalid:
                        error = CellError(
                            self.sheet, numbers[i], column.header, texts[i], value.message
                        )
                        found.append((i, order, error))
                values = [None if type(v) is Invalid else v for v in values]
            if column.required:
                for i in [i for i, text in enumerate(texts) if not text]:
                    error = CellError(self.sheet, numbers[i], column.header, "", REQUIRED_MESSAGE)
                    found.append((i, order, error))
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
        found.sort(key=lambda item: (item[0], item[1]))
        self.errors.extend(error for i, _, error in found if filled[i])
        values_by_key = dict(zip(keys, value_columns, strict=True))
        table = (values_by_key, dict(zip(keys, text_columns, strict=True)))
        rows = [
            Row(number, table=table, index=i)
            for i, (number, keep) in enumerate(zip(numbers, filled, strict=True))
            if keep
        ]
        if len(rows) < size:
            values_by_key = {k: list(compress(v, filled)) for k, v in values_by_key.items()}
        return Rows(rows, values_by_key)
