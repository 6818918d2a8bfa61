import docx
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ruraledu.orgunits.departments import DepartmentMatcher
from ruraledu.orgunits.models import Department
from ruraledu.plans.docimport import (
    PlanDocError,
    build_draft,
    draft_targets,
    read_document,
    split_departments,
)
from ruraledu.plans.loader import load_plan
from ruraledu.plans.models import Project, Responsibility

from .conftest import SEED_TEXT


@pytest.fixture
def matcher(zichuan_plan):
    return DepartmentMatcher.from_database()


def by_number(draft):
    return {p["number"]: p for p in draft.data["projects"]}


def test_seed_text_yields_41_projects_with_departments_split(matcher):
    draft = build_draft(read_document(SEED_TEXT), matcher, "zichuan-draft")
    projects = by_number(draft)
    assert sorted(projects) == list(range(1, 42))
    assert draft.unknown_departments == []
    assert (projects[1]["lead"], projects[1]["partners"]) == (
        ["区教体局", "区妇联"],
        ["区委宣传部"],
    )
    # "区委宣传部\n（区文明办）": the alias on the next line is one department
    assert projects[2]["lead"] == ["区教体局", "区委宣传部"]
    # "区教育局" is a variant of 区教体局
    assert projects[7]["lead"] == ["区教体局"]
    assert projects[7]["partners"] == [
        "区发展改革局",
        "区自然资源局",
        "淄博市自然资源和规划局淄川规划管理办公室",
    ]
    assert projects[29]["lead"] == ["区发展改革局", "区教体局"]
    assert projects[39]["partners"] == ["区民政局", "区卫生健康局", "区残联"]
    # names wrapped over two lines in the export are joined
    assert projects[16]["name"] == "乡村中小学教室亮化工程"


def test_seed_text_yields_13_sections_and_the_header(matcher):
    data = build_draft(read_document(SEED_TEXT), matcher, "zichuan-draft").data
    assert [s["number"] for s in data["sections"]] == list(range(1, 14))
    assert [s["kind"] for s in data["sections"]].count("guarantee") == 3
    first = data["sections"][0]
    assert first["title"] == "实施乡村全环境立德树人行动"
    assert first["lead"] == ["区教体局"]
    assert "区妇联" in first["partners"]
    assert data["plan"]["document_number"] == "川政办字〔2023〕28号"
    assert data["plan"]["issued_on"] == "2023-09-15"
    assert data["plan"]["end_year"] == 2027


def test_seed_text_yields_dated_goals_as_draft_targets(matcher):
    targets = build_draft(read_document(SEED_TEXT), matcher, "zichuan-draft").data["targets"]
    by_project = {}
    for t in targets:
        by_project.setdefault(t["project"], []).append(t)
    assert [t["due"] for t in by_project[1]] == ["2023-12-31", "2025-12-31"]
    assert by_project[1][1]["threshold"] == "95"  # 基本实现全覆盖
    assert [(t["threshold"], t["unit"]) for t in by_project[17]] == [("55", "%"), ("87", "%")]
    assert by_project[26][0]["comparator"] == "lte" and by_project[26][0]["threshold"] == "1.05"
    assert by_project[23][0]["recurrence"] == "yearly"
    assert all(t["kind"] == "milestone" for t in targets)


def test_draft_targets_handles_year_carried_over_and_plain_text():
    targets = draft_targets(5, "2024年，A实现全覆盖。B达到90%以上。没有日期的句子", 2027)
    assert [(t["due"], t["threshold"]) for t in targets] == [
        ("2024-12-31", "100"),
        ("2024-12-31", "90"),
    ]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("区教体局\n区妇联", ["区教体局", "区妇联"]),
        ("区委宣传部\n（区文明办）", ["区委宣传部（区文明办）"]),
        ("区民政局、区卫健局，区残联。", ["区民政局", "区卫健局", "区残联"]),
        ("", []),
    ],
)
def test_split_departments(cell, names):
    assert split_departments(cell) == names


