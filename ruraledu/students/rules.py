"""The cross-field rules of an enrolment, in one place: the roster importer, the page form and
the model apply this list, so a record refused one way in is refused every way in."""

from ruraledu.orgunits.choices import GRADE_RANGES

# 家校距离 in km, as the import template and the page form both take it
DISTANCE_MIN, DISTANCE_MAX = 0, 200


def enrolment_problems(values: dict, stage: str | None, school_name: str = "") -> list:
    """(field, message) for each rule `values` (field -> value) breaks at a school of `stage`."""
    problems = []
    grade = values.get("grade")
    if grade and stage and grade not in GRADE_RANGES.get(stage, ()):
        where = f"（{school_name}）" if school_name else ""
        problems.append(("grade", f"{grade} 年级与学校类型不符{where}"))
    if values.get("placement") and not values.get("disability"):
        problems.append(("placement", "只有残疾学生才填写安置方式"))
    if values.get("lunch_served") and not values.get("lunch_needed"):
        problems.append(("lunch_served", "无午餐需求的学生不应标记为午餐已保障"))
    return problems
