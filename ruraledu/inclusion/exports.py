"""Excel export of the 残联 list reconciled with placements, through the shared writer,
watermarked like the care app's exports: names masked where the user may not see them,
disability details (类别和等级, a deferral's reason) only with personal-data rights."""

from ruraledu.core.templatetags.privacy import person_name
from ruraledu.spreadsheets.base import Column

COLUMNS = (
    Column("name", "姓名", width=10),
    Column("id", "身份证号（脱敏）", width=22),
    Column("town", "镇街", width=14),
    Column("village", "村居", width=14),
    Column("state", "安置情况", width=14),
    Column("source", "依据", width=10),
    Column("school", "学校", width=28),
    Column("note", "说明", width=30),
    Column("detail", "残疾类别和等级", width=20),
    Column("reason", "暂缓或不适宜入学理由", width=30),
)


def child_rows(rows):
    for row in rows:
        decision = row.decision
        yield {
            "name": person_name(row.entry.name, row.clear),
            "id": row.entry.masked_id,
            "town": row.entry.town.name,
            "village": row.entry.village.name,
            "state": row.state_label,
            "source": row.source,
            "school": row.school_name,
            "note": row.note,
            "detail": row.entry.detail if row.details else "",
            "reason": decision.reason if row.details and decision else "",
        }
