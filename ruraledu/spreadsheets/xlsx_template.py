"""Blank import templates: Chinese headers, a notes row, dropdowns and cell formats."""

from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .base import Column, SheetSpec
from .layout import (
    CHOICES_SHEET_TITLE,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LAST_TEMPLATE_ROW,
    NOTES_ROW,
    header_text,
    note_text,
    number_text,
    range_text,
)

NUMBER_FORMATS = {
    "text": "@",
    "id_number": "@",
    "int": "0",
    "decimal": "0.00",
    "date": "yyyy-mm-dd",
}
INLINE_LIST_LIMIT = 250  # Excel refuses an inline list longer than 255 characters

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
NOTE_FONT = Font(italic=True, color="595959", size=9)
NOTE_FILL = PatternFill("solid", fgColor="F2F2F2")


def write_template(spec: SheetSpec, stream: BinaryIO) -> None:
    """Write the blank template of `spec` as .xlsx to `stream`. Data starts at row 3."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title[:31]
    choices_sheet = None
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        _write_header(sheet, index, column)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(column.width, len(column.header) * 2 + 4)
        if column.kind in NUMBER_FORMATS:
            # A column style applies to cells the user types in, so IDs stay text.
            dimension.number_format = NUMBER_FORMATS[column.kind]
        validation = _validation(column)
        if column.kind == "choice" and validation is None:
            if choices_sheet is None:
                choices_sheet = workbook.create_sheet(CHOICES_SHEET_TITLE)
                choices_sheet.sheet_state = "hidden"
            validation = _list_on_sheet(choices_sheet, index, column)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_TEMPLATE_ROW}")
    sheet.row_dimensions[NOTES_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=1)
    workbook.save(stream)


def _write_header(sheet: Worksheet, index: int, column: Column) -> None:
    header = sheet.cell(row=HEADER_ROW, column=index, value=header_text(column))
    header.font = REQUIRED_FONT if column.required else HEADER_FONT
    header.fill = REQUIRED_FILL if column.required else HEADER_FILL
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    note = sheet.cell(row=NOTES_ROW, column=index, value=note_text(column))
    note.font = NOTE_FONT
    note.fill = NOTE_FILL
    note.alignment = Alignment(vertical="top", wrap_text=True)
    note.number_format = "@"


def _validation(column: Column) -> DataValidation | None:
    """The dropdown or range check of a column; None for a long choice list."""
    if column.kind == "bool":
        return _list('"是,否"', column)
    if column.kind == "choice":
        labels = [label for _, label in column.choices]
        inline = ",".join(labels)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in label for label in labels):
            return _list(f'"{inline}"', column)
        return None
    if column.kind in ("int", "decimal") and (
        column.min_value is not None or column.max_value is not None
    ):
        return _range(column)
    return None


def _list(formula: str, column: Column) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error=f"“{column.header}”请从下拉列表中选择",
        showInputMessage=True,
        promptTitle=column.header,
        prompt="请从下拉列表中选择",
    )


def _list_on_sheet(choices_sheet: Worksheet, index: int, column: Column) -> DataValidation:
    """Long lists go on the hidden options sheet, one column per spec column."""
    letter = get_column_letter(index)
    for row, (_, label) in enumerate(column.choices, start=1):
        choices_sheet.cell(row=row, column=index, value=label).number_format = "@"
    last = max(len(column.choices), 1)
    reference = f"{quote_sheetname(CHOICES_SHEET_TITLE)}!${letter}$1:${letter}${last}"
    return _list(reference, column)


def _range(column: Column) -> DataValidation:
    low, high = column.min_value, column.max_value
    if low is not None and high is not None:
        operator, first, second = "between", low, high
    elif low is not None:
        operator, first, second = "greaterThanOrEqual", low, None
    else:
        operator, first, second = "lessThanOrEqual", high, None
    return DataValidation(
        type="whole" if column.kind == "int" else "decimal",
        operator=operator,
        formula1=number_text(first),
        formula2=number_text(second) if second is not None else None,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error=f"“{column.header}”应为{'整数' if column.kind == 'int' else '数字'}，"
        f"范围 {range_text(low, high)}",
    )
