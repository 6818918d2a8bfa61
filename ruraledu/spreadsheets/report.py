"""The marked copy of a rejected upload: bad cells filled red with the reason as a comment,
and a first sheet listing every error."""

import warnings
from collections import defaultdict
from collections.abc import Iterable
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .base import CellError, SheetSpec
from .export import neutralize
from .layout import ERROR_SHEET_TITLE, HEADER_ROW, normalize_header

ERROR_COLOR = "FFC7CE"
ERROR_FILL = PatternFill("solid", fgColor=ERROR_COLOR)
NO_FILL = PatternFill(fill_type=None)
COMMENT_AUTHOR = "导入校验"
MAX_COMMENTS = 5_000  # beyond this only the fill and the list sheet carry the message
LIST_HEADERS = ("工作表", "行号", "列", "填写的值", "问题")
LIST_WIDTHS = (16, 8, 16, 24, 70)


def error_copy(data: bytes, errors: Iterable[CellError], spec: SheetSpec) -> bytes:
    """The user's own workbook with every error marked, plus a first sheet "错误清单"."""
    order = {c.header: i for i, c in enumerate(spec.columns)}
    errors = sorted(errors, key=lambda e: (e.sheet, e.row, order.get(e.column, -1)))
    with warnings.catch_warnings():
        # openpyxl warns about extensions it drops (slicers, some validations); harmless here.
        warnings.simplefilter("ignore")
        workbook = load_workbook(BytesIO(data))
    if ERROR_SHEET_TITLE in workbook.sheetnames:
        del workbook[ERROR_SHEET_TITLE]  # a corrected error copy uploaded again
    for sheet in workbook.worksheets:
        _clear_old_marks(sheet)
        sheet.sheet_view.tabSelected = False
    by_cell = _group_by_cell(workbook, errors, spec)
    for index, ((sheet_title, row, column), messages) in enumerate(by_cell.items()):
        cell = workbook[sheet_title].cell(row=row, column=column)
        cell.fill = ERROR_FILL
        if index < MAX_COMMENTS:
            comment = Comment("\n".join(messages), COMMENT_AUTHOR)
            comment.width, comment.height = 260, 40 + 20 * len(messages)
            cell.comment = comment
    _write_list(workbook.create_sheet(ERROR_SHEET_TITLE, 0), errors)
    workbook.active = 0
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _present_cells(sheet: Worksheet) -> list:
    """The cells the file holds. `iter_rows()` would build every empty cell of the used
    range (16,384 a row when one cell sits in the last column) and save them all."""
    return list(sheet._cells.values())  # openpyxl keeps no public view of this


def _clear_old_marks(sheet: Worksheet) -> None:
    """Remove marks left by an earlier error copy, so only today's errors show."""
    for cell in _present_cells(sheet):
        if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR:
            cell.comment = None
            if cell.fill.fgColor is not None and str(cell.fill.fgColor.rgb).endswith(ERROR_COLOR):
                cell.fill = NO_FILL


def _group_by_cell(workbook, errors: list[CellError], spec: SheetSpec) -> dict:
    """(sheet, row, column number) -> messages. A whole-row error, or a column the sheet
    lacks, marks the row's first cell."""
    header_columns: dict[str, dict[str, int]] = {}
    by_cell: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for error in errors:
        if error.sheet not in workbook.sheetnames or error.row < 1:
            continue
        if error.sheet not in header_columns:
            header_columns[error.sheet] = _header_columns(workbook[error.sheet])
        column = header_columns[error.sheet].get(normalize_header(error.column), 1)
        if not error.column:
            column = 1
        prefix = f"{error.column}：" if error.column else ""
        by_cell[(error.sheet, error.row, column)].append(f"{prefix}{error.message}")
    return by_cell


def _header_columns(sheet: Worksheet) -> dict[str, int]:
    """Normalised header -> 1-based column number, from the header row."""
    found = {}
    header_cells = [c for c in _present_cells(sheet) if HEADER_ROW <= c.row <= HEADER_ROW + 9]
    for cell in sorted(header_cells, key=lambda c: (c.row, c.column)):
        name = normalize_header(cell.value)
        if name and name not in found:
            found[name] = cell.column
    return found


def _write_list(sheet: Worksheet, errors: list[CellError]) -> None:
    sheet.append(LIST_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        sheet.append(
            [
                neutralize(error.sheet),
                error.row or None,
                neutralize(error.column),
                neutralize(error.value),
                neutralize(error.message),
            ]
        )
    for index, width in enumerate(LIST_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.sheet_view.tabSelected = True
