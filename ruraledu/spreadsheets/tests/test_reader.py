from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ruraledu.spreadsheets.base import CellError, column
from ruraledu.spreadsheets.parsers import ID_NUMBER_AS_NUMBER, LONG_NUMBER_AS_NUMBER
from ruraledu.spreadsheets.reader import read_sheet

from .importer import HEADERS, SPEC
from .xlsx import OTHER_ID, VALID_ID, from_template, row, save, workbook

SHEET = SPEC.title


def read(data):
    return read_sheet(SPEC, data, "部门.xlsx")


def test_it_reads_a_filled_template_skipping_the_notes_row():
    # given the downloaded template with two rows typed in from row 3
    data = from_template([row(), row(code="finance", name="区财政局", head_id=None)])
    # when
    rows, errors = read(data)
    # then
    assert errors == []
    assert [r.number for r in rows] == [3, 4]
    assert rows[0].values == {
        "code": "health",
        "name": "区卫生健康局",
        "full_name": "淄川区卫生健康局",
        "sort_order": 3,
        "category": "gov",
        "active": True,
        "founded": date(2019, 3, 1),
        "budget": Decimal("12.5"),
        "head_id": VALID_ID,
    }
    assert rows[0].raw["category"] == "政府部门"
    assert rows[0].raw["budget"] == "12.5"
    assert rows[1].values["head_id"] is None


def test_it_maps_columns_by_header_in_any_order_and_ignores_unknown_ones():
    # given shuffled columns, headers with spaces and required marks, and an extra column
    headers = ["备注", " 部门简称 *", "负责人身份证号", "部门代码＊", "排序", "类 别"]
    data = workbook([["随便写", "区财政局", OTHER_ID, "finance", 7, "教育系统"]], headers=headers)
    # when
    rows, errors = read(data)
    # then
    assert errors == []
    assert rows[0].number == 2
    assert rows[0].values["code"] == "finance"
    assert rows[0].values["name"] == "区财政局"
    assert rows[0].values["sort_order"] == 7
    assert rows[0].values["category"] == "edu"
    assert rows[0].values["head_id"] == OTHER_ID
    assert rows[0].values["active"] is None and rows[0].raw["active"] == ""


def test_it_reports_every_cell_error_with_sheet_row_column_and_rule():
    # given five bad rows in a filled template (data starts at row 3)
    data = from_template(
        [
            row(sort_order="三"),
            row(founded="2024-13-45"),
            row(category="事业单位"),
            row(head_id=110105194912310020),
            row(name=None, founded="明年"),
        ]
    )
    # when
    rows, errors = read(data)
    # then every error is reported, in sheet order, nothing stops at the first
    choices = "（政府部门、教育系统、群团组织）"
    assert errors == [
        CellError(SHEET, 3, "排序", "三", "应填写整数"),
        CellError(SHEET, 4, "成立日期", "2024-13-45", "不是有效的日期"),
        CellError(SHEET, 5, "类别", "事业单位", f"不在可选范围内，请从下拉列表中选择{choices}"),
        # Excel (and openpyxl) store 15 significant digits: the tail is already gone.
        CellError(SHEET, 6, "负责人身份证号", "110105194912310000", ID_NUMBER_AS_NUMBER),
        CellError(SHEET, 7, "部门简称", "", "必填项不能为空"),
        CellError(
            SHEET, 7, "成立日期", "明年", "日期格式不正确，请按 YYYY-MM-DD 填写（如 2025-09-01）"
        ),
    ]
    assert len(rows) == 5
    assert rows[0].values["sort_order"] is None


def test_error_text_names_sheet_row_column_and_value():
    error = CellError(SHEET, 3, "排序", "三", "应填写整数")
    assert str(error) == "工作表“部门名录”第 3 行“排序”列（值：三）：应填写整数"


