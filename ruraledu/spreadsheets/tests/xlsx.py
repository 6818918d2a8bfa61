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


def raw_workbook(
    sheet_xml: str, *, title: str = SPEC.title, part: str = "xl/worksheets/sheet1.xml"
) -> bytes:
    """A minimal package around one worksheet's XML, written by hand (no library would
    write the hostile sheets the safety tests need)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/{part}" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rels}">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="/{part}"/>'
            "</Relationships>"
        ),
        part: (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">{sheet_xml}</worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return out.getvalue()


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(_text_cell(f"{get_column_letter(i)}1", h) for i, h in enumerate(HEADERS, 1))
    return f'<row r="1">{cells}</row>'


def far_corner_workbook() -> bytes:
    """The 7 KB kind of file that made the reader ask for hundreds of gigabytes: a normal
    header row, a sheet declaring A1:XFD1048576 and one cell at XFD1048576."""
    return raw_workbook(
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f"{_header_row()}"
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData>"
    )


def wide_workbook(rows: int = 3000, *, dimension: str | None = None) -> bytes:
    """A header row, `rows` short data rows and one cell in the last column (XFD2): a dense
    grid of this sheet would hold 16,384 x (rows + 1) cells."""
    body = "".join(
        f'<row r="{n}">{_text_cell(f"A{n}", f"d{n}")}{_text_cell(f"B{n}", "部门")}</row>'
        for n in range(3, rows + 2)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return raw_workbook(
        f"{declared}<sheetData>{_header_row()}"
        f'<row r="2">{_text_cell("A2", "d2")}<c r="XFD2"><v>1</v></c></row>'
        f"{body}</sheetData>"
    )
