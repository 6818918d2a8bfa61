"""Plan documents laid out the way other districts publish them."""

import pytest
import yaml
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from ruraledu.orgunits.departments import DepartmentMatcher
from ruraledu.orgunits.models import Department
from ruraledu.plans.docimport import PlanDocError, build_draft, read_document
from ruraledu.plans.loader import load_plan
from ruraledu.plans.models import Project

from .docbuilder import BODY, HEADER, PAGE_BREAK, Table, build, project

APPENDIX_TITLE = "测试区推进乡村教育振兴工作重点项目清单"


@pytest.fixture
def matcher():
    """The departments these documents name, as the Zichuan plan file defines them."""
    return DepartmentMatcher(
        [
            Department(code="education", name="区教体局", aliases=["区教育局"]),
            Department(code="health", name="区卫生健康局", aliases=["区卫健局"]),
            Department(code="women-federation", name="区妇联"),
            Department(code="disabled-federation", name="区残联"),
        ]
    )


def draft_of(path, matcher):
    return build_draft(read_document(path), matcher, "test-plan")


def by_number(draft):
    return {p["number"]: p for p in draft.data["projects"]}


# ---------------------------------------------------------------- appendix only


def test_an_appendix_only_file_becomes_a_draft_with_one_section(matcher, tmp_path):
    # given a file holding only the key-project table, without the plan's main text
    path = build(
        tmp_path / "appendix.docx",
        "附件",
        APPENDIX_TITLE,
        Table([HEADER, project(1, "甲项目", "区教育局"), project(2, "乙项目", "区妇联")]),
    )
    # when it is read
    draft = draft_of(path, matcher)
    # then every project lands in one section named after the table, and the gaps are reported
    assert [(p["number"], p["name"], p["section"]) for p in draft.data["projects"]] == [
        (1, "甲项目", 1),
        (2, "乙项目", 1),
    ]
    assert [(s["number"], s["title"]) for s in draft.data["sections"]] == [(1, APPENDIX_TITLE)]
    assert by_number(draft)[1]["lead"] == ["区教体局"]
    assert draft.data["plan"]["title"] == APPENDIX_TITLE
    assert (draft.data["plan"]["start_year"], draft.data["plan"]["end_year"]) == (2025, 2025)
    assert any("没有方案正文" in w for w in draft.warnings)


def test_command_turns_an_appendix_only_file_into_a_plan_file_that_loads(zichuan_plan, tmp_path):
    # given an appendix-only file
    path = build(
        tmp_path / "appendix.docx",
        APPENDIX_TITLE,
        Table([HEADER, project(1, "甲项目"), project(2, "乙项目", partners="区妇联")]),
    )
    output = tmp_path / "draft.yaml"
    # when the command imports it and the draft is loaded
    call_command("import_plan_doc", str(path), "-o", str(output), "--code", "appendix")
    load_plan(output)
    # then the plan holds both projects
    data = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert [p["name"] for p in data["projects"]] == ["甲项目", "乙项目"]
    names = Project.objects.filter(plan__code="appendix").order_by("number")
    assert [p.name for p in names] == ["甲项目", "乙项目"]


# ---------------------------------------------------------------- header words


@pytest.mark.parametrize(
    "header",
    [
        ["协同单位", "具体目标", "编号", "责任单位", "具体措施", "项目名称"],
        ["编号", "目标任务", "工作任务", "协同单位", "项目名称", "牵头单位", "备注"],
        ["配合单位", "牵头单位", "具体措施", "编号", "项目名称", "目标任务"],
    ],
)
def test_header_synonyms_in_any_column_order(matcher, tmp_path, header):
    # given a table whose header uses other common words, in a shuffled order
    values = {
        "编号": "1",
        "项目名称": "测试项目",
        "具体措施": "做一件事。再做一件事。",
        "工作任务": "做一件事。再做一件事。",
        "具体目标": "2025年，测试全覆盖。",
        "目标任务": "2025年，测试全覆盖。",
        "责任单位": "区教育局",
        "牵头单位": "区教育局",
        "协同单位": "区卫健局\n区残联",
        "配合单位": "区卫健局\n区残联",
        "备注": "无",
    }
    path = build(tmp_path / "plan.docx", *BODY, Table([header, [values[h] for h in header]]))
    # when it is read
    draft = draft_of(path, matcher)
    # then every column is found by its meaning
    [found] = draft.data["projects"]
    assert found["number"] == 1
    assert found["name"] == "测试项目"
    assert found["tasks"] == ["做一件事。", "再做一件事。"]
    assert found["goals_text"] == "2025年，测试全覆盖。"
    assert found["lead"] == ["区教体局"]
    assert found["partners"] == ["区卫生健康局", "区残联"]
    assert [t["due"] for t in draft.data["targets"]] == ["2025-12-31"]


