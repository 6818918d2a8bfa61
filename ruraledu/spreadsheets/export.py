"""Fast exports with XlsxWriter (constant memory: rows go to disk as they are written).

Every text cell that a spreadsheet could read as a formula (= + - @, tab, carriage return)
gets a leading apostrophe, so exported data can never run as a formula (CSV/formula
injection).
"""

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

from .base import Column

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024


def neutralize(value: str) -> str:
    """Text that cannot start a formula in Excel, WPS or LibreOffice."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_xlsx(
    columns: Sequence[Column],
    rows: Iterable[dict],
    stream: BinaryIO,
    sheet_title: str,
    watermark: str = "",
) -> int:
    """Write `rows` (dicts keyed by `Column.key`) under Chinese headers; returns the row count.
    Choices show their labels, booleans 是/否, dates YYYY-MM-DD. A `watermark` (who exported
    it, when) goes in the printed header and footer and in the file's properties."""
    workbook = xlsxwriter.Workbook(
        stream,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_title[:31])
    if watermark:
        text = watermark.replace("&", "&&")
        sheet.set_header(f"&L{text}")
        sheet.set_footer(f"&L{text}&R第 &P 页，共 &N 页")
        workbook.set_properties({"comments": watermark, "keywords": watermark})
        workbook.set_custom_property("导出水印", watermark)
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    int_format = workbook.add_format({"num_format": "0"})
    writers = [_writer(sheet, column, date_format, int_format) for column in columns]
    for index, column in enumerate(columns):
        sheet.set_column(index, index, max(column.width, len(column.header) * 2 + 2))
        sheet.write_string(0, index, column.header, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, write) in enumerate(zip(columns, writers, strict=True)):
            value = row.get(column.key)
            if value is not None and value != "":
                write(count, index, value)
    workbook.close()
    return count


def _writer(sheet, column: Column, date_format, int_format):
    """A function (row, col, value) writing one cell of `column` with the right type."""

    def text(row: int, col: int, value) -> None:
        sheet.write_string(row, col, neutralize(str(value)))

    if column.kind == "choice":
        labels = dict(column.choices)
        return lambda row, col, value: text(row, col, labels.get(value, value))
    if column.kind == "bool":
        return lambda row, col, value: sheet.write_string(row, col, "是" if value else "否")
    if column.kind in ("int", "decimal"):

        def number(row: int, col: int, value) -> None:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(
                    row, col, float(value), int_format if column.kind == "int" else None
                )
            else:
                text(row, col, value)

        return number
    if column.kind == "date":

        def date(row: int, col: int, value) -> None:
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            if isinstance(value, dt.date):
                sheet.write_datetime(row, col, value, date_format)
            else:
                text(row, col, value)

        return date
    return text


def xlsx_response(filename_zh: str, content: bytes | BinaryIO) -> FileResponse:
    """A download of an .xlsx file under a Chinese name (RFC 6266 `filename*` in UTF-8)."""
    if not filename_zh.lower().endswith(".xlsx"):
        filename_zh += ".xlsx"
    if isinstance(content, bytes):
        stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        stream.write(content)
        stream.seek(0)
        content = stream
    response = FileResponse(content, as_attachment=True, filename=filename_zh)
    response["Content-Type"] = XLSX_CONTENT_TYPE
    return response


def export_response(
    *,
    filename_zh: str,
    columns: Sequence[Column],
    rows: Iterable[dict],
    sheet_title: str,
    watermark: str = "",
) -> FileResponse:
    """Export `rows` and answer with the file; the rows must come from a scoped selector."""
    stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    export_xlsx(columns, rows, stream, sheet_title, watermark)
    stream.seek(0)
    return xlsx_response(filename_zh, stream)
