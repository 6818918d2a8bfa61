import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from ruraledu.spreadsheets import safety
from ruraledu.spreadsheets.safety import (
    BROKEN,
    MACROS,
    NOT_XLSX,
    OLD_XLS,
    TOO_BIG_INSIDE,
    UploadRefused,
    check_upload,
)

from .xlsx import from_template, rezip, row, save, workbook


def refusal(data: bytes, filename: str = "部门.xlsx") -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(data, filename)
    return caught.value.message


def understate(data: bytes, name: str, size: int) -> bytes:
    """Lie about a member's uncompressed size in both its local and central headers."""
    buffer = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<L", buffer, info.header_offset + 22, size)
    position = buffer.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", buffer, position + 28)[0]
        if buffer[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into("<L", buffer, position + 24, size)
        position = buffer.find(b"PK\x01\x02", position + 4)
    return bytes(buffer)


def test_it_accepts_a_filled_template():
    check_upload(from_template([row()]), "部门.xlsx")


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    message = refusal(b"\0" * (1536 * 1024))
    assert message == "文件过大（1.5 MB），上限为 1.0 MB。请拆分后分批导入"


def test_it_refuses_a_renamed_csv():
    csv = "部门代码,部门简称\nhealth,区卫生健康局\n".encode()
    assert refusal(csv, "部门.xlsx") == NOT_XLSX
    assert (
        refusal(csv, "部门.csv") == "不支持 CSV/文本文件，请把数据粘贴到导入模板（.xlsx）中再导入"
    )


def test_it_refuses_old_xls_files_by_name_and_by_content():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert refusal(ole, "部门.xls") == OLD_XLS
    assert refusal(ole, "部门.xlsx") == OLD_XLS
    assert "文件是旧版 Excel（.xls）格式" in OLD_XLS


def test_it_refuses_macro_enabled_workbooks():
    data = from_template([row()])
    assert refusal(data, "部门.xlsm") == MACROS
    assert refusal(rezip(data, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})) == MACROS
    types = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    )
    assert refusal(rezip(data, replace={"[Content_Types].xml": types})) == MACROS
    assert MACROS.startswith("文件含有宏（VBA）")


def test_it_refuses_a_zip_that_is_not_a_workbook():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(stream.getvalue()) == NOT_XLSX


def test_it_refuses_a_member_with_an_absurd_compression_ratio():
    bomb = rezip(from_template([row()]), add={"xl/media/image1.png": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    assert refusal(bomb) == TOO_BIG_INSIDE


def test_it_refuses_a_package_too_big_once_inflated(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 64 * 1024)
    padded = rezip(from_template([row()]), add={"docProps/custom.xml": b"<a/>" * 20_000})
    assert refusal(padded) == TOO_BIG_INSIDE


def test_it_refuses_a_member_inflating_beyond_its_declared_size():
    # given a header claiming 1 KB for 2 MB of data (libraries trusting it would be fooled)
    data = rezip(from_template([row()]), add={"xl/media/pad.bin": bytes(range(256)) * 8192})
    lying = understate(data, "xl/media/pad.bin", 1024)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/media/pad.bin").file_size == 1024
    # then
    assert refusal(lying) == TOO_BIG_INSIDE


def test_it_refuses_a_truncated_file():
    data = from_template([row()])
    assert refusal(data[: len(data) // 2]) in (NOT_XLSX, BROKEN)


def test_it_refuses_entity_declarations_in_the_workbook_part():
    data = from_template([row()])
    workbook_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + workbook_xml.split(b"?>", 1)[-1]
    )
    assert refusal(rezip(data, replace={"xl/workbook.xml": hostile})) == BROKEN


def test_it_refuses_a_formula_naming_the_sheet_and_cell():
    book = Workbook()
    sheet = book.active
    sheet.title = "学生名册"
    sheet["A1"] = "姓名"
    sheet["B5"] = "=1+1"
    assert refusal(save(book)) == "工作表“学生名册”B5 单元格含有公式，请复制后“粘贴为数值”再导入"


def test_it_lists_the_first_formulas_of_every_sheet():
    book = Workbook()
    book.active.title = "部门名录"
    book.active["C7"] = "=SUM(A1:A3)"
    book.active["B5"] = '=HYPERLINK("http://example.com","点我")'
    notes = book.create_sheet("说明")
    notes["A2"] = "=cmd|' /C calc'!A0"
    message = refusal(save(book))
    assert message == (
        "工作表“部门名录”B5、C7；工作表“说明”A2 等单元格含有公式，请复制后“粘贴为数值”再导入"
    )


def test_a_cell_showing_formula_text_is_not_a_formula():
    # given text that only looks like a formula, stored as a string
    data = workbook([row(full_name="<f>=1+1</f>")])
    # then
    check_upload(data, "部门.xlsx")