def test_an_unused_column_is_ignored_and_named_in_a_warning(matcher, tmp_path):
    path = build(
        tmp_path / "plan.docx",
        *BODY,
        Table([[*HEADER, "备注"], [*project(1, "甲项目"), "已完成"]]),
    )
    draft = draft_of(path, matcher)
    assert by_number(draft)[1]["name"] == "甲项目"
    assert "未使用的列：备注" in "\n".join(draft.warnings)


# ---------------------------------------------------------------- unclear headers


def test_an_ambiguous_header_is_refused_naming_the_column(matcher, tmp_path):
    # given a department column headed only "单位"
    header = ["序号", "项目名称", "主要任务", "工作目标", "单位", "参与部门"]
    path = build(tmp_path / "plan.docx", *BODY, Table([header, project(1, "甲项目")]))
    # when it is read, then the importer asks instead of guessing
    with pytest.raises(PlanDocError) as excinfo:
        draft_of(path, matcher)
    message = str(excinfo.value)
    assert "第 5 列“单位”" in message
    assert "牵头部门" in message and "参与部门" in message


def test_two_columns_for_the_same_role_are_refused_naming_both(matcher, tmp_path):
    header = ["序号", "项目名称", "主要任务", "工作目标", "牵头单位", "责任单位"]
    path = build(tmp_path / "plan.docx", *BODY, Table([header, project(1, "甲项目")]))
    with pytest.raises(PlanDocError) as excinfo:
        draft_of(path, matcher)
    message = str(excinfo.value)
    assert "第 5 列“牵头单位”" in message and "第 6 列“责任单位”" in message


def test_a_missing_column_is_named(matcher, tmp_path):
    header = ["序号", "项目名称", "主要任务", "牵头部门", "参与部门"]
    row = ["1", "甲项目", "任务。", "区教体局", ""]
    path = build(tmp_path / "plan.docx", *BODY, Table([header, row]))
    with pytest.raises(PlanDocError) as excinfo:
        draft_of(path, matcher)
    assert "缺少“工作目标”列" in str(excinfo.value)


def test_command_exits_non_zero_on_an_ambiguous_header_and_writes_nothing(
    db, tmp_path, capsys, monkeypatch
):
    header = ["序号", "项目名称", "主要任务", "工作目标", "牵头部门", "单位"]
    path = build(tmp_path / "plan.docx", *BODY, Table([header, project(1, "甲项目")]))
    output = tmp_path / "draft.yaml"
    # when run as from the shell (whose exit closes the database connections; the test's
    # transaction must outlive it on PostgreSQL)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "import_plan_doc", str(path), "-o", str(output)]).execute()
    # then it fails with the column named and no draft is written
    assert excinfo.value.code != 0
    assert "第 6 列“单位”" in capsys.readouterr().err
    assert not output.exists()
    with pytest.raises(CommandError):
        call_command("import_plan_doc", str(path), "-o", str(output))
    assert not output.exists()


# ---------------------------------------------------------------- page breaks


@pytest.mark.parametrize("repeated_header", [True, False])
def test_a_table_split_across_a_page_break_is_read_as_one(matcher, tmp_path, repeated_header):
    # given the table continued in a second table after a page break; the last row of the
    # first page runs on at the top of the second (a row without 序号)
    second = [
        ["", "", "再做一件事。", "", "", "区残联"],
        project(3, "丙项目"),
    ]
    path = build(
        tmp_path / "plan.docx",
        *BODY,
        Table([HEADER, project(1, "甲项目"), project(2, "乙项目", tasks="做一件事。")]),
        PAGE_BREAK,
        Table([HEADER, *second] if repeated_header else second),
    )
    # when it is read
    projects = by_number(draft_of(path, matcher))
    # then all projects are found and the split row is joined again
    assert sorted(projects) == [1, 2, 3]
    assert projects[2]["tasks"] == ["做一件事。", "再做一件事。"]
    assert projects[2]["partners"] == ["区残联"]
    assert projects[3]["name"] == "丙项目"


