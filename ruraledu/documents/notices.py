"""Notices from the same engine: the supervision 整改通知书 and the care 限期返校通知书. Each is a
rendering of a numbered record its own app keeps, so it is made when downloaded and not stored
(the 限期返校通知书 names a child: only those who may print it get it, and every download is
logged as the print is). Context builders and bodies."""

from django.utils import timezone

from .gongwen import add_table


def rectification_context(*, notice, now=None) -> dict:
    return {
        "title": "督导整改通知书",
        "notice": notice,
        "items": list(notice.items.order_by("pk")),
        "generated_at": timezone.localtime(now or timezone.now()),
    }


def rectification_body(document, context: dict) -> None:
    notice = context["notice"]
    document.add_paragraph(
        f"{notice.visit.visited_on.year}年{notice.visit.visited_on.month}月"
        f"{notice.visit.visited_on.day}日，责任督学对你校进行了{notice.visit.kind.name}，"
        "发现以下问题，请按期整改并反馈整改情况："
    )
    add_table(
        document,
        ["序号", "领域", "整改事项", "依据", "期限", "责任人"],
        [
            [
                str(number),
                item.area,
                item.description,
                item.rule or "—",
                f"{item.deadline:%Y-%m-%d}",
                item.responsible,
            ]
            for number, item in enumerate(context["items"], start=1)
        ],
        widths_mm=[12, 20, 56, 30, 22, 16],
    )


def return_context(*, notice, now=None) -> dict:
    case = notice.case
    return {
        "title": "限期返校通知书",
        "notice": notice,
        "case": case,
        "school": case.school.org_unit.name if case.school_id else "",
        "generated_at": timezone.localtime(now or timezone.now()),
    }


def return_body(document, context: dict) -> None:
    notice, case, school = context["notice"], context["case"], context["school"]
    name = case.person.name
    where = f"系{school}{f'{case.grade}年级' if case.grade else ''}学生，" if school else ""
    due = notice.return_by
    document.add_paragraph(
        f"经核查，您的子女（被监护人）{name}{where}目前未按规定入学或已中途辍学。"
        "经学校、村（居）多次劝返，至今仍未返校。"
    )
    document.add_paragraph(
        "根据《中华人民共和国义务教育法》第五条、第十一条和第五十八条的规定，适龄儿童、少年的父母或者"
        "其他法定监护人应当依法保证其按时入学接受并完成义务教育。"
        f"现通知您于{due.year}年{due.month}月{due.day}日前送{name}返校就读"
        + ("（该日期按现有节假日安排推算）" if notice.return_by_provisional else "")
        + "。"
    )
    document.add_paragraph("逾期不送子女返校的，将依法提请有关部门处理。")


def return_stub(document, context: dict) -> None:
    """The receipt the guardian signs, after the 落款."""
    notice = context["notice"]
    document.add_paragraph("")
    document.add_paragraph(
        f"送达回执　通知书编号：{notice.label}",
        style="NoIndent",
    )
    document.add_paragraph(
        "监护人签收：＿＿＿＿＿＿　签收日期：＿＿＿＿年＿＿月＿＿日　送达人：＿＿＿＿＿＿",
        style="NoIndent",
    )
