import textwrap
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ruraledu.orgunits.models import Department
from ruraledu.plans.choices import TargetKind
from ruraledu.plans.loader import PlanFileError, load_plan
from ruraledu.plans.models import Plan, Project, Responsibility, Section, Target, Task

from .conftest import PLAN_FILE

MODELS = (Plan, Section, Project, Task, Responsibility, Target, Department)


def snapshot():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS}


def test_zichuan_file_loads_the_whole_plan(zichuan_plan):
    assert Plan.objects.count() == 1
    assert zichuan_plan.document_number == "川政办字〔2023〕28号"
    assert Section.objects.count() == 13
    assert Section.objects.filter(kind="guarantee").count() == 3
    assert Project.objects.count() == 41
    assert sorted(Project.objects.values_list("number", flat=True)) == list(range(1, 42))
    # every target of PLAN_TARGETS.md (74 measurements), each measured one bound to an indicator
    assert Target.objects.count() == 74
    measured = Target.objects.filter(kind=TargetKind.MEASURED)
    assert measured.count() == 68
    assert not measured.filter(indicator_code="").exists()
    assert set(
        Target.objects.filter(kind=TargetKind.MILESTONE).values_list("project__number", flat=True)
    ) == {4, 25, 27, 29, 40, 41}


def test_every_project_has_a_lead_and_a_target(zichuan_plan):
    for project in Project.objects.all():
        assert project.responsibilities.filter(role="lead").exists(), project
        assert project.targets.exists(), project


def test_key_targets_carry_their_thresholds(zichuan_plan):
    ratio = Target.objects.get(indicator_code="urban_rural_teacher_bachelor_ratio")
    assert (ratio.comparator, ratio.threshold, ratio.due_date.year) == (
        "lte",
        Decimal("1.05"),
        2027,
    )
    interns = Target.objects.get(code="P23-1")
    assert (interns.comparator, interns.threshold, interns.threshold_max) == ("between", 27, 33)
    assert interns.threshold_label == "27–33人"
    principals = Target.objects.get(code="P20-1")
    assert (principals.comparator, principals.threshold, principals.unit) == ("gte", 50, "%")


def test_project_departments_are_split_into_lead_and_partners(zichuan_plan):
    def names(number, role):
        rows = Responsibility.objects.filter(project__number=number, role=role)
        return [r.department.name for r in rows.order_by("sort_order")]

    assert names(1, "lead") == ["区教体局", "区妇联"]
    assert names(1, "partner") == ["区委宣传部"]
    assert names(29, "lead") == ["区发展改革局", "区教体局"]
    assert names(39, "partner") == ["区民政局", "区卫生健康局", "区残联"]


def test_loading_twice_changes_no_row(zichuan_plan):
    # given the plan already loaded
    before = snapshot()
    # when the same file is loaded again
    stats = load_plan(PLAN_FILE)
    # then nothing was created, updated or deleted
    assert stats.changed == 0
    assert snapshot() == before


def test_load_plan_command_reports_no_change_on_second_run(zichuan_plan, capsys):
    call_command("load_plan", str(PLAN_FILE))
    assert "无变化" in capsys.readouterr().out


def write(tmp_path, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = """
plan:
  code: test-plan
  title: 测试方案
  start_year: 2023
  end_year: 2027
departments:
  - {code: education, name: 区教体局, aliases: [区教育局]}
sections:
  - number: 1
    kind: action
    title: 行动一
    text: 正文
    lead: [区教体局]
projects:
  - number: 1
    section: 1
    name: 项目一
    tasks_text: 任务
    goals_text: 目标
    lead: [区教育局]
targets:
  - code: T1
    project: 1
    text: 目标一
    kind: measured
    due: 2025-12-31
    indicator: rural_sanitary_toilet_rate
    comparator: gte
    threshold: 100
"""


def test_a_minimal_file_loads_and_resolves_aliases(db, tmp_path):
    load_plan(write(tmp_path, MINIMAL))
    assert Responsibility.objects.get(project__number=1).department.name == "区教体局"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    kind: measured\n", "    kind: measure\n", "第 25 行，字段 targets.0.kind：取值无效"),
        (
            "    threshold: 100\n",
            "",
            "第 22 行，字段 targets.0：计量指标（measured）必须填写 threshold",
        ),
        (
            "    lead: [区教育局]\n",
            "    lead: [区气象局]\n",
            "第 20 行，字段 projects.0.lead：未知部门“区气象局”",
        ),
        (
            "    section: 1\n",
            "    section: 9\n",
            "第 16 行，字段 projects.0.section：不存在的条目序号 9",
        ),
        (
            "    indicator: rural_sanitary_toilet_rate\n",
            "    indicator: rural_sanitary_toliet_rate\n",
            "第 27 行，字段 targets.0.indicator：平台没有指标“rural_sanitary_toliet_rate”",
        ),
        (
            "  start_year: 2023\n",
            "  start_year: 二〇二三\n",
            "第 4 行，字段 plan.start_year：必须是整数",
        ),
        (
            "    due: 2025-12-31\n",
            "    due: 2025-13-31\n",
            "第 26 行，字段 targets.0.due：必须是 YYYY-MM-DD 格式的日期",
        ),
    ],
)
def test_errors_name_the_line_and_the_field(db, tmp_path, old, new, expected):
    assert old in MINIMAL
    with pytest.raises(PlanFileError) as excinfo:
        load_plan(write(tmp_path, MINIMAL.replace(old, new)))
    assert any(expected in problem for problem in excinfo.value.problems), excinfo.value.problems


def test_yaml_syntax_error_names_the_line(db, tmp_path):
    with pytest.raises(PlanFileError) as excinfo:
        load_plan(write(tmp_path, MINIMAL.replace("    text: 正文\n", "    text: [正文\n")))
    assert "YAML 格式错误" in str(excinfo.value)
    assert "第 " in str(excinfo.value)


def test_a_bad_file_leaves_the_database_unchanged(zichuan_plan, tmp_path):
    # given a loaded plan and a file that breaks one target
    before = snapshot()
    text = PLAN_FILE.read_text(encoding="utf-8").replace("threshold: 1.05", "threshold: 一点零五")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    # when it is loaded
    with pytest.raises(CommandError) as excinfo:
        call_command("load_plan", str(path))
    # then the error names the field and nothing changed
    assert "threshold" in str(excinfo.value)
    assert "未写入任何数据" in str(excinfo.value)
    assert snapshot() == before


def test_a_changed_threshold_updates_one_row(zichuan_plan, tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8").replace("threshold: 1.05", "threshold: 1.04")
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    stats = load_plan(path)
    assert stats.updated == {"目标": 1}
    assert Target.objects.get(
        indicator_code="urban_rural_teacher_bachelor_ratio"
    ).threshold == Decimal("1.04")
