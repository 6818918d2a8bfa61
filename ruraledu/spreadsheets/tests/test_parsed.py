"""An import job parses the upload in a child process only; what comes back is the parsed
sheet by column, the same rows and errors the reader gives in this process."""

import os
import pickle
from datetime import date
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from ruraledu.orgunits.models import Department
from ruraledu.spreadsheets import reader, services
from ruraledu.spreadsheets.base import CellError
from ruraledu.spreadsheets.reader import parse_sheet, read_sheet
from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import ImportRejected, import_run

from .importer import HEADERS, SPEC
from .xlsx import row, workbook


def run(data, user):
    return import_run(
        kind=SPEC.kind, data=data, filename="部门.xlsx", year=2025, user=user, isolate=True
    )


def test_the_parsed_sheet_comes_back_from_a_pickle_as_the_reader_reads_it():
    # given rows with dates and decimals, a bad cell, and a row holding only an unknown column
    headers = ["备注", *HEADERS]
    data = workbook(
        [
            ["", *row()],
            ["", *row(code="b", budget=0.1, founded=date(2020, 2, 29))],
            ["只写了备注", "", "", "", "", "", "", "", "", ""],
            ["", *row(code="c", sort_order="三", budget=None)],
        ],
        headers=headers,
    )
    parsed = parse_sheet(SPEC, data, "部门.xlsx")
    assert parsed.filled == [True, True, False, True]
    # when it travels as an import job's child sends it
    state = parsed.__getstate__()
    back = pickle.loads(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
    # then dates and decimals went as day numbers and text (cheaper to pickle)
    assert state["values"]["budget"] == ("12.5\x000.1\x00\x00", [2, 3])
    assert state["values"]["founded"][1] == date(2020, 2, 29).toordinal()
    # and came back as the reader gives them, rows, values, texts and errors alike
    rows, errors = back.rows()
    expected_rows, expected_errors = read_sheet(SPEC, data, "部门.xlsx")
    assert [(r.number, r.values, r.raw) for r in rows] == [
        (r.number, r.values, r.raw) for r in expected_rows
    ]
    assert [r.number for r in rows] == [2, 3, 5]
    assert rows[1].values["budget"] == Decimal("0.1")
    assert rows[1].values["founded"] == date(2020, 2, 29)
    assert rows[2].values["budget"] is None
    assert rows.columns["code"] == ["health", "b", "c"]
    assert errors == expected_errors == [CellError(SPEC.title, 5, "排序", "三", "应填写整数")]


def test_a_job_reads_the_upload_only_in_its_child(district_admin, monkeypatch):
    # the worker's own process must never open the file: a parser abort would take it down
    worker = os.getpid()

    class OnlyInAChild:
        @staticmethod
        def from_filelike(stream):
            if os.getpid() == worker:
                raise AssertionError("the worker opened the upload itself")
            return CalamineWorkbook.from_filelike(stream)

    monkeypatch.setattr(reader, "CalamineWorkbook", OnlyInAChild)
    result = run(workbook([row(), row(code="b", name="乙局")]), district_admin)
    assert (result.created, Department.objects.count()) == (2, 2)
    # an importer's errors name the sheet read (once found by opening the file here)
    data = workbook([row(code="other", name="区卫生健康局")], title="Sheet1")
    with pytest.raises(ImportRejected) as rejected:
        run(data, district_admin)
    assert [(e.sheet, e.row, e.column) for e in rejected.value.errors] == [
        ("Sheet1", 2, "部门简称")
    ]


def test_no_child_meets_a_file_the_check_refuses(district_admin, monkeypatch):
    started = []
    monkeypatch.setattr(services, "run_isolated", lambda *args, **kwargs: started.append(args))
    with pytest.raises(UploadRefused) as refused:
        run(workbook([row(full_name="=1+1")]), district_admin)
    assert refused.value.message.startswith("工作表“部门名录”C2 单元格含有公式")
    assert started == []
    assert Department.objects.count() == 0


def test_the_columns_a_file_lacks_come_back_from_a_pickle():
    # given a file without the 排序 and 在用 columns
    keep = [c for c in SPEC.columns if c.key not in ("sort_order", "active")]
    data = workbook(
        [[v for c, v in zip(SPEC.columns, row(), strict=True) if c in keep]],
        headers=[c.header for c in keep],
    )
    parsed = parse_sheet(SPEC, data, "部门.xlsx")
    # then the reader names them, and so does the sheet an import job gets back
    assert parsed.absent == {"sort_order", "active"}
    rows, errors = pickle.loads(pickle.dumps(parsed)).rows()
    assert not errors and rows.absent == {"sort_order", "active"}
    assert read_sheet(SPEC, workbook([row()]), "部门.xlsx")[0].absent == frozenset()


def test_columns_of_strings_travel_as_one_string_each_and_come_back_alike():
    blank, none = ["", ""], [None, None]
    parsed = reader.ParsedSheet(
        "部门名录",
        [],
        [2, 3],
        values={"code": ["a", None], "name": none, "note": none, "n": [1, 2]},
        texts={"code": ["a", ""], "name": blank, "note": blank, "odd": ["x\x00y", ""]},
    )
    # when it is sent, a column of strings is one string and where its blanks were
    state = parsed.__getstate__()
    assert state["values"]["code"] == ("a\x00", [1])
    assert state["texts"]["code"] == ("a\x00", [])
    # but numbers, blank columns and a text holding the separator go as they are
    assert state["values"]["n"] == [1, 2]
    assert state["values"]["name"] == [None, None]
    assert state["texts"]["odd"] == ["x\x00y", ""]
    back = pickle.loads(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
    assert (back.values, back.texts) == (parsed.values, parsed.texts)
    # and the blank columns still share one list, as the reader made them
    assert back.texts["name"] is back.texts["note"]
    assert back.values["name"] is back.values["note"]
