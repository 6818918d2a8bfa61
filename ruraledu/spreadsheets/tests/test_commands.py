import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ruraledu.orgunits.models import Department

from .importer import SPEC
from .xlsx import from_template, row


def test_xlsx_template_writes_the_template(tmp_path, capsys):
    out = tmp_path / "模板" / "部门名录.xlsx"
    call_command("xlsx_template", SPEC.kind, str(out))
    assert load_workbook(out)[SPEC.title]["B1"].value == "部门简称*"
    assert f"已写出“部门名录”导入模板：{out}" in capsys.readouterr().out


def test_xlsx_template_names_the_known_kinds_for_an_unknown_one(tmp_path):
    with pytest.raises(
        CommandError, match="未知的数据类型“nothing”，可选：.*test_departments（部门名录）"
    ):
        call_command("xlsx_template", "nothing", str(tmp_path / "x.xlsx"))


def test_import_xlsx_imports_and_reports_counts(tmp_path, capsys, district_admin):
    path = tmp_path / "部门名录.xlsx"
    path.write_bytes(from_template([row(), row(code="finance", name="区财政局")]))
    call_command("import_xlsx", SPEC.kind, str(path), "--year", "2025", "--user", "district_admin")
    assert "导入完成：新增 2 条，更新 0 条，未变 0 条。" in capsys.readouterr().out
    call_command("import_xlsx", SPEC.kind, str(path), "--year", "2025", "--user", "district_admin")
    assert "导入完成：新增 0 条，更新 0 条，未变 2 条。" in capsys.readouterr().out
    assert Department.objects.count() == 2


def test_import_xlsx_prints_every_error_and_writes_nothing(tmp_path, capsys, district_admin):
    path = tmp_path / "部门名录.xlsx"
    path.write_bytes(from_template([row(), row(code="b", sort_order="三", active="也许")]))
    with pytest.raises(CommandError, match="导入被拒绝：共 2 处错误，未写入任何数据。"):
        call_command(
            "import_xlsx", SPEC.kind, str(path), "--year", "2025", "--user", "district_admin"
        )
    assert capsys.readouterr().out.splitlines() == [
        "工作表“部门名录”第 4 行“排序”列（值：三）：应填写整数",
        "工作表“部门名录”第 4 行“在用”列（值：也许）：应填写“是”或“否”",
    ]
    assert Department.objects.count() == 0


def test_import_xlsx_refuses_an_unsafe_file(tmp_path, district_admin):
    path = tmp_path / "部门名录.xlsx"
    path.write_bytes(b"code,name\n")
    with pytest.raises(CommandError, match="文件未导入：文件内容不是 Excel 工作簿"):
        call_command(
            "import_xlsx", SPEC.kind, str(path), "--year", "2025", "--user", "district_admin"
        )


def test_import_xlsx_runs_as_a_superuser_by_default_and_refuses_a_read_only_user(
    tmp_path, capsys, district_leader
):
    path = tmp_path / "部门名录.xlsx"
    path.write_bytes(from_template([row()]))
    with pytest.raises(CommandError, match="没有启用的超级用户，请用 --user 指定"):
        call_command("import_xlsx", SPEC.kind, str(path), "--year", "2025")
    with pytest.raises(CommandError, match="文件未导入：您没有导入数据的权限"):
        call_command(
            "import_xlsx", SPEC.kind, str(path), "--year", "2025", "--user", "district_leader"
        )
    district_leader.is_superuser = True
    district_leader.save()
    call_command("import_xlsx", SPEC.kind, str(path), "--year", "2025")
    assert Department.objects.get().code == "health"
