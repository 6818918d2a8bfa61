"""A student roster as a real .xlsx file, through the whole import pipeline."""

import io

import openpyxl
import pytest

from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.xlsx_template import write_template
from ruraledu.students.imports import SPEC
from ruraledu.students.models import Enrolment, StudentPerson


def roster(rows: list[dict]) -> bytes:
    """The downloadable template, filled in as a clerk would (data from row 3)."""
    stream = io.BytesIO()
    write_template(SPEC, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[SPEC.title]
    headers = [cell.value.rstrip("*").strip() for cell in sheet[1]]
    for r, row in enumerate(rows, start=3):
        for header, value in row.items():
            sheet.cell(row=r, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pupil(**overrides) -> dict:
    row = {
        "证件号码": new_id(),
        "姓名": "张小明",
        "性别": "男",
        "学校代码": "SA",
        "年级": 3,
        "班级": "3.1",
    }
    row.update(overrides)
    return row


@pytest.fixture
def good():
    return [pupil(), pupil(姓名="李小红", 性别="女", 年级=5)]


def run(data, user):
    return import_run(kind="students", data=data, filename="学生名册.xlsx", year=2024, user=user)


def test_a_bad_roster_is_refused_whole_with_every_bad_cell(district_admin, school_a, good):
    duplicate = good[0]["证件号码"]
    wrong_check = new_id()
    wrong_check = wrong_check[:17] + ("0" if wrong_check[17] != "0" else "1")
    bad = good + [
        pupil(证件号码=wrong_check),  # row 5: checksum
        pupil(学校代码="NOPE"),  # row 6: unknown school
        pupil(年级="三"),  # row 7: text in a number column
        pupil(证件号码=duplicate),  # row 8: duplicate person
        pupil(年级=8),  # row 9: grade does not fit a primary school
        pupil(证件号码=370302201506010123),  # row 10: typed as a number
    ]
    with pytest.raises(ImportRejected) as excinfo:
        run(roster(bad), district_admin)
    found = {(e.row, e.column) for e in excinfo.value.errors}
    assert found == {
        (5, "证件号码"),
        (6, "学校代码"),
        (7, "年级"),
        (8, "证件号码"),
        (9, "年级"),
        (10, "证件号码"),
    }
    messages = {e.row: e.message for e in excinfo.value.errors}
    assert messages[5] == "身份证号校验位错误（GB 11643）"
    assert messages[6] == "学校代码不存在"
    assert "与第 3 行重复" in messages[8]
    assert "文本" in messages[10]
    # and nothing was written, not even the good rows
    assert not StudentPerson.objects.exists() and not Enrolment.objects.exists()


def test_the_corrected_roster_imports_and_again_changes_nothing(district_admin, school_a, good):
    first = run(roster(good), district_admin)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = run(roster(good), district_admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.messages == []  # the pupils themselves were not rewritten either
    good[1]["年级"] = 6
    corrected = run(roster(good), district_admin)
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 1)
    assert StudentPerson.objects.count() == 2
    assert sorted(Enrolment.objects.values_list("grade", flat=True)) == [3, 6]
