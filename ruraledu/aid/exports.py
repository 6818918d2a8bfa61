"""The gap list as an Excel file: names in clear, so only for roles holding personal-data
rights, only their schools' rows, every export logged and each sheet watermarked with the
user and the time."""

import tempfile

import xlsxwriter
from django.utils import timezone

from ruraledu.spreadsheets.export import neutralize

from .choices import GapKind
from .selectors import GapRow

HEADERS = {
    GapKind.UNAIDED: ("姓名", "证件号", "学校", "镇街", "年级", "资助对象类别"),
    GapKind.NOT_ELIGIBLE: ("姓名", "证件号", "学校", "镇街", "年级", "资助项目", "金额（元）"),
    GapKind.DUPLICATE: ("姓名", "证件号", "学校", "镇街", "年级", "资助项目", "金额（元）"),
}


def _cells(kind: str, row: GapRow) -> list:
    cells = [row.name, row.masked_id, row.school, row.town, row.grade or ""]
    if kind == GapKind.UNAIDED:
        return [*cells, "、".join(row.categories)]
    return [*cells, row.kind, float(row.amount)]


def gap_workbook(lists: dict[str, list[GapRow]], *, user, title: str):
    """A spooled .xlsx file of the three lists, one sheet each; every sheet starts with the
    watermark line (who exported it, when)."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    who = getattr(user, "full_name", "") or user.get_username()
    mark = f"{title}　由 {who}（{user.get_username()}）于 {stamp} 导出，仅限资助工作使用，不得外传"
    stream = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book = xlsxwriter.Workbook(
        stream,
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    grey = book.add_format({"font_color": "#C00000", "italic": True})
    for kind, rows in lists.items():
        sheet = book.add_worksheet(GapKind(kind).label)
        sheet.write_string(0, 0, mark, grey)
        sheet.set_header(f"&C{mark}")
        for col, header in enumerate(HEADERS[kind]):
            sheet.write_string(1, col, header, bold)
            sheet.set_column(col, col, 16)
        for number, row in enumerate(rows, start=2):
            for col, value in enumerate(_cells(kind, row)):
                if isinstance(value, int | float):
                    sheet.write_number(number, col, value)
                else:
                    sheet.write_string(number, col, neutralize(str(value)))
    book.close()
    stream.seek(0)
    return stream
