"""缺编/超编 by subject as an Excel workbook: one row per school and subject, and town sums."""

import io

import xlsxwriter


def subjects_workbook(year: int, lines: list[dict], towns: list[dict]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = [
        "镇街",
        "学校",
        "学科",
        "周课时",
        "按课时折算教师",
        "需要教师",
        "现有教师",
        "缺编",
        "超编",
    ]
    sheet = book.add_worksheet(f"{year}学年各校")
    sheet.write_row(0, 0, head, bold)
    row = 1
    for line in lines:
        for s in line["subjects"]:
            sheet.write_row(
                row,
                0,
                [
                    line["town"],
                    str(line["school"]),
                    s["label"],
                    s["lessons"],
                    s["demand"],
                    s["needed"],
                    s["held"],
                    s["short"],
                    s["over"],
                ],
            )
            row += 1
    sheet.set_column(0, 1, 24)
    total = book.add_worksheet("各镇街合计")
    total.write_row(0, 0, ["镇街", "学科", "需要教师", "现有教师", "缺编", "超编"], bold)
    row = 1
    for town in towns:
        for s in town["subjects"]:
            total.write_row(
                row, 0, [town["name"], s["label"], s["needed"], s["held"], s["short"], s["over"]]
            )
            row += 1
    book.close()
    return buffer.getvalue()
