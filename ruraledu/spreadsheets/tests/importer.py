"""A small but honest importer for the tests: upserts Department rows by code.

The sheet has one column of every kind. Department has fields for code, name, full name
and order only; the other columns are parsed and validated like any importer's but not
stored, which is enough to exercise the machinery end to end.
"""

import re

from ruraledu.accounts.scoping import is_district_wide
from ruraledu.orgunits.models import Department
from ruraledu.spreadsheets.base import CellError, Column, Importer, ImportResult, Row, SheetSpec

SPEC = SheetSpec(
    kind="test_departments",
    title="部门名录",
    columns=(
        Column("code", "部门代码", required=True, note="小写字母、数字或连字符"),
        Column("name", "部门简称", required=True),
        Column("full_name", "部门全称", width=30),
        Column("sort_order", "排序", kind="int", min_value=0, max_value=999),
        Column(
            "category",
            "类别",
            kind="choice",
            choices=(("gov", "政府部门"), ("edu", "教育系统"), ("mass", "群团组织")),
        ),
        Column("active", "在用", kind="bool"),
        Column("founded", "成立日期", kind="date"),
        Column("budget", "年度经费（万元）", kind="decimal", min_value=0),
        Column("head_id", "负责人身份证号", kind="id_number"),
    ),
)
HEADERS = [c.header for c in SPEC.columns]
_CODE = re.compile(r"[a-z0-9-]+")
STORED = ("name", "full_name", "sort_order")


class DepartmentImporter(Importer):
    spec = SPEC

    def validate(self, rows: list[Row], *, year: int, user) -> list[CellError]:
        errors = []
        sheet = self.spec.title
        if not is_district_wide(user):
            return [
                CellError(sheet, r.number, "", "", "只有区级管理员可以导入部门名录") for r in rows
            ]
        first_row: dict[str, int] = {}
        names_in_use = dict(Department.objects.values_list("name", "code"))
        for row in rows:
            code, name = row.values["code"], row.values["name"]
            if not _CODE.fullmatch(code):
                errors.append(
                    CellError(sheet, row.number, "部门代码", code, "只能包含小写字母、数字和连字符")
                )
            if code in first_row:
                errors.append(
                    CellError(sheet, row.number, "部门代码", code, f"与第 {first_row[code]} 行重复")
                )
            first_row.setdefault(code, row.number)
            if names_in_use.get(name, code) != code:
                errors.append(
                    CellError(
                        sheet,
                        row.number,
                        "部门简称",
                        name,
                        f"已被代码为“{names_in_use[name]}”的部门使用",
                    )
                )
        return errors

    def write(self, rows: list[Row], *, year: int, user) -> ImportResult:
        result = ImportResult()
        existing = {
            d.code: d for d in Department.objects.filter(code__in=[r.values["code"] for r in rows])
        }
        for row in rows:
            wanted = {
                "name": row.values["name"],
                "full_name": row.values["full_name"] or "",
                "sort_order": row.values["sort_order"] or 0,
            }
            department = existing.get(row.values["code"])
            if department is None:
                department = Department(code=row.values["code"], **wanted)
                department.full_clean()
                department.save()
                result.created += 1
            elif any(getattr(department, k) != v for k, v in wanted.items()):
                for key, value in wanted.items():
                    setattr(department, key, value)
                department.full_clean()
                department.save()
                result.updated += 1
            else:
                result.unchanged += 1
        return result

    def export_rows(self, *, year: int, user):
        for department in Department.objects.order_by("sort_order", "code"):
            yield {
                "code": department.code,
                "name": department.name,
                "full_name": department.full_name,
                "sort_order": department.sort_order,
            }
