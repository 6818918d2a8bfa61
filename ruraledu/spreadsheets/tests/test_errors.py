"""ErrorSink: the one way importers name the cell a problem is in."""

from ruraledu.spreadsheets.base import CellError, Column, ErrorSink, Row, SheetSpec

SPEC = SheetSpec("things", "物品", (Column("code", "代码"), Column("name", "名称")))
ROW = Row(7, {"code": "A1", "name": None}, {"code": " A1 ", "name": ""})


def test_it_names_the_row_the_column_header_and_the_text_as_typed():
    errors = []
    ErrorSink(SPEC, errors).bad(ROW, "code", "代码不存在")
    assert errors == [CellError("物品", 7, "代码", " A1 ", "代码不存在")]


def test_a_whole_row_problem_names_no_column():
    errors = []
    ErrorSink(SPEC, errors).at(ROW)("", "同一记录在文件中出现两次（与第 3 行重复）")
    assert errors == [CellError("物品", 7, "", "", "同一记录在文件中出现两次（与第 3 行重复）")]


def test_without_a_list_the_findings_are_dropped():
    ErrorSink(SPEC, None).bad(ROW, "code", "代码不存在")  # nothing to append to, no error


def test_a_long_cell_is_shown_by_its_start_and_its_length():
    row = Row(8, {"code": None, "name": "张" * 40_000}, {"code": "", "name": "张" * 40_000})
    errors = []
    ErrorSink(SPEC, errors).bad(row, "name", "不能超过 50 个字")
    [error] = errors
    assert error.value == "张" * 60 + "…（共 40000 字）"
    assert len(str(error)) < 120
