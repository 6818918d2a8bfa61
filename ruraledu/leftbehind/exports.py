"""Excel export of the care list (names in clear for the care roles that work it), through the
shared writer, watermarked like the care app's exports; hardship details only with
personal-data rights at the school."""

from ruraledu.spreadsheets.base import Column

COLUMNS = (
    Column("name", "姓名", width=10),
    Column("id", "身份证号（脱敏）", width=22),
    Column("school", "学校", width=28),
    Column("grade", "年级", "int", width=6),
    Column("class_name", "班级", width=10),
    Column("categories", "类别", width=30),
    Column("mentor", "成长导师", width=10),
    Column("last_contact", "本学期最近联系", "date", width=14),
)


def child_rows(children):
    for child in children:
        yield {
            "name": child.person.name,
            "id": child.person.masked_id,
            "school": child.school.org_unit.name,
            "grade": child.grade,
            "class_name": child.class_name,
            "categories": "、".join(child.categories),
            "mentor": child.mentor.name if child.mentor else "未配",
            "last_contact": child.last_contact,
        }