@pytest.mark.parametrize(
    ("key", "typed", "expected"),
    [
        ("founded", "2024/9/1", date(2024, 9, 1)),
        ("founded", "2024年9月1日", date(2024, 9, 1)),
        ("founded", "20240901", date(2024, 9, 1)),
        ("founded", datetime(2024, 9, 1, 8, 30), date(2024, 9, 1)),
        ("active", "Y", True),
        ("active", "n", False),
        ("active", "1", True),
        ("active", 0, False),
        ("active", "false", False),
        ("active", True, True),
        ("category", "edu", "edu"),
        ("full_name", 12, "12"),
        ("full_name", 12.5, "12.5"),
        ("sort_order", "12", 12),
        ("sort_order", 12.0, 12),
        ("budget", "1,234.5", Decimal("1234.5")),
        ("budget", 3, Decimal("3")),
        ("head_id", "11010519491231002x", VALID_ID),
        # spaces between the groups, full-width characters from a Chinese input method
        ("head_id", "110105 19491231 002X", VALID_ID),
        ("head_id", "\u3000１１０１０５１９４９１２３１００２ｘ ", VALID_ID),
        ("head_id", "G110105\t19491231002X", "G" + VALID_ID),
    ],
)
def test_it_accepts_the_usual_ways_of_typing_a_value(key, typed, expected):
    rows, errors = read(workbook([row(**{key: typed})]))
    assert errors == []
    assert rows[0].values[key] == expected


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("sort_order", 12.5, "应填写整数，不能有小数"),
        ("sort_order", 1000, "超出允许范围（0～999）"),
        ("budget", -1, "超出允许范围（不小于 0）"),
        ("budget", "一万", "应填写数字"),
        ("active", "可能", "应填写“是”或“否”"),
        ("founded", 45000, "应填写日期（YYYY-MM-DD），该单元格是数字"),
        ("head_id", "110105194912310021", "身份证号校验位错误（GB 11643）"),
        ("head_id", "11010519491331002X", "身份证号中的出生日期无效"),
        ("head_id", "1101051949", "身份证号应为 18 位，实际 10 位"),
        (
            "head_id",
            "G110105194912310021",
            "学籍号中的身份证号部分有误：身份证号校验位错误（GB 11643）",
        ),
        ("full_name", 1234567890123456789, LONG_NUMBER_AS_NUMBER),
    ],
)
def test_it_refuses_a_value_breaking_its_column_rule(key, typed, message):
    _, errors = read(workbook([row(**{key: typed})]))
    assert [(e.row, e.message) for e in errors] == [(2, message)]


def test_it_reports_a_missing_required_header_and_still_checks_the_other_cells():
    # given a sheet without the 部门简称 column and a bad number elsewhere
    headers = [h for h in HEADERS if h != "部门简称"]
    values = row(sort_order="很多")
    del values[1]
    # when
    rows, errors = read(workbook([values], headers=headers))
    # then
    assert errors == [
        CellError(SHEET, 1, "部门简称", "", "缺少必填列“部门简称”，请使用最新的导入模板"),
        CellError(SHEET, 2, "排序", "很多", "应填写整数"),
    ]
    assert rows == []  # no importer may see rows lacking a required column


def test_it_refuses_a_header_given_twice():
    _, errors = read(workbook([row() + ["x"]], headers=[*HEADERS, "排序"]))
    assert errors == [
        CellError(SHEET, 1, "排序", "", "表头“排序”出现了 2 次（D、J 列），请只保留一列")
    ]


def test_it_skips_empty_rows_and_keeps_excel_row_numbers():
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    sheet.append(row())
    sheet.append([])
    sheet.append([None, "  ", None])  # whitespace only
    sheet.cell(row=5, column=12, value="表外备注")  # only outside the spec's columns
    sheet.append(row(code="finance", name="区财政局"))
    rows, errors = read(save(book))
    assert errors == []
    assert [r.number for r in rows] == [2, 6]
    # the columns handed to bulk importers skip the same rows
    assert column(rows, "code") == ["health", "finance"]
    assert column(rows, "name") == ["区卫生健康局", "区财政局"]
    assert column(rows, "budget") == [r.values["budget"] for r in rows]
    assert column(rows[1:], "code") == ["finance"]  # any list of rows works too


def test_it_finds_the_sheet_by_title_or_else_takes_the_first_visible_one():
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请在“部门名录”中填写"])
    data_sheet = book.create_sheet(SHEET)
    data_sheet.append(HEADERS)
    data_sheet.append(row())
    rows, _ = read(save(book))
    assert [r.values["code"] for r in rows] == ["health"]

    renamed = workbook([row(code="renamed")], title="Sheet1")
    rows, errors = read(renamed)
    assert errors == [] and rows[0].values["code"] == "renamed"


