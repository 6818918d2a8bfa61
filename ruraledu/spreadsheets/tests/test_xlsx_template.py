import io

from openpyxl import load_workbook

from ruraledu.spreadsheets.base import Column, SheetSpec
from ruraledu.spreadsheets.layout import CHOICES_SHEET_TITLE
from ruraledu.spreadsheets.safety import check_upload
from ruraledu.spreadsheets.xlsx_template import write_template

from .importer import SPEC


def open_template(spec=SPEC):
    stream = io.BytesIO()
    write_template(spec, stream)
    return load_workbook(io.BytesIO(stream.getvalue()))


def validations_by_range(sheet) -> dict[str, object]:
    return {str(v.sqref): v for v in sheet.data_validations.dataValidation}


def test_it_writes_headers_with_required_marks_in_row_one():
    sheet = open_template()[SPEC.title]
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "部门代码*", "部门简称*", "部门全称", "排序", "类别", "在用", "成立日期",
        "年度经费（万元）", "负责人身份证号",
    ]  # fmt: skip
    assert sheet["A1"].font.bold and sheet["C1"].font.bold
    assert sheet["A1"].font.color.rgb.endswith("C00000")
    assert sheet["C1"].font.color is None


def test_it_writes_a_grey_italic_notes_row_with_type_hints():
    sheet = open_template()[SPEC.title]
    notes = {
        sheet.cell(row=1, column=i).value: sheet.cell(row=2, column=i).value for i in range(1, 10)
    }
    assert notes["部门代码*"] == "必填；文本；小写字母、数字或连字符"
    assert notes["排序"] == "选填；整数，0～999"
    assert notes["在用"] == "选填；是/否"
    assert notes["成立日期"] == "选填；日期 YYYY-MM-DD"
    assert notes["负责人身份证号"] == "选填；18 位身份证号，文本格式，勿填为数字"
    assert sheet["A2"].font.italic
    assert sheet["A2"].font.color.rgb.endswith("595959")


def test_it_adds_dropdowns_for_choices_and_booleans_over_the_data_rows():
    sheet = open_template()[SPEC.title]
    validations = validations_by_range(sheet)
    assert validations["E3:E10000"].type == "list"
    assert validations["E3:E10000"].formula1 == '"政府部门,教育系统,群团组织"'
    assert validations["F3:F10000"].formula1 == '"是,否"'
    assert validations["D3:D10000"].type == "whole"
    assert (validations["D3:D10000"].formula1, validations["D3:D10000"].formula2) == ("0", "999")


def test_it_formats_columns_and_freezes_the_header():
    sheet = open_template()[SPEC.title]
    formats = {letter: sheet.column_dimensions[letter].number_format for letter in "ADGHI"}
    assert formats == {"A": "@", "D": "0", "G": "yyyy-mm-dd", "H": "0.00", "I": "@"}
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 30


def test_it_puts_a_long_choice_list_on_a_hidden_sheet():
    # given 60 choices, far beyond Excel's 255-character inline list
    towns = tuple((f"T{i:02d}", f"第{i}号示例镇街道办事处") for i in range(60))
    spec = SheetSpec("towns", "镇街", (Column("town", "镇街", kind="choice", choices=towns),))
    # when
    book = open_template(spec)
    # then the dropdown points at the hidden options sheet
    options = book[CHOICES_SHEET_TITLE]
    assert options.sheet_state == "hidden"
    assert [options.cell(row=i, column=1).value for i in (1, 60)] == [
        "第0号示例镇街道办事处",
        "第59号示例镇街道办事处",
    ]
    validation = validations_by_range(book["镇街"])["A3:A10000"]
    assert validation.formula1 == "'下拉选项'!$A$1:$A$60"


def test_templates_pass_the_upload_check():
    # dropdown formulas live in <formula1>, which is not a cell formula
    towns = tuple((f"T{i:02d}", f"第{i}号示例镇街道办事处") for i in range(60))
    long_spec = SheetSpec("towns", "镇街", (Column("town", "镇街", kind="choice", choices=towns),))
    for spec in (SPEC, long_spec):
        stream = io.BytesIO()
        write_template(spec, stream)
        check_upload(stream.getvalue(), "模板.xlsx")