def test_a_later_unrelated_table_is_not_read_as_a_continuation(matcher, tmp_path):
    path = build(
        tmp_path / "plan.docx",
        *BODY,
        Table([HEADER, project(1, "甲项目")]),
        PAGE_BREAK,
        Table([["联系人", "电话"], ["张三", "1234567"]]),
    )
    assert sorted(by_number(draft_of(path, matcher))) == [1]


# ---------------------------------------------------------------- merged cells


def test_vertically_merged_cells(matcher, tmp_path):
    # given project 2 spanning two rows (序号 and 项目名称 merged, one task per row) and
    # the lead department merged down over projects 2 to 4
    rows = [
        HEADER,
        project(1, "甲项目", "区妇联"),
        project(2, "乙项目", "区教育局", tasks="做一件事。", goals="2024年，甲全覆盖。"),
        ["", "", "再做一件事。", "2025年，乙达到90%。", "", "区残联"],
        project(3, "丙项目", ""),
        project(4, "丁项目", ""),
    ]
    merges = [(2, 3, 0), (2, 3, 1), (2, 5, 4)]
    path = build(tmp_path / "plan.docx", *BODY, Table(rows, merge_down=merges))
    # when it is read
    draft = draft_of(path, matcher)
    projects = by_number(draft)
    # then the spanning project is one project holding both rows
    assert sorted(projects) == [1, 2, 3, 4]
    assert projects[2]["name"] == "乙项目"
    assert projects[2]["tasks"] == ["做一件事。", "再做一件事。"]
    assert projects[2]["goals_text"] == "2024年，甲全覆盖。2025年，乙达到90%。"
    assert projects[2]["partners"] == ["区残联"]
    assert [(t["project"], t["due"]) for t in draft.data["targets"] if t["project"] == 2] == [
        (2, "2024-12-31"),
        (2, "2025-12-31"),
    ]
    # and the merged lead belongs to every project it spans
    assert [projects[n]["lead"] for n in (1, 2, 3, 4)] == [
        ["区妇联"],
        ["区教体局"],
        ["区教体局"],
        ["区教体局"],
    ]


TWO_ROW_HEADER = [
    ["序号", "项目名称", "主要任务", "工作目标", "责任单位", ""],
    ["", "", "", "", "牵头单位", "配合单位"],
]
TWO_ROW_MERGES = {
    "merge_across": [(0, 4, 5)],
    "merge_down": [(0, 1, column) for column in range(4)],
}


def test_a_two_row_header_with_merged_cells(matcher, tmp_path):
    # given 责任单位 merged over 牵头单位 and 配合单位, the other headers merged down two rows,
    # and the same header repeated on the next page
    first = Table([*TWO_ROW_HEADER, project(1, "甲项目", "区妇联", "区残联")], **TWO_ROW_MERGES)
    second = Table([*TWO_ROW_HEADER, project(2, "乙项目", "区教育局")], **TWO_ROW_MERGES)
    path = build(tmp_path / "plan.docx", *BODY, first, PAGE_BREAK, second)
    # when it is read
    projects = by_number(draft_of(path, matcher))
    # then the lower header row names the department columns
    assert sorted(projects) == [1, 2]
    assert (projects[1]["lead"], projects[1]["partners"]) == (["区妇联"], ["区残联"])
    assert (projects[2]["lead"], projects[2]["partners"]) == (["区教体局"], [])


# ---------------------------------------------------------------- category rows


def category_table():
    return Table(
        [
            HEADER,
            "一、立德树人行动",
            project(1, "甲项目"),
            project(2, "乙项目"),
            "二、办学条件改善行动",
            "（一）校舍建设",
            project(3, "丙项目"),
            "（二）保障措施",
            project(4, "丁项目"),
        ]
    )