def test_it_reports_a_sheet_without_data_rows():
    assert read(from_template([])) == ([], [CellError(SHEET, 3, "", "", "工作表中没有数据行")])


def test_it_reports_a_sheet_without_headers():
    _, errors = read(workbook([["a", "b"]], headers=["甲", "乙"]))
    assert len(errors) == 1
    assert errors[0].row == 1
    assert errors[0].message.startswith("未找到表头行：第 1 行应为列标题")


def test_a_column_mixing_cell_types_parses_each_cell_by_its_type():
    # given numbers, typed text and blanks mixed in the same columns
    data = workbook(
        [
            row(code="a", sort_order=1, budget=2, founded=date(2020, 1, 2), active=True),
            row(code="b", sort_order="2", budget="3.5", founded="2021/2/3", active="否"),
            row(code="c", sort_order=None, budget=None, founded=None, active=None),
            row(code="d", sort_order=1000, budget=-1.5, founded="2021-02-30", active=1),
        ]
    )
    # when
    rows, errors = read(data)
    # then
    picked = [[r.values[k] for k in ("sort_order", "budget", "founded", "active")] for r in rows]
    assert picked == [
        [1, Decimal("2"), date(2020, 1, 2), True],
        [2, Decimal("3.5"), date(2021, 2, 3), False],
        [None, None, None, None],
        [None, None, None, True],
    ]
    assert [(e.row, e.column, e.value, e.message) for e in errors] == [
        (5, "排序", "1000", "超出允许范围（0～999）"),
        (5, "成立日期", "2021-02-30", "不是有效的日期"),
        (5, "年度经费（万元）", "-1.5", "超出允许范围（不小于 0）"),
    ]


def test_a_corrected_error_copy_is_read_from_the_data_sheet_not_the_error_list():
    # given a renamed data sheet behind the error list and a chart sheet
    book = Workbook()
    book.active.title = "错误清单"
    book.active.append(["工作表", "行号", "列", "填写的值", "问题"])
    book.create_chartsheet("图表")
    data_sheet = book.create_sheet("Sheet1")
    data_sheet.append(HEADERS)
    data_sheet.append(row(code="fixed"))
    # when
    rows, errors = read(save(book))
    # then
    assert errors == []
    assert rows[0].values["code"] == "fixed"


def test_an_unreadable_file_gets_a_chinese_message():
    assert read(b"not a workbook") == (
        [],
        [
            CellError(
                SHEET, 0, "", "", "无法读取文件“部门.xlsx”，请在 Excel 中打开后另存为 .xlsx 再导入"
            )
        ],
    )


def test_a_file_with_too_many_bad_cells_is_read_no_further(monkeypatch):
    # (millions of errors would exhaust the memory of the process reading the file)
    from ruraledu.spreadsheets import reader

    monkeypatch.setattr(reader, "MAX_CELL_ERRORS", 3)
    bad = [row(code=f"c{i}", sort_order="三") for i in range(3)]
    # three bad cells are listed as usual, the rows still read
    rows, errors = read(workbook(bad))
    assert [(e.row, e.column) for e in errors] == [(2, "排序"), (3, "排序"), (4, "排序")]
    assert len(rows) == 3
    # past the limit, the errors of the first rows are listed and no row goes on
    two_each = [row(code=f"c{i}", sort_order="三", active="也许") for i in range(3)]
    rows, errors = read(workbook(two_each))
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "排序"), (2, "在用"), (0, "")]
    assert errors[-1].message.startswith("单元格错误超过 3 处，已停止检查")


def test_rows_left_blank_neither_count_nor_crowd_out_real_errors(monkeypatch):
    from ruraledu.spreadsheets import reader

    monkeypatch.setattr(reader, "MAX_CELL_ERRORS", 1)
    # rows holding only a note (a column the template lacks) or spaces read as blank
    headers = ["备注", *HEADERS]
    blank = [""] * len(HEADERS)
    spaces = [" ", *blank[1:]]
    data = workbook(
        [["备注一", *blank], ["", *row(sort_order="三")], ["备注二", *blank], ["", *spaces]],
        headers=headers,
    )
    rows, errors = read(data)
    assert [(e.row, e.column) for e in errors] == [(3, "排序")]
    assert [r.number for r in rows] == [3]
