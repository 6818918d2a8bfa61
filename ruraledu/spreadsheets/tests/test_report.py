import io

from openpyxl import load_workbook

from ruraledu.spreadsheets.base import CellError
from ruraledu.spreadsheets.layout import ERROR_SHEET_TITLE
from ruraledu.spreadsheets.report import COMMENT_AUTHOR, ERROR_COLOR, error_copy

from .importer import SPEC
from .xlsx import from_template, row, workbook

SHEET = SPEC.title


def marked(book, ref: str) -> bool:
    cell = book[SHEET][ref]
    return str(cell.fill.fgColor.rgb).endswith(ERROR_COLOR)


def test_it_marks_each_bad_cell_and_lists_every_error_first():
    # given a user's file in shuffled column order, and errors on two cells and one row
    headers = ["部门简称", "排序", "部门代码", "成立日期"]
    data = workbook(
        [["区财政局", "三", "finance", "明年"], ["区卫健局", 2, "health", None]], headers=headers
    )
    errors = [
        CellError(SHEET, 2, "排序", "三", "应填写整数"),
        CellError(SHEET, 2, "成立日期", "明年", "日期格式不正确"),
        CellError(SHEET, 3, "", "", "只有区级管理员可以导入部门名录"),
    ]
    # when
    book = load_workbook(io.BytesIO(error_copy(data, errors, SPEC)))
    # then the exact cells are filled and commented
    assert marked(book, "B2") and marked(book, "D2") and marked(book, "A3")
    assert not marked(book, "A2") and not marked(book, "C2") and not marked(book, "B3")
    assert book[SHEET]["B2"].comment.text == "排序：应填写整数"
    assert book[SHEET]["B2"].comment.author == COMMENT_AUTHOR
    assert book[SHEET]["A3"].comment.text == "只有区级管理员可以导入部门名录"
    # and the user's data is untouched
    assert book[SHEET]["B2"].value == "三"
    # and the error list comes first and is the sheet shown on opening
    assert book.sheetnames == [ERROR_SHEET_TITLE, SHEET]
    assert book.active.title == ERROR_SHEET_TITLE
    listed = [[c.value for c in r] for r in book[ERROR_SHEET_TITLE].iter_rows()]
    assert listed == [
        ["工作表", "行号", "列", "填写的值", "问题"],
        [SHEET, 2, "排序", "三", "应填写整数"],
        [SHEET, 2, "成立日期", "明年", "日期格式不正确"],
        [SHEET, 3, None, None, "只有区级管理员可以导入部门名录"],
    ]


def test_two_errors_on_one_cell_share_a_comment():
    data = from_template([row(sort_order=-5)])
    errors = [
        CellError(SHEET, 3, "排序", "-5", "超出允许范围（0～999）"),
        CellError(SHEET, 3, "排序", "-5", "排序不能为负"),
    ]
    book = load_workbook(io.BytesIO(error_copy(data, errors, SPEC)))
    assert book[SHEET]["D3"].comment.text == "排序：超出允许范围（0～999）\n排序：排序不能为负"


def test_values_in_the_error_list_cannot_run_as_formulas():
    data = workbook([row(full_name="x")])
    errors = [CellError(SHEET, 2, "部门全称", "=cmd|' /C calc'!A0", "-1 不对")]
    book = load_workbook(io.BytesIO(error_copy(data, errors, SPEC)))
    cells = list(book[ERROR_SHEET_TITLE].iter_rows(min_row=2))[0]
    assert [c.value for c in cells[3:]] == ["'=cmd|' /C calc'!A0", "'-1 不对"]
    assert all(c.data_type == "s" for c in cells[3:])


def test_a_corrected_copy_uploaded_again_loses_its_old_marks():
    # given an error copy whose first error the user fixed
    first = error_copy(
        from_template([row(sort_order="三"), row(founded="明年")]),
        [
            CellError(SHEET, 3, "排序", "三", "应填写整数"),
            CellError(SHEET, 4, "成立日期", "明年", "日期格式不正确"),
        ],
        SPEC,
    )
    # when only the second error remains
    again = error_copy(first, [CellError(SHEET, 4, "成立日期", "明年", "日期格式不正确")], SPEC)
    book = load_workbook(io.BytesIO(again))
    # then
    assert book.sheetnames.count(ERROR_SHEET_TITLE) == 1
    assert not marked(book, "D3") and book[SHEET]["D3"].comment is None
    assert marked(book, "G4")
    assert book[ERROR_SHEET_TITLE].max_row == 2


def test_the_marked_copy_builds_only_the_cells_the_file_holds():
    # given 200 rows and one stray value in the last column (a grid of 3 million cells)
    from openpyxl import Workbook

    from .xlsx import save

    source = Workbook()
    sheet = source.active
    sheet.title = SHEET
    sheet.append([c.header for c in SPEC.columns])
    for n in range(200):
        sheet.append(row(code=f"d{n}", sort_order="三" if n == 0 else n))
    sheet["XFD2"] = "表外"
    errors = [CellError(SHEET, 2, "排序", "三", "应填写整数")]
    # when
    book = load_workbook(io.BytesIO(error_copy(save(source), errors, SPEC)))
    # then the copy holds the file's cells and no more; the error is marked
    assert len(book[SHEET]._cells) == 9 * 201 + 1
    assert marked(book, "D2")
    assert book[SHEET]["XFD2"].value == "表外"