def test_category_rows_become_the_sections_of_an_appendix_only_file(matcher, tmp_path):
    # given category rows merged across the table between the projects
    path = build(tmp_path / "appendix.docx", APPENDIX_TITLE, category_table())
    # when it is read
    draft = draft_of(path, matcher)
    # then they are not projects but the sections the projects belong to
    assert [(p["number"], p["section"]) for p in draft.data["projects"]] == [
        (1, 1),
        (2, 1),
        (3, 2),
        (4, 3),
    ]
    sections = [(s["number"], s["title"], s["kind"]) for s in draft.data["sections"]]
    assert sections == [
        (1, "立德树人行动", "action"),
        (2, "校舍建设", "action"),
        (3, "保障措施", "guarantee"),
    ]


def test_category_rows_are_skipped_when_the_main_text_has_sections(matcher, tmp_path):
    path = build(tmp_path / "plan.docx", *BODY, category_table())
    draft = draft_of(path, matcher)
    assert sorted(by_number(draft)) == [1, 2, 3, 4]
    assert [s["title"] for s in draft.data["sections"]] == ["实施测试行动"]


def test_a_category_row_written_in_the_number_column_only(matcher, tmp_path):
    path = build(
        tmp_path / "appendix.docx",
        Table([HEADER, ["一、", "立德树人", "", "", "", ""], project(1, "甲项目")]),
    )
    draft = draft_of(path, matcher)
    assert [s["title"] for s in draft.data["sections"]] == ["立德树人"]
    assert by_number(draft)[1]["section"] == 1


# ---------------------------------------------------------------- plain-text export


def text_table(rows):
    """The plain-text export: each cell on a line starting with a tab, a blank line per row."""
    return "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)


def test_a_text_export_with_shuffled_synonyms_category_rows_and_a_repeated_header(
    matcher, tmp_path
):
    # given a text export of an appendix-only file: 编号 not first, a category row,
    # the header repeated where the second page begins and a row running on to it
    header = ["项目名称", "编号", "具体措施", "具体目标", "责任单位", "协同单位"]
    rows = [
        header,
        ["一、立德树人行动"],
        ["甲项目", "1", "做一件事。", "2025年，全覆盖。", "区教育局", "区妇联"],
        ["乙项目", "2", "任务。", "2026年，达到80%。", "区妇联", ""],
        header,
        ["", "", "再做一件事。", "", "", "区残联"],
        ["二、保障措施"],
        ["丙项目", "3", "任务。", "每年遴选一批。", "区教育局", ""],
    ]
    source = tmp_path / "appendix.txt"
    source.write_text(f"附件\n{APPENDIX_TITLE}\n" + text_table(rows), encoding="utf-8")
    # when it is read
    draft = draft_of(source, matcher)
    projects = by_number(draft)
    # then
    assert sorted(projects) == [1, 2, 3]
    assert projects[1]["lead"] == ["区教体局"]
    assert projects[1]["partners"] == ["区妇联"]
    assert projects[2]["tasks"] == ["任务。", "再做一件事。"]
    assert projects[2]["partners"] == ["区残联"]
    assert [(p["number"], p["section"]) for p in draft.data["projects"]] == [(1, 1), (2, 1), (3, 2)]
    assert [s["title"] for s in draft.data["sections"]] == ["立德树人行动", "保障措施"]


def test_a_text_export_with_an_ambiguous_header_is_refused(matcher, tmp_path):
    header = ["序号", "项目名称", "主要任务", "工作目标", "单位"]
    source = tmp_path / "plan.txt"
    source.write_text(
        text_table([header, ["1", "甲", "任务。", "2025年。", "区教体局"]]), encoding="utf-8"
    )
    with pytest.raises(PlanDocError) as excinfo:
        draft_of(source, matcher)
    assert "第 5 列“单位”" in str(excinfo.value)


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize("written", ["1.", "1、"])
def test_project_numbers_written_with_a_trailing_mark(matcher, tmp_path, written):
    row = project(1, "甲项目")
    row[0] = written
    path = build(tmp_path / "plan.docx", *BODY, Table([HEADER, row]))
    assert sorted(by_number(draft_of(path, matcher))) == [1]


def test_an_empty_required_cell_is_named_in_chinese(matcher, tmp_path):
    row = project(1, "甲项目")
    row[3] = ""
    path = build(tmp_path / "plan.docx", *BODY, Table([HEADER, row]))
    with pytest.raises(PlanDocError) as excinfo:
        draft_of(path, matcher)
    assert str(excinfo.value) == "重点项目清单第 2 行（序号 1）：缺少工作目标。"
