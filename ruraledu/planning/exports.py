"""A scenario as an Excel workbook the bureau can hand to the 财政局."""

import io

import xlsxwriter

from ruraledu.indicators.definitions.quality import RESOURCES

from .inputs import COSTS
from .presenting import coefficient_label, moves_text, needs_text, verdict_text
from .solver import ADDITIONS


def scenario_workbook(scenario) -> bytes:
    result = scenario.result or {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    summary = book.add_worksheet("概要")
    lines = [
        ("方案名称", scenario.name),
        ("学年", scenario.year),
        ("结论", result.get("message", "")),
        ("方案费用（元）", result.get("cost")),
        ("逐校单独补齐费用（元）", result.get("naive_cost")),
        ("节省（元）", result.get("saving")),
        ("求解间隙", result.get("gap")),
        ("预算（元）", scenario.inputs.get("budget")),
    ]
    lines += [(f"单位费用：{label}", scenario.inputs["costs"][k]) for k, label in COSTS.items()]
    for row, (label, value) in enumerate(lines):
        summary.write(row, 0, label, bold)
        summary.write(row, 1, value)
    summary.set_column(0, 0, 36)
    summary.set_column(1, 1, 60)
    sheet = book.add_worksheet("逐校方案")
    header = ["学校代码", "学校", "在校生"]
    header += [f"新增{ADDITIONS[k][0]}（{ADDITIONS[k][1]}）" for k in ADDITIONS]
    header += ["费用（元）", "方案前结论", "方案后结论", "还需", "教师调动"]
    header += [f"{RESOURCES[k][0]}（前）" for k in RESOURCES]
    header += [f"{RESOURCES[k][0]}（后）" for k in RESOURCES]
    sheet.write_row(0, 0, header, bold)
    for row, school in enumerate(result.get("schools", []), start=1):
        values = [school["code"], school["name"], school["students"]]
        values += [school["adds"].get(k, 0) for k in ADDITIONS]
        values += [
            school["cost"],
            verdict_text(school["before"]),
            verdict_text(school["after"]),
            needs_text(school["adds"]),
            moves_text(school),
        ]
        values += [round(school["before"]["values"][k], 4) for k in RESOURCES]
        values += [round(school["after"]["values"][k], 4) for k in RESOURCES]
        sheet.write_row(row, 0, values)
    yearly = book.add_worksheet("分年方案")
    yearly.write_row(0, 0, ["学年", "学校代码", "学校", "新增"], bold)
    row = 1
    for school in result.get("schools", []):
        for plan_year in school.get("by_year", []):
            yearly.write_row(
                row,
                0,
                [plan_year["year"], school["code"], school["name"], needs_text(plan_year["adds"])],
            )
            row += 1
    for plan_year in result.get("year_costs", []):
        yearly.write_row(row, 0, [plan_year["year"], "", "当年费用（元）", plan_year["cost"]])
        row += 1
    cv = book.add_worksheet("差异系数")
    cv.write_row(0, 0, ["指标", "方案前", "方案后", "限值", "方案后结论"], bold)
    before = {(c["key"], c["part"]): c["cv"] for c in result.get("coefficients_before", [])}
    for row, c in enumerate(result.get("coefficients", []), start=1):
        cv.write_row(
            row,
            0,
            [
                coefficient_label(c),
                before.get((c["key"], c["part"])),
                c["cv"],
                c["limit"],
                "在限值内" if c["ok"] else "超过限值",
            ],
        )
    book.close()
    return buffer.getvalue()


def travel_workbook(scenario) -> bytes:
    """A 走教 scenario: the assignment per teacher and what stays uncovered."""
    from .travel_data import SCARCE

    labels = {str(k): v for k, v in SCARCE.items()}
    result = scenario.result or {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    summary = book.add_worksheet("概要")
    lines = [
        ("方案名称", scenario.name),
        ("学年", scenario.year),
        ("片区", scenario.area_name),
        ("结论", result.get("message", "")),
        ("需走教课时（节/周）", result.get("need")),
        ("已安排课时（节/周）", result.get("covered")),
        ("总行程（公里/周）", result.get("km")),
        ("每名教师每周行程上限（公里）", scenario.inputs.get("km_cap")),
    ]
    for row, (label, value) in enumerate(lines):
        summary.write(row, 0, label, bold)
        summary.write(row, 1, value)
    summary.set_column(0, 1, 30)
    sheet = book.add_worksheet("走教安排")
    sheet.write_row(
        0,
        0,
        [
            "教师",
            "学科",
            "任职学校",
            "走教学校",
            "课时（节/周）",
            "到校次数",
            "行程（公里/周）",
            "锁定",
        ],
        bold,
    )
    for row, a in enumerate(result.get("assignments", []), start=1):
        sheet.write_row(
            row,
            0,
            [
                a["teacher_name"],
                labels.get(a["subject"], a["subject"]),
                a["home_name"],
                a["school_name"],
                a["lessons"],
                a["visits"],
                a["km"],
                "是" if a["locked"] else "",
            ],
        )
    left = book.add_worksheet("未覆盖")
    left.write_row(0, 0, ["学校", "学科", "需要课时（节/周）", "未覆盖课时（节/周）"], bold)
    for row, u in enumerate(result.get("uncovered", []), start=1):
        left.write_row(
            row,
            0,
            [u["school_name"], labels.get(u["subject"], u["subject"]), u["need"], u["lessons"]],
        )
    book.close()
    return buffer.getvalue()
