"""Build .xlsx files for the tests with openpyxl, as a user's Excel would save them."""

import io
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from ruraledu.spreadsheets.xlsx_template import write_template

from .importer import HEADERS, SPEC

VALID_ID = "11010519491231002X"
OTHER_ID = "110101199003074477"


def row(**overrides) -> list:
    """One data row in template column order; keyword arguments by column key."""
    values = {
        "code": "health",
        "name": "区卫生健康局",
        "full_name": "淄川区卫生健康局",
        "sort_order": 3,
        "category": "政府部门",
        "active": "是",
        "founded": date(2019, 3, 1),
        "budget": 12.5,
        "head_id": VALID_ID,
    }
    values.update(overrides)
    return [values[c.key] for c in SPEC.columns]


def workbook(rows: list[list], *, headers=None, title: str = SPEC.title, notes=None) -> bytes:
    """A plain workbook: headers in row 1, optional notes row, then the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(HEADERS if headers is None else headers)
    if notes is not None:
        sheet.append(notes)
    for values in rows:
        sheet.append(values)
    return save(book)


def from_template(rows: list[list]) -> bytes:
    """The downloadable template, filled in from row 3 as a user would."""
    stream = io.BytesIO()
    write_template(SPEC, stream)
    book = load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[SPEC.title]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=3 + offset, column=column, value=value)
    return save(book)


def save(book: Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace=None) -> bytes:
    """The same package with members added or replaced (for hostile files)."""
    add, replace = add or {}, replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()