def make_docx(path, header, rows, body=None):
    document = docx.Document()
    for paragraph in body or [
        "测试区人民政府办公室",
        "关于印发《测试区乡村教育振兴方案》的通知",
        "一、工作目标",
        "到2027年，城乡一体。",
        "二、工作任务",
        "（一）实施测试行动。正文内容。（区教育局牵头，区卫健局配合）",
    ]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for i, value in enumerate(header):
        table.rows[0].cells[i].text = value
    for r, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            table.rows[r].cells[i].text = value
    document.save(path)
    return path


def test_a_word_table_with_other_column_order_and_header_variants(matcher, tmp_path):
    # given a .docx whose table puts departments first and names columns differently
    path = make_docx(
        tmp_path / "plan.docx",
        ["牵头单位", "配合单位", "编号", "重点项目", "重点任务", "目标任务"],
        [
            [
                "区教育局",
                "区卫健局\n区残联",
                "1",
                "测试项目",
                "做一件事。再做一件事。",
                "2025年，测试全覆盖。",
            ],
            ["区委宣传部\n（区文明办）", "", "2", "第二项目", "任务。", "每年遴选一批。"],
        ],
    )
    # when it is read
    draft = build_draft(read_document(path), matcher, "test-plan")
    projects = by_number(draft)
    # then the columns are found by their meaning
    assert projects[1]["name"] == "测试项目"
    assert projects[1]["lead"] == ["区教体局"]
    assert projects[1]["partners"] == ["区卫生健康局", "区残联"]
    assert projects[1]["tasks"] == ["做一件事。", "再做一件事。"]
    assert projects[2]["lead"] == ["区委宣传部"]
    assert draft.data["sections"][0]["lead"] == ["区教体局"]
    assert [t["due"] for t in draft.data["targets"]] == ["2025-12-31", "2027-12-31"]


def test_unknown_departments_are_reported_and_kept(matcher, tmp_path):
    path = make_docx(
        tmp_path / "plan.docx",
        ["序号", "项目名称", "主要任务", "工作目标", "牵头部门", "参与部门"],
        [["1", "项目", "任务。", "2025年全覆盖。", "区教体局", "区气象局"]],
    )
    draft = build_draft(read_document(path), matcher, "test-plan")
    assert draft.unknown_departments == ["区气象局"]
    assert by_number(draft)[1]["partners"] == ["区气象局"]
    assert "区气象局" in [d["name"] for d in draft.data["departments"]]
    assert any("区气象局" in w for w in draft.warnings)


def test_a_document_without_the_table_is_refused(db, tmp_path):
    path = make_docx(tmp_path / "plan.docx", ["序号", "名单"], [["1", "张三"]])
    with pytest.raises(PlanDocError) as excinfo:
        build_draft(read_document(path), DepartmentMatcher([]), "x")
    assert "未找到重点项目清单表格" in str(excinfo.value)


def test_a_broken_docx_and_a_wrong_type_are_refused(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(PlanDocError) as excinfo:
        read_document(broken)
    assert "不是有效的 Word" in str(excinfo.value)
    with pytest.raises(PlanDocError):
        read_document(tmp_path / "plan.pdf")


def test_command_writes_a_draft_that_load_plan_accepts(db, tmp_path, capsys):
    # given only the departments known (an empty platform would report them as unknown)
    Department.objects.create(code="education", name="区教体局", aliases=["区教育局"])
    output = tmp_path / "draft.yaml"
    # when the seed text is imported
    call_command("import_plan_doc", str(SEED_TEXT), "-o", str(output), "--code", "seed-draft")
    out = capsys.readouterr()
    assert "项目 41 个" in out.out
    assert "未能与部门清单匹配" in out.err
    # then the draft is a valid plan file that loads as is
    data = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert len(data["projects"]) == 41
    load_plan(output)
    assert Project.objects.filter(plan__code="seed-draft").count() == 41
    assert (
        Responsibility.objects.filter(project__plan__code="seed-draft", role="lead").count() == 46
    )  # 41 + joint leads of 1, 2, 4, 29, 34


def test_command_refuses_an_unknown_layout_without_writing(db, tmp_path):
    source = tmp_path / "note.txt"
    source.write_text("一份没有表格的文件。\n", encoding="utf-8")
    output = tmp_path / "draft.yaml"
    with pytest.raises(CommandError) as excinfo:
        call_command("import_plan_doc", str(source), "-o", str(output))
    assert "未找到重点项目清单表格" in str(excinfo.value)
    assert not output.exists()
