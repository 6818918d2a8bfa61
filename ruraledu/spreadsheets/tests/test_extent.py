"""Sheets whose range is far beyond their data are refused before any reader allocates."""

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings

from ruraledu.spreadsheets.extent import SheetExtent
from ruraledu.spreadsheets.reader import read_sheet
from ruraledu.spreadsheets.safety import UploadRefused, check_upload

from .importer import SPEC
from .xlsx import far_corner_workbook, raw_workbook, row, wide_workbook, workbook

SHEET = SPEC.title


def refusal(data: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(data, "名录.xlsx")
    return refused.value.message


def measure(xml: bytes) -> SheetExtent:
    extent = SheetExtent()
    extent.feed(xml, len(xml), new_bytes=len(xml), unusual=False)
    return extent


def test_it_refuses_a_sheet_declaring_the_last_cell_of_the_grid():
    assert refusal(far_corner_workbook()) == (
        f"文件“名录.xlsx”的工作表“{SHEET}”声明的范围 A1:XFD1048576 远超实际数据"
        "（共 10 个单元格），请将数据复制到新的导入模板后再上传"
    )


def test_it_refuses_a_cell_in_the_last_column_of_a_long_sheet_whatever_is_declared():
    expected = (
        f"文件“名录.xlsx”的工作表“{SHEET}”的数据区域 A1:XFD3001 远超实际数据"
        "（共 6009 个单元格），多半是远处的单元格中有内容或空格，请将数据复制到新的导入模板后再上传"
    )
    assert refusal(wide_workbook()) == expected
    assert refusal(wide_workbook(dimension="A1:B3001")) == expected


def test_it_refuses_a_far_cell_written_in_an_unusual_form():
    # given a prefixed cell (readers match cells by local name) far down and right
    sheet = (
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2"><x:c xmlns:x="urn:x" r="ZZ900000"><v>1</v></x:c></row></sheetData>'
    )
    assert "数据区域 A1:ZZ900000 远超实际数据（共 2 个单元格）" in refusal(raw_workbook(sheet))


def test_a_sheet_stored_outside_the_worksheets_folder_is_measured_too():
    sheet = '<sheetData><row r="1"><c r="XFD900000"><v>1</v></c></row></sheetData>'
    data = raw_workbook(sheet, part="xl/elsewhere/data.xml")
    assert "数据区域 A1:XFD900000 远超实际数据（共 1 个单元格）" in refusal(data)


def test_it_refuses_cells_without_a_position():
    sheet = '<sheetData><row r="1"><c><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData>'
    assert "缺少位置（如 A1）的单元格" in refusal(raw_workbook(sheet))


def test_a_far_row_before_the_last_one_is_found():
    # given the far row first: the last cell alone would say row 2
    sheet = (
        '<sheetData><row r="900000"><c r="A900000"><v>1</v></c></row>'
        '<row r="2"><c r="B2"><v>1</v></c></row></sheetData>'
    )
    assert "数据区域 A1:B900000 远超实际数据（共 2 个单元格）" in refusal(raw_workbook(sheet))


def test_an_ordinary_sheet_is_measured_by_its_last_cell():
    extent = measure(b'<dimension ref="A1:C3"/><sheetData><row r="3"><c r="C3"><v>1</v></c>')
    assert (extent.declared, extent.rows, extent.columns) == ("A1:C3", 3, 26)
    assert extent.problem() is None


def test_ordinary_workbooks_still_pass():
    check_upload(workbook([row(), row(code="b")]), "名录.xlsx")


def test_the_reader_ignores_columns_right_of_the_template(db):
    # given a value far right of the spec's nine columns (inside the accepted range)
    data = workbook([row(), [*row(code="b"), *[None] * 40, "备注"]])
    rows, errors = read_sheet(SPEC, data, "名录.xlsx")
    assert errors == []
    assert [r.values["code"] for r in rows] == ["health", "b"]


CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    django.setup()
    from ruraledu.spreadsheets.reader import read_sheet
    from ruraledu.spreadsheets.safety import UploadRefused, check_upload
    from ruraledu.spreadsheets.tests.importer import SPEC
    def peak_kb():
        # VmHWM starts afresh at exec; ru_maxrss would count the forking parent's pages.
        try:
            with open("/proc/self/status") as status:
                line = next(l for l in status if l.startswith("VmHWM:"))
            return int(line.split()[1])
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = open(sys.argv[1], "rb").read()
    before = peak_kb()
    start = time.perf_counter()
    try:
        check_upload(data, "wide.xlsx")
        read_sheet(SPEC, data, "wide.xlsx")
        outcome = "read"
    except UploadRefused as exc:
        outcome = exc.message
    print(json.dumps({
        "outcome": outcome,
        "seconds": time.perf_counter() - start,
        "peak_kb": peak_kb(),
        "before_kb": before,
    }))
    """
)


def test_the_wide_sheet_is_refused_quickly_and_in_little_memory(tmp_path):
    # given the 18 KB kind of file (one cell in the last column, thousands of rows)
    path = tmp_path / "wide.xlsx"
    path.write_bytes(wide_workbook(rows=3000))
    # when a fresh interpreter checks and reads it
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(finished.stdout)
    # then it is refused, in under 2 s and a peak under 300 MB (the interpreter included)
    assert "远超实际数据" in report["outcome"]
    assert report["seconds"] < 2, report
    assert report["peak_kb"] < 300 * 1024, report
    assert time.perf_counter() - started < 60
