import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from ruraledu.spreadsheets.export import export_response, export_xlsx, neutralize
from ruraledu.spreadsheets.reader import read_sheet

from .importer import SPEC

ROWS = [
    {
        "code": "=cmd|' /C calc'!A0",
        "name": "+区财政局",
        "full_name": "-1",
        "sort_order": 3,
        "category": "edu",
        "active": False,
        "founded": date(2019, 3, 1),
        "budget": Decimal("12.50"),
        "head_id": "@SUM(1)",
    },
    {"code": "health", "name": "\t区卫健局", "full_name": None, "active": True,
     "founded": datetime(2020, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))},
]  # fmt: skip


def exported(rows=ROWS):
    stream = io.BytesIO()
    count = export_xlsx(SPEC.columns, rows, stream, "部门名录")
    return count, stream.getvalue()


def test_neutralize_prefixes_formula_starters_only():
    assert [neutralize(v) for v in ("=1+1", "+1", "-1", "@a", "\tx", "\rx", "区", "")] == [
        "'=1+1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "区", "",
    ]  # fmt: skip


def test_it_exports_labels_booleans_dates_and_never_a_formula():
    count, data = exported()
    sheet = load_workbook(io.BytesIO(data))["部门名录"]
    assert count == 2
    assert [c.value for c in sheet[1]] == [c.header for c in SPEC.columns]
    first = [c.value for c in sheet[2]]
    assert first[:3] == ["'=cmd|' /C calc'!A0", "'+区财政局", "'-1"]
    assert first[3:7] == [3, "教育系统", "否", datetime(2019, 3, 1)]
    assert first[7] == 12.5 and first[8] == "'@SUM(1)"
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["G3"].value == datetime(2020, 1, 2, 9, 0)
    assert sheet["F3"].value == "是" and sheet["B3"].value == "'\t区卫健局"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert sheet.freeze_panes == "A2"


def test_an_export_reads_back_through_the_importer_columns():
    rows = [dict(ROWS[0], code="finance", name="区财政局", full_name="x", head_id=None)]
    _, data = exported(rows)
    parsed, errors = read_sheet(SPEC, data, "导出.xlsx")
    assert errors == []
    assert parsed[0].values["category"] == "edu"
    assert parsed[0].values["active"] is False
    assert parsed[0].values["founded"] == date(2019, 3, 1)


def test_the_response_is_an_attachment_with_a_utf8_file_name():
    response = export_response(
        filename_zh="部门名录", columns=SPEC.columns, rows=ROWS, sheet_title="部门名录"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%83%A8%E9%97%A8%E5%90%8D%E5%BD%95.xlsx"
    )
    body = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(body))["部门名录"]["B2"].value == "'+区财政局"
