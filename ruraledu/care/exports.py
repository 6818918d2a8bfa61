"""Excel exports of the lists with names (the case list, a cross-check working list): names in
clear only where the user may see them, watermarked with who exported it and when."""

from django.utils import timezone

from ruraledu.core.templatetags.privacy import person_name
from ruraledu.spreadsheets.base import Column

from .choices import CaseCategory, CaseEscalation, CaseStatus, ClearReason, CloseReason

CASE_COLUMNS = (
    Column("pk", "个案编号", "int", width=10),
    Column("name", "姓名", width=10),
    Column("unit", "学校（所在单位）", width=28),
    Column("town", "镇街", width=14),
    Column("grade", "年级", "int", width=6),
    Column("category", "类别", "choice", choices=tuple(CaseCategory.choices)),
    Column("status", "状态", "choice", choices=tuple(CaseStatus.choices), width=26),
    Column("escalation", "督办层级", width=16),
    Column("opened_on", "发现日期", "date", width=12),
    Column("deadline", "下一步时限", "date", width=12),
    Column("last_contact_on", "最近联系", "date", width=12),
    Column("teacher_name", "班主任", width=10),
    Column("village_cadre", "包村干部", width=20),
    Column("closed_on", "结案日期", "date", width=12),
    Column("close_reason", "结案原因", "choice", choices=tuple(CloseReason.choices), width=24),
)

FINDING_COLUMNS = (
    Column("pk", "编号", "int", width=10),
    Column("name", "姓名", width=10),
    Column("id", "身份证号（脱敏）", width=22),
    Column("birth_date", "出生日期", "date", width=12),
    Column("unit", "学校（所在单位）", width=28),
    Column("town", "镇街", width=14),
    Column("lists", "所在名单", width=36),
    Column("note", "情况", width=30),
    Column("case", "个案编号", "int", width=10),
    Column("clear_reason", "核销原因", "choice", choices=tuple(ClearReason.choices)),
)


def watermark(user) -> str:
    """Who exported the file and when: printed on every page and kept in its properties."""
    who = f"{user.full_name}（{user.username}）" if user.full_name else user.username
    at = timezone.localtime()
    return (
        f"导出人：{who}，导出时间：{at:%Y-%m-%d %H:%M}，含未成年人个人信息，仅限工作使用，不得外传"
    )


def case_rows(cases):
    for case in cases:
        yield {
            "pk": case.pk,
            "name": person_name(case.person.name, case.clear),
            "unit": case.unit.name,
            "town": case.town.name,
            "grade": case.grade,
            "category": case.category,
            "status": case.status,
            "escalation": CaseEscalation(case.escalation).label,
            "opened_on": case.opened_on,
            "deadline": case.deadline if case.is_open else None,
            "last_contact_on": case.last_contact_on,
            "teacher_name": case.teacher_name,
            "village_cadre": case.village_cadre,
            "closed_on": case.closed_on,
            "close_reason": case.close_reason,
        }


def _lists(finding) -> str:
    labels = finding.list_labels()
    if finding.clear:
        return "、".join(labels)
    return f"在 {len(labels)} 个名单中（类别不予显示）" if labels else ""


def finding_rows(findings):
    for finding in findings:
        yield {
            "pk": finding.pk,
            "name": person_name(finding.name, finding.clear),
            "id": finding.masked_id,
            # the date is the masked middle of the ID number: shown only with the name
            "birth_date": finding.birth_date if finding.clear else None,
            "unit": finding.unit.name,
            "town": finding.town.name,
            # the lists and the roster's unset flags are categories: with the name only
            "lists": _lists(finding),
            "note": finding.note if finding.clear else finding.masked_note,
            "case": finding.case_id,
            "clear_reason": finding.clear_reason,
        }
